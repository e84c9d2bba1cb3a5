// The one typed door to the Rust side. Components and stores talk to a `Backend`;
// only this module calls Tauri's `invoke`, and every rejection leaves it as a `BackendError`.

import { invoke as tauriInvoke, isTauri } from '@tauri-apps/api/core';
import type {
  AppInfo,
  AttachOutcome,
  BackupSummary,
  RestoreSummary,
  ExportOptions,
  ExportOutcome,
  Identity,
  KeyKind,
  PageSize,
  PreviewInfo,
  SessionStatus,
  Settings,
  SignedExport,
  TrustedCert,
  VerifyOutcome,
  ImportOutcome,
  IpcError,
  Query,
  Report,
  RevisionInfo,
  Status,
  StoredReport,
  Summary,
  TagCount,
} from './bindings';

/** Codes produced here rather than by the Rust side. */
export const NO_BACKEND = 'no_backend';
export const IPC_FAILURE = 'ipc';
/** The code of an argument the Rust side refused (its own check, or one that did not decode). */
export const BAD_ARGUMENT = 'bad_argument';

/** A failed backend call: the `{code, message}` the Rust side sent, or one made up here. */
export class BackendError extends Error {
  override readonly name = 'BackendError';

  constructor(
    /** Stable code, e.g. `busy`, `library_too_new`, `store_unavailable` (see src-tauri/src/error.rs). */
    readonly code: string,
    message: string,
    /** The command that failed. */
    readonly command?: string,
  ) {
    super(message);
  }

  /** Turns whatever an `invoke` rejected with into a `BackendError`. */
  static from(reason: unknown, command?: string): BackendError {
    if (reason instanceof BackendError) return reason;
    if (isIpcError(reason)) return new BackendError(reason.code, reason.message, command);
    if (typeof reason === 'string' && reason.trim() !== '') {
      // Tauri itself rejects with a bare string: an argument that does not decode into its Rust
      // type ("invalid args `id` for command `get_report`: …"), or a command missing or not permitted.
      const code = reason.startsWith('invalid args `') ? BAD_ARGUMENT : IPC_FAILURE;
      return new BackendError(code, reason, command);
    }
    if (reason instanceof Error && reason.message.trim() !== '') {
      return new BackendError(IPC_FAILURE, reason.message, command);
    }
    return new BackendError(IPC_FAILURE, 'the app did not answer as expected', command);
  }
}

function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string';
}

/** Thumbnail edge lengths the backend makes (px). */
export type ThumbSize = 256 | 1024;

/**
 * Everything the UI may ask of the Rust side (src-tauri/src/commands/). Every method rejects
 * with a `BackendError`. `base` is always the revision the edit started from: a save based on
 * an older revision is refused with code `stale` (the report changed elsewhere meanwhile).
 * Figure numbers are 1-based.
 */
export interface Backend {
  /** Version, data folder, technique names, default TLP, first start, test hooks. */
  appInfo(): Promise<AppInfo>;
  /** Reports matching the query; an empty query lists the whole library, newest first. */
  listReports(query: Query): Promise<Summary[]>;
  /** Every tag with its number of reports, most used first (for filters and autocompletion). */
  listTags(): Promise<TagCount[]>;
  /** Imports .txt/.json report files; one outcome per file (a report with warnings, or an error). */
  importFiles(paths: string[]): Promise<ImportOutcome[]>;

  getReport(id: string): Promise<StoredReport>;
  /** A new empty draft with the default TLP. */
  createReport(): Promise<StoredReport>;
  saveReport(id: string, base: number, report: Report): Promise<StoredReport>;
  setStatus(id: string, base: number, status: Status): Promise<StoredReport>;
  duplicateReport(id: string): Promise<StoredReport>;
  /** Deletes the report with its history; resolves with what was deleted. */
  deleteReport(id: string): Promise<StoredReport>;
  /** History, newest first. */
  listRevisions(id: string): Promise<RevisionInfo[]>;
  getRevision(id: string, revision: number): Promise<Report>;
  restoreRevision(id: string, revision: number, base: number): Promise<StoredReport>;

