// The app's own commands. Read by build.rs too (`include!`), so each gets a generated
// permission that capabilities/default.json must grant; keep it a plain list.

/// Every command the app defines, as the UI invokes it.
pub const COMMANDS: &[&str] = &[
    "app_info",
    "list_reports",
    "list_tags",
    "import_files",
    "get_report",
    "create_report",
    "save_report",
    "set_status",
    "duplicate_report",
    "delete_report",
    "list_revisions",
    "get_revision",
    "restore_revision",
    "attach_images",
    "attach_image_data",
    "set_caption",
    "move_figure",
    "remove_figure",
    "thumbnail",
];
