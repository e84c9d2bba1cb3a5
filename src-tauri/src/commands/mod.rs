//! The IPC surface: each command converts its arguments (typed, see `crate::ipc`), calls one
//! core function on a blocking thread and converts the result. No business logic lives here:
//! that is `briefwright::ops` and the core's modules, which the CLI calls too.
//!
//! A new command is written in its module with `#[tauri::command]` and `#[specta::specta]`, then
//! named once in `list.rs`: the handler, the TypeScript client (ui/src/lib/bindings.ts), the
//! permission and the window's capability follow from that list.

pub mod export;
pub mod library;
pub mod media;
pub mod preview;
pub mod reports;
pub mod settings;
pub mod signing;

/// Turns the list in `list.rs` into [`COMMANDS`] and [`typed`].
macro_rules! commands {
    ($($module:ident :: $command:ident),* $(,)?) => {
        /// Every command the app defines, as the UI invokes it.
        pub const COMMANDS: &[&str] = &[$(stringify!($command)),*];

        /// The commands with their types: the invoke handler and the TypeScript client.
        pub fn typed<R: tauri::Runtime>() -> tauri_specta::Commands<R> {
            tauri_specta::collect_commands![$($module::$command),*]
        }
    };
}

include!("list.rs");