  /** Attaches image files (all or none); with `figure`, the one image fills that placeholder. */
  attachImages(id: string, base: number, paths: string[], figure?: number | null): Promise<AttachOutcome>;
  /** Attaches one image from bytes (a paste). */
  attachImageData(id: string, base: number, bytes: Uint8Array, figure?: number | null): Promise<AttachOutcome>;
  setCaption(id: string, base: number, figure: number, caption: string): Promise<StoredReport>;
  moveFigure(id: string, base: number, from: number, to: number): Promise<StoredReport>;
  removeFigure(id: string, base: number, figure: number): Promise<StoredReport>;
  /** A JPEG thumbnail of a stored image. */
  thumbnail(sha256: string, format: string, size: ThumbSize): Promise<Uint8Array>;

  /**
   * Renders the brief as it will print (unsigned): of `report` when given (unsaved edits), else
   * of the saved revision. Its pages are then drawn with `previewPage` until `previewClose`.
   */
  previewOpen(id: string, pageSize: PageSize | null, draft: boolean, report?: Report | null): Promise<PreviewInfo>;
  /** Page `page` (1-based) of an opened preview as PNG, at `scale` device pixels per point. */
  previewPage(token: number, page: number, scale: number): Promise<Uint8Array>;
  /** Lets an opened preview go (true when it was still kept). */
  previewClose(token: number): Promise<boolean>;
  /** Writes the saved revision to `path` (from the save dialog); signing needs an unlocked identity. */
  exportReport(id: string, path: string, options: ExportOptions): Promise<ExportOutcome>;
  /** Signed exports of a report, newest first. */
  listSignedExports(id: string): Promise<SignedExport[]>;
  /** Opens / reveals a file this session exported (no other path is accepted). */
  openExported(path: string): Promise<void>;
  revealExported(path: string): Promise<void>;

  listIdentities(): Promise<Identity[]>;
  createIdentity(
    name: string,
    organisation: string | null,
    email: string | null,
    kind: KeyKind | null,
    passphrase: string,
  ): Promise<Identity>;
  /** Imports a .p12/.pfx (password of the file; new passphrase for the stored key). */
  importIdentity(path: string, password: string, passphrase: string, name: string | null): Promise<Identity>;
  /** Writes the identity's certificate (PEM) to `path`. */
  exportCertificate(name: string, path: string): Promise<void>;
  deleteIdentity(name: string): Promise<void>;
  /** Unlocks an identity for this session (code `wrong_passphrase` when wrong). */
  unlockIdentity(name: string, passphrase: string): Promise<SessionStatus>;
  lockIdentity(): Promise<SessionStatus>;
  sessionStatus(): Promise<SessionStatus>;

  listTrusted(): Promise<TrustedCert[]>;
  trustCertificateFile(path: string): Promise<TrustedCert[]>;
  /** Trusts a signer of the file verified last, by certificate fingerprint. */
  trustSigner(fingerprint: string): Promise<TrustedCert[]>;
  removeTrusted(fingerprint: string): Promise<TrustedCert>;
  verifyFile(path: string): Promise<VerifyOutcome>;

  getSettings(): Promise<Settings>;
  /** Saves page size, default TLP, organisation and accent (the logo has its own calls). */
  saveSettings(settings: Settings): Promise<Settings>;
  setLogo(path: string): Promise<Settings>;
  clearLogo(): Promise<Settings>;

  /** Backs up the whole library into one archive at `path` (a full path from a save dialog). */
  backupLibrary(path: string): Promise<BackupSummary>;
  /** Replaces the whole library with the backup at `path`; the current one is moved aside, not deleted. */
  restoreLibrary(path: string): Promise<RestoreSummary>;
}

/** The shape of Tauri's `invoke`, so tests can hand in their own. */
export type Invoke = (
  command: string,
  args?: Record<string, unknown> | Uint8Array,
  options?: { headers: Record<string, string> },
) => Promise<unknown>;

/** Tauri's `invoke`, refusing early (with a clear message) outside the app's window. */
const invokeInApp: Invoke = (command, args, options) => {
  if (!isTauri()) {
    return Promise.reject(
      new BackendError(
        NO_BACKEND,
        'this page is not running inside the Briefwright app, so it cannot reach the library',
        command,
      ),
    );
  }
  return tauriInvoke(command, args, options);
};

