// The report being edited: what the library holds (`stored`) and the analyst's working copy
// (`report`). Edits are saved after a pause (bursts become one revision), one save at a time,
// each based on the revision the previous one returned. A save refused as stale (the report
// changed elsewhere) is never retried over the other version: the edits stay here until the
// analyst reloads.

import { BackendError, type Backend } from '../lib/backend';
import type { Report, Status, StoredReport } from '../lib/bindings';

/** How long editing must pause before the draft is saved. */
export const AUTOSAVE_DELAY_MS = 800;

export type SavePhase = 'saved' | 'unsaved' | 'saving' | 'stale' | 'error';

/**
 * A deep copy of plain data (reports are JSON). Not `structuredClone`: its objects may come from
 * another realm (test runners), and Svelte only makes plain objects of its own realm reactive.
 */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Deep equality of plain JSON data, whatever the key order. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameData(x, b[i]));
  const [ka, kb] = [Object.keys(a), Object.keys(b)];
  if (ka.length !== kb.length) return false;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(rb, k) && sameData((a as Record<string, unknown>)[k], rb[k]));
}

export class ReportDraft {
  /** The report as the library last confirmed it. */
  stored: StoredReport;
  /** The working copy the editor binds to (deeply reactive). */
  report: Report;
  /** Edits made since the last save started. */
  dirty = $state(false);
  /** A save is on its way. */
  saving = $state(false);
  /** Why the last save failed; cleared by the next success or a reload. */
  error = $state.raw<BackendError | null>(null);

  /** The report changed elsewhere since our base: no more saves until the analyst reloads. */
  readonly stale = $derived(this.error?.code === 'stale');
  readonly phase: SavePhase = $derived(
    this.stale ? 'stale' : this.error ? 'error' : this.saving ? 'saving' : this.dirty ? 'unsaved' : 'saved',
  );
  /** What the save indicator says. */
  readonly phaseLabel = $derived(
    ({ saved: 'Saved', unsaved: 'Unsaved changes', saving: 'Saving…', stale: 'Not saved: changed elsewhere', error: 'Not saved' } as const)[
      this.phase
    ],
  );

  readonly #backend: Backend;
  readonly #delayMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The end of the last queued operation: saves and status changes run one after another. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(backend: Backend, stored: StoredReport, delayMs: number = AUTOSAVE_DELAY_MS) {
    this.#backend = backend;
    this.#delayMs = delayMs;
    this.stored = $state.raw(stored);
    this.report = $state(clone(stored.report));
  }

  get id(): string {
    return this.stored.id;
  }

  /** The working copy changed: save once editing pauses. */
  changed(): void {
    this.dirty = true;
    if (this.stale) return; // nothing is saved over the other version
    this.#cancelTimer();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.save().catch(() => {
        // Shown through `error`; the edits stay dirty.
      });
    }, this.#delayMs);
  }

  /** Whether a save is waiting for editing to pause. */
  get scheduled(): boolean {
    return this.#timer !== undefined;
  }

  /**
   * Saves the working copy now (after any save in flight) and resolves with what the library
   * holds. Rejects with the `BackendError` when the save is refused.
   */
  save(): Promise<StoredReport> {
    this.#cancelTimer();
    return this.#enqueue(() => this.#saveNow());
  }

  /** Stores every pending edit; resolves with the stored report (for the gallery and on close). */
  flush = (): Promise<StoredReport> => this.save();

  async #saveNow(): Promise<StoredReport> {
    if (this.stale && this.error) throw this.error;
    if (!this.dirty) return this.stored;
    const base = this.stored.revision;
    const snapshot = clone(this.report);
    this.dirty = false;
    if (sameData(snapshot, this.stored.report)) {
      this.error = null;
      return this.stored;
    }
    this.saving = true;
    try {
      const saved = await this.#backend.saveReport(this.stored.id, base, snapshot);
        if (saved.revision >= this.stored.revision) this.stored = saved;
      this.error = null;
      return this.stored;
    } catch (reason) {
      const error = BackendError.from(reason, 'save_report');
      this.dirty = true;
      // The revision we were based on was replaced by one we adopted meanwhile (a gallery change
      // made from our own flushed state): not a conflict, save again on top of it.
      if (error.code === 'stale' && this.stored.revision > base) {
        this.saving = false;
        return this.#saveNow();
      }
      this.error = error;
      throw error;
    } finally {
      this.saving = false;
    }
  }

  /**
   * Takes a report returned by another change (gallery, status): its revision, status and
   * figures; every other part keeps the local edits (saved on top of it as usual).
   */
  adopt(stored: StoredReport): void {
    if (stored.id !== this.stored.id || stored.revision < this.stored.revision) return;
    const hadEdits = !sameData(withoutImages(clone(this.report)), withoutImages(this.stored.report));
    this.stored = stored;
    this.report.images = clone(stored.report.images);
    if (hadEdits) this.changed();
  }

  /** Shows `stored` as it is, dropping local edits (after a reload or a restore). */
  replace(stored: StoredReport): void {
    this.#cancelTimer();
    this.stored = stored;
    this.report = clone(stored.report);
    this.dirty = false;
    this.error = null;
  }

  /** Marks the report draft or final (pending edits are saved first). */
  setStatus(status: Status): Promise<StoredReport> {
    this.#cancelTimer();
    return this.#enqueue(async () => {
      await this.#saveNow();
      try {
        const stored = await this.#backend.setStatus(this.stored.id, this.stored.revision, status);
        this.adopt(stored);
        return this.stored;
      } catch (reason) {
        const error = BackendError.from(reason, 'set_status');
        this.error = error;
        throw error;
      }
    });
  }

  /** Makes an older revision current again (pending edits are saved first, so they stay in the history). */
  restore(revision: number): Promise<StoredReport> {
    this.#cancelTimer();
    return this.#enqueue(async () => {
      await this.#saveNow();
      try {
        const stored = await this.#backend.restoreRevision(this.stored.id, revision, this.stored.revision);
        this.replace(stored);
        return stored;
      } catch (reason) {
        const error = BackendError.from(reason, 'restore_revision');
        this.error = error;
        throw error;
      }
    });
  }

  /** Loads the library's current version, discarding local edits (the caller asks first). */
  reload(): Promise<StoredReport> {
    this.#cancelTimer();
    return this.#enqueue(async () => {
      const stored = await this.#backend.getReport(this.stored.id);
      this.replace(stored);
      return stored;
    });
  }

  /** Stops a waiting save (the editor is going away without flushing). */
  dispose(): void {
    this.#cancelTimer();
  }

  #enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(operation);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

function withoutImages(report: Report): Omit<Report, 'images'> {
  const { images: _images, ...rest } = report;
  return rest;
}

/** The working copy as text for the clipboard: the report's JSON, complete. */
export function reportAsText(report: Report): string {
  return JSON.stringify(report, null, 2);
}
