// The export dialog's state: format and options, the signing identity and its session, the
// unlock → save dialog → export sequence, and its outcome. Nothing is written before the
// identity is unlocked and a path is chosen.

import { BackendError, type Backend } from '../lib/backend';
import type { DialogFilter } from './platform';
import type { Format as ExportFormat, ExportOutcome, Identity, PageSize, SessionStatus } from '../lib/bindings';
import { sentence } from '../lib/format';

export interface FormatInfo {
  value: ExportFormat;
  label: string;
  extension: string;
  filter: DialogFilter;
}

export const FORMATS: FormatInfo[] = [
  { value: 'pdf', label: 'PDF brief', extension: 'pdf', filter: { name: 'PDF documents', extensions: ['pdf'] } },
  { value: 'json', label: 'JSON', extension: 'json', filter: { name: 'JSON files', extensions: ['json'] } },
  { value: 'txt', label: 'Text', extension: 'txt', filter: { name: 'Text files', extensions: ['txt'] } },
  { value: 'md', label: 'Markdown', extension: 'md', filter: { name: 'Markdown files', extensions: ['md'] } },
];

export function formatInfo(format: ExportFormat): FormatInfo {
  return FORMATS.find((f) => f.value === format) ?? FORMATS[0]!;
}

/** "BW-2026-0001" + pdf → "BW-2026-0001.pdf" (characters file systems dislike become "-"). */
export function defaultFileName(reportNumber: string, format: ExportFormat): string {
  // Control characters are among those replaced, so the pattern names them on purpose.
  // eslint-disable-next-line no-control-regex
  const base = reportNumber.trim().replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-') || 'brief';
  return `${base}.${formatInfo(format).extension}`;
}

/** What went wrong, in a sentence for the analyst. */
export function exportErrorMessage(error: BackendError, identity: string): string {
  switch (error.code) {
    case 'wrong_passphrase':
      return `That passphrase does not unlock “${identity}”. Nothing was exported.`;
    case 'empty_passphrase':
      return `Enter the passphrase of “${identity}” to sign.`;
    case 'locked':
      return `“${identity}” is locked again (the session ends after 15 minutes idle). Enter its passphrase to sign.`;
    case 'no_identity':
      return `The identity “${identity}” no longer exists. Choose another one.`;
    case 'draft_signed':
      return 'A signed brief cannot carry the DRAFT watermark. Untick “DRAFT watermark” to sign.';
    case 'sign_needs_pdf':
      return 'Only PDF briefs can be signed. Choose PDF, or export without a signature.';
    case 'write':
      return `${sentence(error.message)} Nothing was written; choose another place.`;
    default:
      return sentence(error.message);
  }
}

export type ChoosePath = (defaultName: string, filter: DialogFilter) => Promise<string | null>;

export type Phase = 'loading' | 'ready' | 'unlocking' | 'choosing' | 'exporting' | 'done';

export class ExportStore {
  format = $state<ExportFormat>('pdf');
  pageSize = $state<PageSize>('a4');
  draft = $state(false);
  /** The identity to sign with; '' = unsigned. */
  identity = $state('');
  passphrase = $state('');
  identities = $state.raw<Identity[]>([]);
  session = $state.raw<SessionStatus | null>(null);
  phase = $state<Phase>('loading');
  error = $state<string | null>(null);
  /** Code of the last failure, for tests and styling. */
  errorCode = $state<string | null>(null);
  outcome = $state.raw<ExportOutcome | null>(null);

  readonly #backend: Backend;
  readonly #reportId: string;
  readonly #reportNumber: string;

  constructor(backend: Backend, reportId: string, reportNumber: string) {
    this.#backend = backend;
    this.#reportId = reportId;
    this.#reportNumber = reportNumber;
  }

  /** Loads the default page size, the identities and the session. */
  async init(): Promise<void> {
    this.phase = 'loading';
    const [settings, identities, session] = await Promise.allSettled([
      this.#backend.getSettings(),
      this.#backend.listIdentities(),
      this.#backend.sessionStatus(),
    ]);
    if (settings.status === 'fulfilled') this.pageSize = settings.value.page_size;
    if (identities.status === 'fulfilled') this.identities = identities.value;
    if (session.status === 'fulfilled') {
      this.session = session.value;
      const unlocked = session.value.identity?.name;
      if (unlocked && this.identities.some((i) => i.name === unlocked)) this.identity = unlocked;
    }
    const failed = [settings, identities, session].find((r) => r.status === 'rejected');
    if (failed && failed.status === 'rejected') this.#fail(BackendError.from(failed.reason));
    this.phase = 'ready';
  }

