fn main() -> std::process::ExitCode {
    briefwright::cli::main()
}
