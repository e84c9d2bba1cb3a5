import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError, type Backend } from '../lib/backend';
import type { Query_Deserialize, Summary } from '../lib/bindings';
import { fakeBackend } from '../lib/fake-backend';
import { query } from '../lib/query';
import { buildQuery, LibrarySearch, narrows, NO_FILTERS, orderLabel, SEARCH_DELAY_MS } from './search.svelte';

function summary(n: number, title: string): Summary {
  return {
    id: `00000000-0000-0000-0000-00000000000${n}`,
    number: `BW-2026-000${n}`,
    title,
    status: 'draft',
    tlp: 'GREEN',
    published: null,
    created: '2026-03-13T09:00:00Z',
    updated: '2026-03-13T09:00:00Z',
    revision: 1,
    tags: [],
    snippet: null,
  };
}

const library = [summary(1, 'Canal drought'), summary(2, 'Grid cyberattack')];

/** A backend over a fixed list; `hold` makes every answer wait until released. */
function listingBackend() {
  const queries: Query_Deserialize[] = [];
  let failWith: BackendError | null = null;
  const waiting: (() => void)[] = [];
  let hold = false;
  const backend: Backend = fakeBackend({
    async listReports(query) {
      queries.push(query);
      if (hold) await new Promise<void>((resolve) => waiting.push(resolve));
      if (failWith !== null) throw failWith;
      const text = (query.text ?? '').toLowerCase();
      return library.filter((r) => r.title.toLowerCase().includes(text));
    },
  });
  return {
    backend,
    queries,
    failNext(reason: BackendError) {
      failWith = reason;
    },
    succeed() {
      failWith = null;
    },
    hold() {
      hold = true;
    },
    release(index: number) {
      waiting[index]?.();
    },
  };
}

/** A search over a `listingBackend`. */
function searching() {
  const fake = listingBackend();
  return { fake, search: new LibrarySearch(fake.backend) };
}

describe('LibrarySearch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('lists the whole library on the first refresh', async () => {
    const { fake, search } = searching();
    expect(search.loaded).toBe(false);
    await search.refresh();
    expect(fake.queries).toEqual([query({ text: '' })]);
    expect(search.reports.map((r) => r.number)).toEqual(['BW-2026-0001', 'BW-2026-0002']);
    expect(search.loaded).toBe(true);
    expect(search.loading).toBe(false);
    expect(search.libraryEmpty).toBe(false);
  });

  it('debounces typing into one search for the final text', async () => {
    const { fake, search } = searching();
    search.setText('d');
    search.setText('dr');
    search.setText('drought ');
    expect(search.text).toBe('drought ');
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS - 1);
    expect(fake.queries).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.queries).toEqual([query({ text: 'drought' })]);
    expect(search.reports.map((r) => r.title)).toEqual(['Canal drought']);
    expect(search.answered).toBe('drought');
  });

  it('shows only the newest answer when answers arrive out of order', async () => {
    const { fake, search } = searching();
    fake.hold();
    search.text = 'grid';
    const first = search.refresh();
    search.text = 'canal';
    const second = search.refresh();
    fake.release(1);
    await second;
    fake.release(0);
    await first;
    expect(search.answered).toBe('canal');
    expect(search.reports.map((r) => r.title)).toEqual(['Canal drought']);
    expect(search.loading).toBe(false);
  });

  it('keeps the error until a search succeeds', async () => {
    const { fake, search } = searching();
    fake.failNext(new BackendError('store_unavailable', 'the library could not be opened'));
    await search.refresh();
    expect(search.error).toBeInstanceOf(BackendError);
    expect(search.error?.code).toBe('store_unavailable');
    expect(search.loaded).toBe(false);
    expect(search.libraryEmpty).toBe(false);
    fake.succeed();
    await search.refresh();
    expect(search.error).toBeNull();
    expect(search.reports).toHaveLength(2);
  });

  it('tells an empty library from a search without matches', async () => {
    const empty: Backend = fakeBackend({ listReports: async () => [] });
    const search = new LibrarySearch(empty);
    await search.refresh();
    expect(search.libraryEmpty).toBe(true);
    expect(search.noMatches).toBe(false);
    search.text = 'zebra';
    await search.refresh();
    expect(search.libraryEmpty).toBe(false);
    expect(search.noMatches).toBe(true);
  });

  it('clear empties the box and searches at once; dispose stops a waiting search', async () => {
    const { fake, search } = searching();
    search.setText('grid');
    await search.clear();
    expect(search.text).toBe('');
    expect(fake.queries).toEqual([query({ text: '' })]);
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS * 2);
    expect(fake.queries).toHaveLength(1);
    search.setText('canal');
    search.dispose();
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS * 2);
    expect(fake.queries).toHaveLength(1);
  });
});