  get info(): FormatInfo {
    return formatInfo(this.format);
  }

  get isPdf(): boolean {
    return this.format === 'pdf';
  }

  get signing(): boolean {
    return this.isPdf && this.identity !== '';
  }

  /** The session holds the chosen identity's key. */
  get unlocked(): boolean {
    return this.signing && this.session?.identity?.name === this.identity;
  }

  get needsPassphrase(): boolean {
    return this.signing && !this.unlocked;
  }

  get busy(): boolean {
    return this.phase === 'loading' || this.phase === 'unlocking' || this.phase === 'choosing' || this.phase === 'exporting';
  }

  get progressLabel(): string {
    if (this.phase === 'unlocking') return 'Unlocking…';
    if (this.phase === 'exporting') return this.signing ? 'Signing…' : 'Exporting…';
    return '';
  }

  get fileName(): string {
    return defaultFileName(this.#reportNumber, this.format);
  }

  get canSubmit(): boolean {
    return !this.busy && (!this.needsPassphrase || this.passphrase !== '');
  }

  /** Unlocks if needed, asks where to write, exports. Resolves when done, failed or cancelled. */
  async submit(choosePath: ChoosePath): Promise<void> {
    if (this.busy) return;
    this.error = null;
    this.errorCode = null;
    this.outcome = null;
    const identity = this.signing ? this.identity : null;

    if (identity !== null && this.needsPassphrase) {
      if (this.passphrase === '') {
        this.#fail(new BackendError('empty_passphrase', 'empty passphrase'), identity);
        return;
      }
      this.phase = 'unlocking';
      try {
        this.session = await this.#backend.unlockIdentity(identity, this.passphrase);
        this.passphrase = '';
      } catch (reason) {
        this.#fail(BackendError.from(reason, 'unlock_identity'), identity);
        this.phase = 'ready';
        return;
      }
    }

    this.phase = 'choosing';
    let path: string | null;
    try {
      path = await choosePath(this.fileName, this.info.filter);
    } catch (reason) {
      this.#fail(BackendError.from(reason));
      this.phase = 'ready';
      return;
    }
    if (path === null) {
      this.phase = 'ready';
      return;
    }

    this.phase = 'exporting';
    try {
      this.outcome = await this.#backend.exportReport(this.#reportId, path, {
        format: this.format,
        pageSize: this.isPdf ? this.pageSize : null,
        draft: this.isPdf && identity === null && this.draft,
        identity,
      });
      this.phase = 'done';
    } catch (reason) {
      const error = BackendError.from(reason, 'export_report');
      this.#fail(error, identity ?? '');
      if (error.code === 'locked') await this.refreshSession();
      this.phase = 'ready';
    }
  }

  async refreshSession(): Promise<void> {
    try {
      this.session = await this.#backend.sessionStatus();
    } catch {
      // Keep what we knew; the next export says if the key is locked.
    }
  }

  async lock(): Promise<void> {
    try {
      this.session = await this.#backend.lockIdentity();
    } catch (reason) {
      this.#fail(BackendError.from(reason, 'lock_identity'));
    }
  }

  /** Back to the form after a result (e.g. to export another format). */
  again(): void {
    this.outcome = null;
    this.phase = 'ready';
  }

  /** Opens the exported file with the desktop's application for it. */
  open(): Promise<void> {
    return this.#withFile((path) => this.#backend.openExported(path), 'open_exported');
  }

  /** Shows the exported file in the desktop's file manager. */
  reveal(): Promise<void> {
    return this.#withFile((path) => this.#backend.revealExported(path), 'reveal_exported');
  }

  async #withFile(action: (path: string) => Promise<unknown>, command: string): Promise<void> {
    if (!this.outcome) return;
    try {
      await action(this.outcome.path);
    } catch (reason) {
      this.#fail(BackendError.from(reason, command));
    }
  }

  #fail(error: BackendError, identity = this.identity): void {
    this.error = exportErrorMessage(error, identity);
    this.errorCode = error.code;
  }
}
