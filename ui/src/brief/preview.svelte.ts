// The live preview's state: which rendered brief is shown, the page, the zoom, and how long a refresh took.
// The component paints; this class decides what to load and when (debounced), keeps the old
// document until the new one is open (no flicker), and drops answers that a newer change replaced.

import { BackendError } from '../lib/backend';
import { debounce } from '../lib/debounce';
import type { PdfDocument } from '../lib/pages';

/** The pause after the last change before the brief is rendered again (changes in a burst render once). */
export const REFRESH_DELAY_MS = 100;
export const MIN_ZOOM = 0.25;
export const MAX_ZOOM = 4;
const ZOOM_STEP = 1.25;

export type Zoom = 'fit' | number;

export interface PreviewDeps {
  /** Renders the brief as it is now (the editor's content) and opens it. */
  open: () => Promise<PdfDocument>;
  delayMs?: number;
  now?: () => number;
}

export class PreviewStore {
  /** The document on screen (kept until its replacement is open). */
  doc = $state.raw<PdfDocument | null>(null);
  page = $state(1);
  pageCount = $state(0);
  /** Width and height of the current page at scale 1 (points). */
  pageWidth = $state(0);
  pageHeight = $state(0);
  zoom = $state<Zoom>('fit');
  /** Width available for the page (CSS px), for "fit width". */
  fitWidth = $state(0);
  loading = $state(false);
  error = $state<BackendError | null>(null);
  /** Milliseconds from the last revision change to the painted page of its PDF. */
  refreshMs = $state<number | null>(null);
  /** The revision whose PDF is painted. */
  paintedRevision = $state<number | null>(null);

  readonly #open: () => Promise<PdfDocument>;
  readonly #now: () => number;
  readonly #refresh;
  #seq = 0;
  /** When the first change not yet shown happened, and its revision. */
  #changedAt: number | null = null;
  #revision: number | null = null;
  /** Per open document: when its change happened (cleared once it is painted) and its revision. */
  #docs = new WeakMap<
    PdfDocument,
    { since: number | null; revision: number | null; loadStart: number; shown: boolean }
  >();
  #destroyed = false;

  constructor(deps: PreviewDeps) {
    this.#open = deps.open;
    this.#now = deps.now ?? (() => performance.now());
    this.#refresh = debounce(() => void this.reload(), deps.delayMs ?? REFRESH_DELAY_MS);
  }

  get scale(): number {
    if (this.zoom !== 'fit') return this.zoom;
    if (this.fitWidth <= 0 || this.pageWidth <= 0) return 1;
    return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, this.fitWidth / this.pageWidth));
  }

  get zoomLabel(): string {
    return `${Math.round(this.scale * 100)} %`;
  }

  /** First load, at once. */
  start(revision: number | null = null): Promise<void> {
    this.#changedAt = this.#now();
    this.#revision = revision;
    return this.reload();
  }

  /** The report was saved again: refresh after a short pause (changes in a burst load once). */
  revisionChanged(revision: number | null = null): void {
    this.#changedAt ??= this.#now();
    this.#revision = revision;
    this.#refresh();
  }

  /** Renders and opens the brief now; an older one still running is dropped when it answers. */
  async reload(): Promise<void> {
    if (this.#destroyed) return;
    this.#refresh.cancel();
    const seq = ++this.#seq;
    const since = this.#changedAt;
    const revision = this.#revision;
    this.#changedAt = null;
    this.loading = true;
    try {
      const started = performance.now();
      const doc = await this.#open();
      timing('briefwright:preview-load', started, performance.now());
      if (seq !== this.#seq || this.#destroyed) {
        letGo(doc);
        return;
      }
      const page = Math.min(Math.max(1, this.page), Math.max(1, doc.pageCount));
      const size = await doc.pageSize(page);
      if (seq !== this.#seq || this.#destroyed) {
        letGo(doc);
        return;
      }
      this.#docs.set(doc, { since, revision, loadStart: started, shown: false });
      const old = this.doc;
      this.doc = doc;
      this.pageCount = doc.pageCount;
      this.page = page;
      this.pageWidth = size.width;
      this.pageHeight = size.height;
      this.error = null;
      if (old) letGo(old);
    } catch (reason) {
      if (seq !== this.#seq) return;
      this.error = BackendError.from(reason, 'preview_open');
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  /** The component painted `doc`'s current page: the first paint of a new document ends its refresh. */
  painted(doc: PdfDocument): void {
    const info = this.#docs.get(doc);
    if (doc !== this.doc || !info) return;
    this.paintedRevision = info.revision;
    if (!info.shown) {
      // From asking for this brief (its content taken then) to its first paint.
      info.shown = true;
      timing('briefwright:preview-shown', info.loadStart, this.#now());
    }
    if (info.since !== null) {
      timing('briefwright:preview-refresh', info.since, this.#now());
      this.refreshMs = Math.max(0, Math.round(this.#now() - info.since));
      info.since = null;
    }
  }

  async goTo(page: number): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
    const target = Math.min(Math.max(1, Math.round(page)), doc.pageCount);
    if (target === this.page) return;
    const size = await doc.pageSize(target);
    if (doc !== this.doc) return;
    this.page = target;
    this.pageWidth = size.width;
    this.pageHeight = size.height;
  }

  next(): Promise<void> {
    return this.goTo(this.page + 1);
  }

  prev(): Promise<void> {
    return this.goTo(this.page - 1);
  }

  get canNext(): boolean {
    return this.doc !== null && this.page < this.pageCount;
  }

  get canPrev(): boolean {
    return this.doc !== null && this.page > 1;
  }

  zoomIn(): void {
    this.zoom = Math.min(MAX_ZOOM, Math.round(this.scale * ZOOM_STEP * 100) / 100);
  }

  zoomOut(): void {
    this.zoom = Math.max(MIN_ZOOM, Math.round((this.scale / ZOOM_STEP) * 100) / 100);
  }

  fit(): void {
    this.zoom = 'fit';
  }

  destroy(): void {
    this.#destroyed = true;
    this.#refresh.cancel();
    this.#seq++;
    const doc = this.doc;
    this.doc = null;
    if (doc) letGo(doc);
  }
}

/** Closes a document no longer shown; failing to close one is not worth a message (the backend drops old ones anyway). */
function letGo(doc: PdfDocument): void {
  doc.destroy().catch(() => {});
}

/** Keeps the latest duration of `name` in the performance timeline (the preview benchmark reads them). */
export function timing(name: string, start: number, end: number): void {
  if (typeof performance === 'undefined' || typeof performance.measure !== 'function') return;
  performance.clearMeasures(name);
  try {
    performance.measure(name, { start, end });
  } catch {
    // An engine without measure options: no figures, nothing else changes.
  }
}
