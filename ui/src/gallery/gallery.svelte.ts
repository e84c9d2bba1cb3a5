// The gallery's state and the changes it makes to a report's figures. A rune class (Svelte 5).
//
// Every change runs one after the other: it first asks the editor to save pending text edits
// (`flush`, which answers with the report as stored now), then makes the change based on that
// revision, then hands the saved report back (`onChange`). A refusal keeps the report as it is
// and leaves the backend's one-sentence reason in `error` until dismissed or a later success.

import { base64Of } from '../lib/base64';
import { BackendError, type Backend, type Code } from '../lib/backend';
import type { AttachOutcome, StoredReport } from '../lib/bindings';
import { ignoredMessage, splitImagePaths } from './files';

/** What the gallery needs from its host (the report editor). */
export interface GalleryHost {
  backend: Backend;
  /** Saves pending edits and resolves with the report as stored now. */
  flush: () => Promise<StoredReport>;
  /** The report was saved by the gallery. */
  onChange: (stored: StoredReport) => void;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: BackendError };

/** The last removal, while it can be undone. */
export interface Removal {
  id: string;
  figure: number;
  caption: string;
  /** The revision before the removal (what undo restores). */
  before: number;
  /** The revision the removal made. */
  after: number;
}

/** How long "Undo" stays offered after a removal. */
export const UNDO_MS = 12_000;

/** Code of the error when undo is no longer safe. */
export const UNDO_UNAVAILABLE = 'undo_unavailable' satisfies Code;

/** A pasted (or otherwise in-memory) image. */
export interface ImageData {
  arrayBuffer(): Promise<ArrayBuffer>;
}

type Op<T> = (current: StoredReport, backend: Backend) => Promise<T>;

export class GalleryStore {
  /** What is being done right now ("Attaching 2 images…"), for attaches; null when idle. */
  busy = $state<string | null>(null);
  /** How many changes are under way or waiting; buttons are disabled meanwhile. */
  working = $state(0);
  /** Why the last change was refused. */
  error = $state.raw<BackendError | null>(null);
  /** Something to know that is not an error (files that were left out). */
  notice = $state<string | null>(null);
  /** The last removal, while "Undo" is offered. */
  removal = $state.raw<Removal | null>(null);

  /** The report changed elsewhere: it must be reloaded before the gallery can change it. */
  readonly stale = $derived(this.error?.code === 'stale');

  readonly #host: () => GalleryHost;
  #queue: Promise<unknown> = Promise.resolve();
  #undoTimer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  /** `host` is read at every change, so a component can pass its current props. */
  constructor(host: () => GalleryHost) {
    this.#host = host;
  }

