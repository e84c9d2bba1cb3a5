//! Briefwright's desktop shell: a Tauri window over the `briefwright` core.
//!
//! - [`library`]: the store, opened once at startup and shared with the commands.
//! - [`commands`]: the IPC commands (thin: convert, call the core on a blocking thread, convert).
//! - [`error`]: `IpcError`, the `{code, message}` every command fails with.
//! - [`bindings`]: the TypeScript declarations of the IPC types (ui/src/lib/bindings.ts).

pub mod bindings;
pub mod commands;
pub mod error;
pub mod library;
pub mod session;

use tauri::{Manager, Runtime};
use tracing_subscriber::EnvFilter;

/// Starts the app: logging, the library, the window. Returns when the last window closes.
pub fn run() {
    init_tracing();
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "Briefwright starting");

    let built = tauri::Builder::default()
        // Native open/save dialogs (only `open` is granted to the window; see capabilities/).
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

/// Every IPC command. Keep in step with commands::COMMANDS (tests/config.rs checks the
/// capability against it); generic so tests can drive it on Tauri's mock runtime.
pub fn invoke_handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    use commands::{export, library as lib, media, preview, reports, settings, signing};
    tauri::generate_handler![
        lib::app_info,
        lib::list_reports,
        lib::list_tags,
        lib::import_files,
        reports::get_report,
        reports::create_report,
        reports::save_report,
        reports::set_status,
        reports::duplicate_report,
        reports::delete_report,
        reports::list_revisions,
        reports::get_revision,
        reports::restore_revision,
        media::attach_images,
        media::attach_image_data,
        media::set_caption,
        media::move_figure,
        media::remove_figure,
        media::thumbnail,
        preview::preview_open,
        preview::preview_page,
        preview::preview_close,
        export::export_report,
        export::list_signed_exports,
        export::open_exported,
        export::reveal_exported,
        signing::list_identities,
        signing::create_identity,
        signing::import_identity,
        signing::export_certificate,
        signing::delete_identity,
        signing::unlock_identity,
        signing::lock_identity,
        signing::session_status,
        signing::list_trusted,
        signing::trust_certificate_file,
        signing::trust_signer,
        signing::remove_trusted,
        signing::verify_file,
        settings::get_settings,
        settings::save_settings,
        settings::set_logo,
        settings::clear_logo,
        settings::backup_library,
        settings::restore_library,
    ]
}

/// The state the commands use: the library, the signing session, this session's exports and
/// the last verified file.
pub fn manage_state<R: Runtime, M: Manager<R>>(app: &M, library: library::Library) {
    app.manage(library);
    app.manage(session::Session::new(session::IDLE_TIMEOUT));
    app.manage(commands::export::Exports::default());
    app.manage(commands::preview::Previews::default());
    app.manage(commands::signing::LastVerified::default());
}

/// Logs to stderr; `RUST_LOG` overrides the default level (info).
fn init_tracing() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Another subscriber may already be installed (tests): keep it.
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
