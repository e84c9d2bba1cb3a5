//! The TypeScript client of the IPC and the types it carries, generated from the Rust commands
//! and types by tauri-specta into ui/src/lib/bindings.ts, with the core's constants the UI needs
//! (section headings, TLP colours). `tests/ipc_types.rs` fails when the committed file differs;
//! `UPDATE_BINDINGS=1 cargo test -p briefwright-desktop --test ipc_types` rewrites it.

use std::collections::BTreeMap;

use briefwright::model::Tlp;
use specta_typescript::Typescript;
use tauri::Runtime;
use tauri_specta::{Builder, ErrorHandlingMode};

/// The commands with their types, and the constants exported with them.
pub fn builder<R: Runtime>() -> Builder<R> {
    Builder::<R>::new()
        .commands(crate::commands::typed())
        // Failures reject the promise with the command's `IpcError` (ui/src/lib/backend.ts turns
        // every rejection into a `BackendError`).
        .error_handling(ErrorHandlingMode::Throw)
        // Byte counts and sizes are u64 in Rust and never near 2^53.
        .dangerously_cast_bigints_to_number()
        .typ::<briefwright::error::ErrorCode>()
        .constant("ERROR_CODES", briefwright::error::ErrorCode::ALL.to_vec())
        // The numbered sections as the text format and the brief head them.
        .constant("SECTION_HEADINGS", briefwright::interchange::text::SECTION_HEADINGS.to_vec())
        // TLP 2.0 labels in order, with FIRST's text colours (on black).
        .constant("TLP_LEVELS", Tlp::ALL.map(Tlp::as_str).to_vec())
        .constant(
            "TLP_COLOURS",
            Tlp::ALL.map(|t| (t.as_str(), hex(t.colour()))).into_iter().collect::<BTreeMap<_, _>>(),
        )
}

/// "#RRGGBB".
fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02X}{g:02X}{b:02X}")
}

/// Writes the TypeScript client and types (ui/src/lib/bindings.ts) to `path`.
///
/// A type whose serialised and deserialised shapes differ (a `#[serde(default)]` container: every
/// field may be left out when the page sends it) gets two declarations, `X_Serialize` and
/// `X_Deserialize`; the generated commands take the second and return the first. tauri-specta
/// names their union `X`; here `X` is the shape the app receives (`X_Serialize`, every field
/// present), which is also a valid `X_Deserialize` to send back.
pub fn export(path: &std::path::Path) -> Result<(), String> {
    let header = "// Generated from the Rust commands and types by src-tauri/src/bindings.rs (tauri-specta). Do not\n\
                  // edit: change the Rust side, then run `UPDATE_BINDINGS=1 cargo test -p briefwright-desktop --test ipc_types`.";
    builder::<tauri::Wry>().export(Typescript::default().header(header), path).map_err(|e| e.to_string())?;
    let generated = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    std::fs::write(path, received_shapes(&generated)).map_err(|e| e.to_string())
}

/// `export type X = X_Serialize | X_Deserialize;` becomes `export type X = X_Serialize;`.
fn received_shapes(generated: &str) -> String {
    let mut out = String::with_capacity(generated.len());
    for line in generated.split_inclusive('\n') {
        let alias = line.strip_prefix("export type ").and_then(|rest| rest.trim_end().strip_suffix(';'));
        let renamed = alias.and_then(|rest| {
            let (name, union) = rest.split_once(" = ")?;
            (union == format!("{name}_Serialize | {name}_Deserialize"))
                .then(|| format!("export type {name} = {name}_Serialize;\n"))
        });
        out.push_str(renamed.as_deref().unwrap_or(line));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_type_is_the_shape_the_app_receives() {
        let generated = "export type Report = Report_Serialize | Report_Deserialize;\nexport type Tlp = \"RED\";\n";
        assert_eq!(
            super::received_shapes(generated),
            "export type Report = Report_Serialize;\nexport type Tlp = \"RED\";\n"
        );
    }
}