  /** Attaches image files (picked, dropped or from the test hook); with `figure`, fills that placeholder. */
  attachPaths(paths: string[], figure?: number): Promise<Outcome<AttachOutcome | null>> {
    if (paths.length === 0) return Promise.resolve({ ok: true, value: null });
    const label =
      figure != null
        ? `Attaching the image to figure ${figure}…`
        : `Attaching ${paths.length === 1 ? 'the image' : `${paths.length} images`}…`;
    return this.#run(
      label,
      (current, backend) => backend.attachImages(current.id, current.revision, paths, figure ?? null),
      (outcome) => outcome.report,
    );
  }

  /** Files dropped on the window: attaches the images, says which other files were left out. */
  async attachDropped(paths: string[], figure?: number): Promise<Outcome<AttachOutcome | null>> {
    const { images, others } = splitImagePaths(paths);
    this.notice = others.length > 0 ? ignoredMessage(others) : null;
    return this.attachPaths(images, images.length === 1 ? figure : undefined);
  }

  /** Attaches pasted images, one after the other; stops at the first refusal. */
  async attachData(items: ImageData[], figure?: number): Promise<Outcome<AttachOutcome | null>> {
    let last: Outcome<AttachOutcome | null> = { ok: true, value: null };
    for (const item of items) {
      last = await this.#run(
        items.length === 1 ? 'Attaching the pasted image…' : `Attaching ${items.length} pasted images…`,
        async (current, backend) => {
          const image = await base64Of(item);
          return backend.attachImageData(current.id, current.revision, image, items.length === 1 ? (figure ?? null) : null);
        },
        (outcome) => outcome.report,
      );
      if (!last.ok) break;
    }
    return last;
  }

  /** Saves a figure's caption (1-based); nothing is saved when it did not change. */
  setCaption(figure: number, caption: string): Promise<Outcome<StoredReport | null>> {
    const text = caption.trim();
    return this.#run(
      null,
      async (current, backend) => {
        if (current.report.images[figure - 1]?.caption === text) return null;
        return backend.setCaption(current.id, current.revision, figure, text);
      },
      (stored) => stored,
    );
  }

  /** Moves figure `from` to position `to` (both 1-based). */
  move(from: number, to: number): Promise<Outcome<StoredReport | null>> {
    if (from === to) return Promise.resolve({ ok: true, value: null });
    return this.#run(
      null,
      (current, backend) => backend.moveFigure(current.id, current.revision, from, to),
      (stored) => stored,
    );
  }

  /** Removes a figure (1-based) and offers to undo it for a while. */
  async remove(figure: number): Promise<Outcome<StoredReport | null>> {
    let removal: Removal | null = null;
    const outcome = await this.#run(
      null,
      async (current, backend) => {
        const saved = await backend.removeFigure(current.id, current.revision, figure);
        removal = {
          id: current.id,
          figure,
          caption: current.report.images[figure - 1]?.caption ?? '',
          before: current.revision,
          after: saved.revision,
        };
        return saved;
      },
      (stored) => stored,
    );
    if (outcome.ok && removal) this.#offerUndo(removal);
    return outcome;
  }

  /**
   * Puts the removed figure back by restoring the revision before the removal. Refused when the
   * report changed since the removal (restoring would drop that change).
   */
  undoRemove(): Promise<Outcome<StoredReport | null>> {
    const removal = this.removal;
    this.#clearUndo();
    if (!removal) return Promise.resolve({ ok: true, value: null });
    return this.#run(
      null,
      (current, backend) => {
        if (current.id !== removal.id || current.revision !== removal.after) {
          throw new BackendError(
            UNDO_UNAVAILABLE,
            `figure ${removal.figure} cannot be put back because the report changed after it was removed; its image is still in the revision history`,
          );
        }
        return backend.restoreRevision(current.id, removal.before, current.revision);
      },
      (stored) => stored,
    );
  }

  /** Shows a failure that happened outside a change (e.g. the file dialog could not open). */
  fail(reason: unknown, what?: string): void {
    if (!this.#disposed) this.error = BackendError.from(reason, what);
  }

  dismissError(): void {
    this.error = null;
  }

  dismissNotice(): void {
    this.notice = null;
  }

  dismissUndo(): void {
    this.#clearUndo();
  }

  /** The gallery is going away: no more timers or state changes. */
  dispose(): void {
    this.#disposed = true;
    this.#clearUndo();
  }

  /** Queues a change; `op` answers null when there was nothing to change. */
  #run<T>(label: string | null, op: Op<T | null>, saved: (value: T) => StoredReport): Promise<Outcome<T | null>> {
    this.working += 1;
    const result = this.#queue.then(() => this.#perform(label, op, saved));
    this.#queue = result;
    return result;
  }

  async #perform<T>(label: string | null, op: Op<T | null>, saved: (value: T) => StoredReport): Promise<Outcome<T | null>> {
    if (label !== null) this.busy = label;
    try {
      const host = this.#host();
      const current = await host.flush();
      const value = await op(current, host.backend);
      if (value !== null) {
        if (!this.#disposed) {
          this.error = null;
          if (this.removal && this.removal.after !== saved(value).revision) this.#clearUndo();
        }
        host.onChange(saved(value));
      }
      return { ok: true, value };
    } catch (reason) {
      const error = BackendError.from(reason);
      if (!this.#disposed) this.error = error;
      return { ok: false, error };
    } finally {
      this.working -= 1;
      if (label !== null && this.busy === label) this.busy = null;
    }
  }

  #offerUndo(removal: Removal): void {
    this.#clearUndo();
    if (this.#disposed) return;
    this.removal = removal;
    this.#undoTimer = setTimeout(() => this.#clearUndo(), UNDO_MS);
  }

  #clearUndo(): void {
    if (this.#undoTimer !== undefined) clearTimeout(this.#undoTimer);
    this.#undoTimer = undefined;
    this.removal = null;
  }
}
