// The library screen's state: the search text and filters, the reports that match, the tags to
// filter by, and what went wrong. A rune class (Svelte 5): components read its fields and
// re-render when they change.

import { query } from '../lib/query';
import { BackendError, type Backend } from '../lib/backend';
import { debounce, type Debounced } from '../lib/debounce';
import type { Query, Sort, Summary, TagCount, Tlp } from '../lib/bindings';

/** How long typing must pause before the library is searched. */
export const SEARCH_DELAY_MS = 250;

/** What the filter controls hold; '' means "any". */
export interface Filters {
  tag: string;
  entity: string;
  tlp: Tlp | '';
  /** yyyy-mm-dd, as a date input gives it. */
  from: string;
  to: string;
  sort: Sort;
}

export const NO_FILTERS: Readonly<Filters> = { tag: '', entity: '', tlp: '', from: '', to: '', sort: 'auto' };

export const SORT_OPTIONS: readonly { value: Sort; label: string }[] = [
  { value: 'auto', label: 'Best match, else recently updated' },
  { value: 'relevance', label: 'Relevance' },
  { value: 'updated', label: 'Recently updated' },
  { value: 'created', label: 'Recently created' },
  { value: 'published', label: 'Recently published' },
  { value: 'title', label: 'Title (A–Z)' },
  { value: 'number', label: 'Number (newest first)' },
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The backend query for the search text and filters: empty parts match everything. */
export function buildQuery(text: string, filters: Filters): Query {
  const entity = filters.entity.trim();
  return query({
    text: text.trim(),
    tag: filters.tag === '' ? null : filters.tag,
    entity: entity === '' ? null : entity,
    tlp: filters.tlp === '' ? null : filters.tlp,
    from: DATE.test(filters.from) ? filters.from : null,
    to: DATE.test(filters.to) ? filters.to : null,
    sort: filters.sort,
  });
}

/** Whether any filter narrows the list (sorting does not). */
export function narrows(filters: Filters): boolean {
  const q = buildQuery('', filters);
  return q.tag !== null || q.entity !== null || q.tlp !== null || q.from !== null || q.to !== null;
}

/** How the answered list is ordered, for the summary line. */
export function orderLabel(sort: Sort, searchingText: boolean): string {
  switch (sort) {
    case 'auto':
      return searchingText ? 'best match first' : 'recently updated first';
    case 'relevance':
      return searchingText ? 'best match first' : 'recently updated first';
    case 'updated':
      return 'recently updated first';
    case 'created':
      return 'recently created first';
    case 'published':
      return 'recently published first';
    case 'title':
      return 'by title';
    case 'number':
      return 'by number, newest first';
  }
}

export class LibrarySearch {
  /** What is in the search box. */
  text = $state('');
  /** What the filter controls hold. */
  filters = $state<Filters>({ ...NO_FILTERS });
  /** The reports of the last answered search. */
  reports = $state.raw<Summary[]>([]);
  /** The query those reports answer. */
  answeredQuery = $state.raw<Query>(query());
  /** Every tag with its count, for the tag filter. */
  tags = $state.raw<TagCount[]>([]);
  /** A search is on its way. */
  loading = $state(false);
  /** Why the last search failed; cleared by the next success. */
  error = $state.raw<BackendError | null>(null);
  /** At least one search has been answered. */
  loaded = $state(false);

  /** The (trimmed) text the shown reports answer. */
  readonly answered = $derived(this.answeredQuery.text);
  /** The shown reports answer a search for words or a filter (not the whole library). */
  readonly answeredNarrowed = $derived.by(() => {
    const q = this.answeredQuery;
    return q.text !== '' || q.tag !== null || q.entity !== null || q.tlp !== null || q.from !== null || q.to !== null;
  });
  /** The library holds no report at all. */
  readonly libraryEmpty = $derived(this.loaded && this.error === null && !this.answeredNarrowed && this.reports.length === 0);
  /** A search or filter found nothing. */
  readonly noMatches = $derived(this.loaded && this.error === null && this.answeredNarrowed && this.reports.length === 0);
  /** Some filter (not the text) is set. */
  readonly filtered = $derived(narrows(this.filters));

  readonly #backend: Backend;
  readonly #scheduled: Debounced<[]>;
  /** Numbers each request so that only the newest answer is shown. */
  #sequence = 0;
  #tagSequence = 0;

  constructor(backend: Backend, delayMs: number = SEARCH_DELAY_MS) {
    this.#backend = backend;
    this.#scheduled = debounce(() => void this.refresh(), delayMs);
  }

  /** The user typed in the search box: search once they pause. */
  setText(text: string): void {
    this.text = text;
    this.#scheduled();
  }

  /**
   * A filter changed. Typed text (the entity) waits for a pause like the search box;
   * picked values (selects, dates) search at once.
   */
  setFilter<K extends keyof Filters>(name: K, value: Filters[K]): void {
    this.filters = { ...this.filters, [name]: value };
    if (name === 'entity') this.#scheduled();
    else void this.refresh();
  }

  /** The query the current text and filters make. */
  currentQuery(): Query {
    return buildQuery(this.text, this.filters);
  }

  /** Search now (Enter, Retry, first load, back from the editor). */
  async refresh(): Promise<void> {
    this.#scheduled.cancel();
    const sequence = ++this.#sequence;
    const q = this.currentQuery();
    this.loading = true;
    try {
      const reports = await this.#backend.listReports(q);
      if (sequence !== this.#sequence) return;
      this.reports = reports;
      this.answeredQuery = q;
      this.error = null;
      if (!this.loaded) markListed();
      this.loaded = true;
    } catch (reason) {
      if (sequence !== this.#sequence) return;
      this.error = BackendError.from(reason, 'list_reports');
    } finally {
      if (sequence === this.#sequence) this.loading = false;
    }
  }

  /**
   * Reloads the tags for the tag filter. A failure leaves the old list (the report list shows
   * errors); a chosen tag no longer in the library stays chosen so the user sees why nothing matches.
   */
  async refreshTags(): Promise<void> {
    const sequence = ++this.#tagSequence;
    try {
      const tags = await this.#backend.listTags();
      if (sequence === this.#tagSequence) this.tags = tags;
    } catch {
      // Keep the previous tags.
    }
  }

  /** The list and the tags, e.g. after reports were added or deleted. */
  async reload(): Promise<void> {
    await Promise.all([this.refresh(), this.refreshTags()]);
  }

  /** Empties the search box and lists the library (filters stay). */
  async clear(): Promise<void> {
    this.text = '';
    await this.refresh();
  }

  /** Resets every filter (the text and sorting stay) and searches again. */
  async clearFilters(): Promise<void> {
    this.filters = { ...NO_FILTERS, sort: this.filters.sort };
    await this.refresh();
  }

  /** Empties the search box and every filter (sorting stays) and lists the whole library. */
  async clearAll(): Promise<void> {
    this.text = '';
    this.filters = { ...NO_FILTERS, sort: this.filters.sort };
    await this.refresh();
  }

  /** Stops a waiting search (the screen is going away). */
  dispose(): void {
    this.#scheduled.cancel();
  }
}

/** The performance mark set when the library first lists reports (the startup benchmark reads it). */
export const LISTED_MARK = 'briefwright:library-listed';

function markListed(): void {
  if (performance.getEntriesByName(LISTED_MARK).length === 0) performance.mark(LISTED_MARK);
}
