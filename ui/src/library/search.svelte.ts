// The library screen's state: what the user typed, the reports that match, and what went wrong.
// A rune class (Svelte 5): components read its fields and re-render when they change.

import { query } from '../lib/query';
import { BackendError, type Backend } from '../lib/backend';
import { debounce, type Debounced } from '../lib/debounce';
import type { Summary } from '../lib/bindings';

/** How long typing must pause before the library is searched. */
export const SEARCH_DELAY_MS = 250;

export class LibrarySearch {
  /** What is in the search box. */
  text = $state('');
  /** The reports of the last answered search. */
  reports = $state.raw<Summary[]>([]);
  /** The (trimmed) text those reports answer. */
  answered = $state('');
  /** A search is on its way. */
  loading = $state(false);
  /** Why the last search failed; cleared by the next success. */
  error = $state.raw<BackendError | null>(null);
  /** At least one search has been answered. */
  loaded = $state(false);

  /** The library holds no report at all. */
  readonly libraryEmpty = $derived(this.loaded && this.error === null && this.answered === '' && this.reports.length === 0);
  /** A search for words found nothing. */
  readonly noMatches = $derived(this.loaded && this.error === null && this.answered !== '' && this.reports.length === 0);

  readonly #backend: Backend;
  readonly #scheduled: Debounced<[]>;
  /** Numbers each request so that only the newest answer is shown. */
  #sequence = 0;

  constructor(backend: Backend, delayMs: number = SEARCH_DELAY_MS) {
    this.#backend = backend;
    this.#scheduled = debounce(() => void this.refresh(), delayMs);
  }

  /** The user typed: search once they pause. */
  setText(text: string): void {
    this.text = text;
    this.#scheduled();
  }

  /** Search now (Enter, Retry, first load). */
  async refresh(): Promise<void> {
    this.#scheduled.cancel();
    const sequence = ++this.#sequence;
    const text = this.text.trim();
    this.loading = true;
    try {
      const reports = await this.#backend.listReports(query({ text }));
      if (sequence !== this.#sequence) return;
      this.reports = reports;
      this.answered = text;
      this.error = null;
      this.loaded = true;
    } catch (reason) {
      if (sequence !== this.#sequence) return;
      this.error = BackendError.from(reason, 'list_reports');
    } finally {
      if (sequence === this.#sequence) this.loading = false;
    }
  }

  /** Empties the search box and lists the whole library. */
  async clear(): Promise<void> {
    this.text = '';
    await this.refresh();
  }

  /** Stops a waiting search (the screen is going away). */
  dispose(): void {
    this.#scheduled.cancel();
  }
}
