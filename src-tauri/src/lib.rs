//! Briefwright's desktop shell: a Tauri window over the `briefwright` core.
//!
//! - [`library`]: the store, opened once at startup and shared with the commands.
//! - [`commands`]: the IPC commands (thin: convert, call the core on a blocking thread, convert),
//!   named once in `commands/list.rs`.
//! - [`ipc`]: `IpcError` (the `{code, message}` every command fails with), typed arguments, raw bytes.
//! - [`session`]: the signing session (one unlocked key, zeroized on lock, quit or idle).
//! - [`bindings`]: the TypeScript client and types of the IPC (ui/src/lib/bindings.ts).

pub mod bindings;
pub mod commands;
pub mod ipc;
pub mod library;
pub mod session;

use tauri::{Manager, Runtime};

/// `BRIEFWRIGHT_TEST_HOOKS=1`: the end-to-end tests stand in for the native file dialogs.
pub const TEST_HOOKS_ENV: &str = "BRIEFWRIGHT_TEST_HOOKS";

/// Starts the app: logging, the library, the window. Returns when the last window closes.
pub fn run() {
    briefwright::logging::init(briefwright::logging::Front::App);
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "Briefwright starting");

    let built = tauri::Builder::default()
        // Native open/save dialogs (only `open` and `save` are granted to the window; see build.rs).
        .plugin(tauri_plugin_dialog::init())
        // Window size, position and maximised state, restored at the next start.
        .plugin(tauri_plugin_window_state::Builder::default().build())
        // Open/reveal an exported file from Rust only (no opener permission for the window).
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            manage_state(app, library::Library::open_default());
            // Lock an idle signing key on time, not only at its next use.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                loop {
                    tokio::time::sleep(std::time::Duration::from_secs(20)).await;
                    handle.state::<session::Session>().expire();
                }
            });
            Ok(())
        })
        .invoke_handler(invoke_handler())
        // The real config is at the repository root (see build.rs).
        .build(tauri::generate_context!("../tauri.conf.json"));

    match built {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                // Quit: the signing key leaves memory (zeroized on drop).
                handle.state::<session::Session>().lock();
            }
        }),
        Err(error) => {
            tracing::error!(%error, "the app stopped with an error");
            eprintln!("Briefwright could not start its window: {error}");
            std::process::exit(1);
        }
    }
}

/// Every IPC command (from `commands/list.rs`); generic so tests drive it on Tauri's mock runtime.
pub fn invoke_handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    let handler = commands::typed::<R>().0;
    move |invoke| handler(invoke)
}

/// The state the commands use: the library, the signing session, this session's exports, the
/// live preview's renderings and the last verified file.
pub fn manage_state<R: Runtime, M: Manager<R>>(app: &M, library: library::Library) {
    app.manage(library);
    app.manage(session::Session::new(session::IDLE_TIMEOUT));
    app.manage(commands::export::Exports::default());
    app.manage(briefwright::ops::preview::Previews::default());
    app.manage(commands::signing::LastVerified::default());
}
