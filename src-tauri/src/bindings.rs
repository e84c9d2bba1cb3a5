//! The TypeScript declarations of every type that crosses IPC, generated from the Rust types
//! (ts-rs) into ui/src/lib/bindings.ts. `tests/ipc_types.rs` fails when the committed file
//! differs; `UPDATE_BINDINGS=1 cargo test -p briefwright-desktop --test ipc_types` rewrites it.

use ts_rs::{Config, TS};

/// The contents of ui/src/lib/bindings.ts.
pub fn typescript() -> String {
    use briefwright::backup::{BackupSummary, Counts, RestoreSummary};
    use briefwright::interchange::Warning;
    use briefwright::model::*;
    use briefwright::preview::PageExtent;
    use briefwright::settings::{PageSize, Settings};
    use briefwright::store::{Query, RevisionInfo, SignedExport, Sort, Summary};

    use briefwright::sign::{trust::TrustedCert, Coverage, Identity, KeyKind, SignatureReport, Verdict, Verification};

    use crate::commands::export::{ExportFormat, ExportOptions, ExportOutcome};
    use crate::commands::library::{AppInfo, ImportOutcome, ImportedReport, TagCount};
    use crate::commands::media::AttachOutcome;
    use crate::commands::preview::PreviewInfo;
    use crate::commands::signing::VerifyOutcome;
    use crate::error::IpcError;
    use crate::session::SessionStatus;

    // u64 (image byte counts) as `number`: never near 2^53.
    let cfg = Config::new().with_large_int("number");
    let decls = [
        // The report (briefwright::model)
        Report::decl(&cfg),
        Source::decl(&cfg),
        Handling::decl(&cfg),
        Tlp::decl(&cfg),
        Confidence::decl(&cfg),
        Analysis::decl(&cfg),
        Technique::decl(&cfg),
        Scenarios::decl(&cfg),
        Entity::decl(&cfg),
        EntityKind::decl(&cfg),
        Figure::decl(&cfg),
        ImageRef::decl(&cfg),
        Status::decl(&cfg),
        StoredReport::decl(&cfg),
        // The library (briefwright::store)
        Query::decl(&cfg),
        Sort::decl(&cfg),
        Summary::decl(&cfg),
        RevisionInfo::decl(&cfg),
        SignedExport::decl(&cfg),
        Warning::decl(&cfg),
        // Settings (briefwright::settings)
        Settings::decl(&cfg),
        PageSize::decl(&cfg),
        // The preview (briefwright::preview)
        PageExtent::decl(&cfg),
        // Backup (briefwright::backup)
        BackupSummary::decl(&cfg),
        RestoreSummary::decl(&cfg),
        Counts::decl(&cfg),
        // Signing (briefwright::sign)
        Identity::decl(&cfg),
        KeyKind::decl(&cfg),
        TrustedCert::decl(&cfg),
        Verification::decl(&cfg),
        Verdict::decl(&cfg),
        SignatureReport::decl(&cfg),
        Coverage::decl(&cfg),
        // The shell's own (src-tauri)
        AppInfo::decl(&cfg),
        TagCount::decl(&cfg),
        ImportedReport::decl(&cfg),
        ImportOutcome::decl(&cfg),
        AttachOutcome::decl(&cfg),
        ExportFormat::decl(&cfg),
        ExportOptions::decl(&cfg),
        ExportOutcome::decl(&cfg),
        PreviewInfo::decl(&cfg),
        VerifyOutcome::decl(&cfg),
        SessionStatus::decl(&cfg),
        IpcError::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit:\n\
         // change the Rust type, then run `UPDATE_BINDINGS=1 cargo test -p briefwright-desktop --test ipc_types`.\n",
    );
    for decl in decls {
        out.push('\n');
        out.push_str("export ");
        out.push_str(decl.trim());
        out.push('\n');
    }
    out
}
