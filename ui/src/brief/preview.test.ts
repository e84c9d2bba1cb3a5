import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError } from '../lib/backend';
import type { PaintedPage, PdfDocument } from '../lib/pages';
import { MAX_ZOOM, MIN_ZOOM, PreviewStore, REFRESH_DELAY_MS } from './preview.svelte';

/** A fake rendered brief whose pages are 600 × 800 pt. */
function fakeDoc(version: number, pageCount = 3) {
  const doc = {
    version,
    destroyed: false,
    pageCount,
    pageSize: async () => ({ width: 600, height: 800 }),
    paint: async () => ({}) as PaintedPage,
    destroy: async () => {
      doc.destroyed = true;
    },
  };
  return doc as PdfDocument & { version: number; destroyed: boolean };
}

function setup() {
  let version = 0;
  let clock = 1000;
  const loads: number[] = [];
  const opened: (PdfDocument & { version: number; destroyed: boolean })[] = [];
  let failNext: BackendError | null = null;
  const store = new PreviewStore({
    open: async () => {
      version += 1;
      loads.push(version);
      if (failNext) {
        const reason = failNext;
        failNext = null;
        throw reason;
      }
      const doc = fakeDoc(version);
      opened.push(doc);
      return doc;
    },
    now: () => clock,
  });
  return {
    store,
    loads,
    opened,
    tick: (ms: number) => (clock += ms),
    failWith: (reason: BackendError) => (failNext = reason),
  };
}

describe('PreviewStore', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('loads at once on start and measures until the first paint', async () => {
    const t = setup();
    await t.store.start(4);
    expect(t.loads).toEqual([1]);
    expect(t.store.pageCount).toBe(3);
    expect(t.store.page).toBe(1);
    expect(t.store.refreshMs).toBeNull();
    t.tick(40);
    t.store.painted(t.store.doc!);
    expect(t.store.refreshMs).toBe(40);
    expect(t.store.paintedRevision).toBe(4);
    // Painting another page of the same document is not a refresh.
    t.tick(500);
    t.store.painted(t.store.doc!);
    expect(t.store.refreshMs).toBe(40);
  });

  it('debounces revision changes and times from the first unshown change', async () => {
    const t = setup();
    await t.store.start(1);
    t.store.painted(t.store.doc!);
    t.store.revisionChanged(2);
    // A second change within the pause: one load, timed from the first change.
    t.tick(REFRESH_DELAY_MS - 10);
    vi.advanceTimersByTime(REFRESH_DELAY_MS - 10);
    t.store.revisionChanged(3);
    vi.advanceTimersByTime(REFRESH_DELAY_MS - 1);
    expect(t.loads).toEqual([1]);
    vi.advanceTimersByTime(1);
    await vi.runAllTimersAsync();
    expect(t.loads).toEqual([1, 2]);
    t.tick(60);
    t.store.painted(t.store.doc!);
    expect(t.store.refreshMs).toBe(REFRESH_DELAY_MS - 10 + 60);
    expect(t.store.paintedRevision).toBe(3);
  });

  it('keeps the old document until the new one is open, then frees the old one', async () => {
    const t = setup();
    await t.store.start();
    const first = t.store.doc!;
    t.store.revisionChanged();
    expect(t.store.doc).toBe(first);
    await vi.runAllTimersAsync();
    expect(t.store.doc).not.toBe(first);
    expect((first as unknown as { destroyed: boolean }).destroyed).toBe(true);
  });

  it('ignores an older load that answers after a newer one', async () => {
    const resolvers: ((doc: PdfDocument) => void)[] = [];
    const store = new PreviewStore({ open: () => new Promise((resolve) => resolvers.push(resolve)) });
    const first = store.reload();
    const second = store.reload();
    resolvers[1]!(fakeDoc(2));
    await second;
    const stale = fakeDoc(1);
    resolvers[0]!(stale);
    await first;
    expect((store.doc as unknown as { version: number }).version).toBe(2);
    expect(stale.destroyed).toBe(true);
    expect(store.loading).toBe(false);
  });

  it('shows a failure but keeps the last good page', async () => {
    const t = setup();
    await t.store.start();
    const good = t.store.doc;
    t.failWith(new BackendError('not_found', 'no such report'));
    await t.store.reload();
    expect(t.store.error).toBeInstanceOf(BackendError);
    expect(t.store.error?.code).toBe('not_found');
    expect(t.store.doc).toBe(good);
    await t.store.reload();
    expect(t.store.error).toBeNull();
  });

  it('pages within bounds and keeps the page across refreshes', async () => {
    const t = setup();
    await t.store.start();
    expect(t.store.canPrev).toBe(false);
    await t.store.next();
    await t.store.next();
    expect(t.store.page).toBe(3);
    expect(t.store.canNext).toBe(false);
    await t.store.next();
    expect(t.store.page).toBe(3);
    await t.store.reload();
    expect(t.store.page).toBe(3);
    await t.store.prev();
    expect(t.store.page).toBe(2);
  });

  it('fits the width and zooms in steps within limits', async () => {
    const t = setup();
    await t.store.start();
    t.store.fitWidth = 900;
    expect(t.store.scale).toBe(1.5);
    expect(t.store.zoomLabel).toBe('150 %');
    t.store.zoomIn();
    expect(t.store.zoom).toBeCloseTo(1.88, 2);
    for (let i = 0; i < 20; i++) t.store.zoomIn();
    expect(t.store.scale).toBe(MAX_ZOOM);
    for (let i = 0; i < 40; i++) t.store.zoomOut();
    expect(t.store.scale).toBe(MIN_ZOOM);
    t.store.fit();
    expect(t.store.scale).toBe(1.5);
  });

  it('stops after destroy', async () => {
    const t = setup();
    await t.store.start();
    const doc = t.store.doc as unknown as { destroyed: boolean };
    t.store.revisionChanged();
    t.store.destroy();
    await vi.runAllTimersAsync();
    expect(t.loads).toEqual([1]);
    expect(doc.destroyed).toBe(true);
  });
});