export function createBackend(invoke: Invoke = invokeInApp): Backend {
  async function call<T>(
    command: string,
    args: Record<string, unknown> | Uint8Array = {},
    options?: { headers: Record<string, string> },
  ): Promise<T> {
    try {
      return (await invoke(command, args, options)) as T;
    } catch (reason) {
      throw BackendError.from(reason, command);
    }
  }

  return {
    appInfo: () => call<AppInfo>('app_info'),
    listReports: (query) => call<Summary[]>('list_reports', { query }),
    listTags: () => call<TagCount[]>('list_tags'),
    importFiles: (paths) => call<ImportOutcome[]>('import_files', { paths }),

    getReport: (id) => call<StoredReport>('get_report', { id }),
    createReport: () => call<StoredReport>('create_report'),
    saveReport: (id, base, report) => call<StoredReport>('save_report', { id, base, report }),
    setStatus: (id, base, status) => call<StoredReport>('set_status', { id, base, status }),
    duplicateReport: (id) => call<StoredReport>('duplicate_report', { id }),
    deleteReport: (id) => call<StoredReport>('delete_report', { id }),
    listRevisions: (id) => call<RevisionInfo[]>('list_revisions', { id }),
    getRevision: (id, revision) => call<Report>('get_revision', { id, revision }),
    restoreRevision: (id, revision, base) => call<StoredReport>('restore_revision', { id, revision, base }),

    attachImages: (id, base, paths, figure = null) =>
      call<AttachOutcome>('attach_images', { id, base, paths, figure }),
    attachImageData: (id, base, bytes, figure = null) => {
      const headers: Record<string, string> = { 'x-report': id, 'x-base': String(base) };
      if (figure != null) headers['x-figure'] = String(figure);
      return call<AttachOutcome>('attach_image_data', bytes, { headers });
    },
    setCaption: (id, base, figure, caption) => call<StoredReport>('set_caption', { id, base, figure, caption }),
    moveFigure: (id, base, from, to) => call<StoredReport>('move_figure', { id, base, from, to }),
    removeFigure: (id, base, figure) => call<StoredReport>('remove_figure', { id, base, figure }),
    thumbnail: async (sha256, format, size) =>
      new Uint8Array(await call<ArrayBuffer>('thumbnail', { sha256, format, size })),

    previewOpen: (id, pageSize, draft, report = null) =>
      call<PreviewInfo>('preview_open', { id, pageSize, draft, report }),
    previewPage: async (token, page, scale) =>
      new Uint8Array(await call<ArrayBuffer>('preview_page', { token, page, scale })),
    previewClose: (token) => call<boolean>('preview_close', { token }),
    exportReport: (id, path, options) => call<ExportOutcome>('export_report', { id, path, options }),
    listSignedExports: (id) => call<SignedExport[]>('list_signed_exports', { id }),
    openExported: (path) => call<void>('open_exported', { path }),
    revealExported: (path) => call<void>('reveal_exported', { path }),

    listIdentities: () => call<Identity[]>('list_identities'),
    createIdentity: (name, organisation, email, kind, passphrase) =>
      call<Identity>('create_identity', { name, organisation, email, kind, passphrase }),
    importIdentity: (path, password, passphrase, name) =>
      call<Identity>('import_identity', { path, password, passphrase, name }),
    exportCertificate: (name, path) => call<void>('export_certificate', { name, path }),
    deleteIdentity: (name) => call<void>('delete_identity', { name }),
    unlockIdentity: (name, passphrase) => call<SessionStatus>('unlock_identity', { name, passphrase }),
    lockIdentity: () => call<SessionStatus>('lock_identity'),
    sessionStatus: () => call<SessionStatus>('session_status'),

    listTrusted: () => call<TrustedCert[]>('list_trusted'),
    trustCertificateFile: (path) => call<TrustedCert[]>('trust_certificate_file', { path }),
    trustSigner: (fingerprint) => call<TrustedCert[]>('trust_signer', { fingerprint }),
    removeTrusted: (fingerprint) => call<TrustedCert>('remove_trusted', { fingerprint }),
    verifyFile: (path) => call<VerifyOutcome>('verify_file', { path }),

    getSettings: () => call<Settings>('get_settings'),
    saveSettings: (settings) => call<Settings>('save_settings', { settings }),
    setLogo: (path) => call<Settings>('set_logo', { path }),
    clearLogo: () => call<Settings>('clear_logo'),

    backupLibrary: (path) => call<BackupSummary>('backup_library', { path }),
    restoreLibrary: (path) => call<RestoreSummary>('restore_library', { path }),
  };
}

/** The backend of the running app. */
export const backend: Backend = createBackend();