describe('filters', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('build the query: empty parts match everything, text and entity are trimmed', () => {
    expect(buildQuery('  grid ', NO_FILTERS)).toEqual(query({ text: 'grid' }));
    expect(
      buildQuery('', { tag: 'energy', entity: '  Acme ', tlp: 'AMBER', from: '2026-01-01', to: '2026-03-31', sort: 'title' }),
    ).toEqual(
      query({ tag: 'energy', entity: 'Acme', tlp: 'AMBER', from: '2026-01-01', to: '2026-03-31', sort: 'title' }),
    );
    // A half-typed date is no filter.
    expect(buildQuery('', { ...NO_FILTERS, entity: '   ', from: '2026-0', to: '' })).toEqual(query());
  });

  it('narrows only for filters, not for the sort order', () => {
    expect(narrows(NO_FILTERS)).toBe(false);
    expect(narrows({ ...NO_FILTERS, sort: 'title' })).toBe(false);
    expect(narrows({ ...NO_FILTERS, entity: ' ' })).toBe(false);
    expect(narrows({ ...NO_FILTERS, tlp: 'RED' })).toBe(true);
    expect(narrows({ ...NO_FILTERS, to: '2026-01-01' })).toBe(true);
  });

  it('selects search at once, the entity text after a pause', async () => {
    const { fake, search } = searching();
    search.setFilter('tlp', 'RED');
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.queries).toEqual([query({ tlp: 'RED' })]);
    search.setFilter('entity', 'Ac');
    search.setFilter('entity', 'Acme');
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS - 1);
    expect(fake.queries).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.queries[1]).toEqual(query({ tlp: 'RED', entity: 'Acme' }));
    search.setFilter('sort', 'number');
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.queries[2]).toEqual(query({ tlp: 'RED', entity: 'Acme', sort: 'number' }));
  });

  it('a filter that finds nothing is "no matches", not an empty library', async () => {
    const backend: Backend = fakeBackend({ listReports: async (q) => (q.tlp === null ? library : []) });
    const search = new LibrarySearch(backend);
    search.setFilter('tlp', 'RED');
    await vi.advanceTimersByTimeAsync(0);
    expect(search.noMatches).toBe(true);
    expect(search.libraryEmpty).toBe(false);
    expect(search.filtered).toBe(true);
    await search.clearFilters();
    expect(search.filters).toEqual(NO_FILTERS);
    expect(search.reports).toHaveLength(2);
  });

  it('clearFilters keeps the text and the sort; clearAll keeps only the sort', async () => {
    const { fake, search } = searching();
    search.text = 'grid';
    search.filters = { ...NO_FILTERS, tag: 'x', sort: 'title' };
    await search.clearFilters();
    expect(fake.queries.at(-1)).toEqual(query({ text: 'grid', sort: 'title' }));
    search.filters = { ...search.filters, tlp: 'RED' };
    await search.clearAll();
    expect(fake.queries.at(-1)).toEqual(query({ sort: 'title' }));
    expect(search.text).toBe('');
  });

  it('loads the tags, keeping the old ones when that fails', async () => {
    let fail = false;
    const backend: Backend = fakeBackend({
      listTags: async () => {
        if (fail) throw new BackendError('busy', 'busy');
        return [{ tag: 'energy', count: 2 }];
      },
      listReports: async () => library,
    });
    const search = new LibrarySearch(backend);
    await search.reload();
    expect(search.tags).toEqual([{ tag: 'energy', count: 2 }]);
    expect(search.reports).toHaveLength(2);
    fail = true;
    await search.refreshTags();
    expect(search.tags).toEqual([{ tag: 'energy', count: 2 }]);
  });

  it('describes the order of the list', () => {
    expect(orderLabel('auto', true)).toBe('best match first');
    expect(orderLabel('auto', false)).toBe('recently updated first');
    expect(orderLabel('title', true)).toBe('by title');
  });
});
