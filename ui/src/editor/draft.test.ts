import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError, type Backend } from '../lib/backend';
import type { Report, Report_Deserialize, StoredReport } from '../lib/bindings';
import { fakeBackend } from '../lib/fake-backend';
import { received, sampleReport, storedReport } from '../lib/fake-reports';
import { AUTOSAVE_DELAY_MS, ReportDraft, sameData } from './draft.svelte';

/** A library of one report that checks bases like the Rust store; `hold` makes saves wait. */
function library(initial: StoredReport) {
  let current = structuredClone(initial);
  const saves: { base: number; report: Report_Deserialize }[] = [];
  const waiting: (() => void)[] = [];
  let hold = false;
  let inFlight = 0;
  let maxInFlight = 0;
  const backend: Backend = fakeBackend({
    async saveReport(id, base, report) {
      saves.push({ base, report: structuredClone(report) });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (hold) await new Promise<void>((resolve) => waiting.push(resolve));
        if (base !== current.revision) throw new BackendError('stale', `report changed since revision ${base}`);
        current = { ...current, revision: current.revision + 1, report: received(report) };
        return structuredClone(current);
      } finally {
        inFlight--;
      }
    },
    async setStatus(id, base, status) {
      if (base !== current.revision) throw new BackendError('stale', 'changed');
      current = { ...current, revision: current.revision + 1, status };
      return structuredClone(current);
    },
    async restoreRevision(id, revision, base) {
      if (base !== current.revision) throw new BackendError('stale', 'changed');
      current = { ...current, revision: current.revision + 1, report: { ...sampleReport(), title: `restored ${revision}` } };
      return structuredClone(current);
    },
    async getReport() {
      return structuredClone(current);
    },
  });
  return {
    backend,
    saves,
    get current() {
      return current;
    },
    /** Someone else (the CLI, another window) saves a change. */
    changeElsewhere(edit: (r: Report) => void) {
      const report = structuredClone(current.report);
      edit(report);
      current = { ...current, revision: current.revision + 1, report };
    },
    hold() {
      hold = true;
    },
    release() {
      hold = false;
      waiting.splice(0).forEach((resolve) => resolve());
    },
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

/** A draft of the stored report at `revision`, over a `library` that holds the same report. */
function drafting(revision = 1) {
  const lib = library(storedReport(revision));
  return { lib, draft: new ReportDraft(lib.backend, storedReport(revision)) };
}

/** An edit as the editor's fields make it: the change, then `changed`. */
function edit(draft: ReportDraft, change: Partial<Report>) {
  Object.assign(draft.report, change);
  draft.changed();
}

/** Lets pending promise callbacks run. */
async function settle() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('ReportDraft', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts saved with a copy of the stored report', () => {
    const start = storedReport(1);
    const draft = new ReportDraft(library(start).backend, start);
    expect(draft.phaseLabel).toBe('Saved');
    draft.report.title = 'changed';
    expect(start.report.title).toBe('Canal drought');
  });

  it('coalesces a burst of edits into one save after the pause', async () => {
    const { lib, draft } = drafting();
    for (const title of ['C', 'Ca', 'Can', 'Cana', 'Canal']) {
      edit(draft, { title });
      await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS / 2);
    }
    expect(lib.saves).toHaveLength(0);
    expect(draft.phaseLabel).toBe('Unsaved changes');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(lib.saves).toHaveLength(1);
    expect(lib.saves[0]).toMatchObject({ base: 1, report: { title: 'Canal' } });
    expect(draft.stored.revision).toBe(2);
    expect(draft.phaseLabel).toBe('Saved');
  });

  it('does not save when nothing really changed', async () => {
    const { lib, draft } = drafting();
    edit(draft, { title: 'other' });
    edit(draft, { title: 'Canal drought' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(lib.saves).toHaveLength(0);
    expect(draft.phaseLabel).toBe('Saved');
  });

  it('serialises saves, basing each on the revision the previous one returned', async () => {
    const { lib, draft } = drafting();
    lib.hold();
    edit(draft, { bluf: 'first' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(draft.phaseLabel).toBe('Saving…');
    edit(draft, { bluf: 'second' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS * 3);
    expect(lib.saves).toHaveLength(1); // the second waits for the first
    lib.release();
    await settle();
    await vi.advanceTimersByTimeAsync(0);
    await settle();
    expect(lib.maxInFlight).toBe(1);
    expect(lib.saves.map((s) => [s.base, s.report.bluf])).toEqual([
      [1, 'first'],
      [2, 'second'],
    ]);
    expect(draft.stored.revision).toBe(3);
    expect(draft.phaseLabel).toBe('Saved');
  });

  it('saves at once on flush and resolves with the stored report', async () => {
    const { lib, draft } = drafting(4);
    edit(draft, { notes: 'n' });
    const result = await draft.flush();
    expect(result.revision).toBe(5);
    expect(result.report.notes).toBe('n');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS * 2);
    expect(lib.saves).toHaveLength(1); // the scheduled save was replaced by the flush
    expect(await draft.flush()).toBe(draft.stored); // nothing pending: no save
    expect(lib.saves).toHaveLength(1);
  });

  it('flush waits for a save in flight and then saves what came after', async () => {
    const { lib, draft } = drafting();
    lib.hold();
    edit(draft, { outlook: 'a' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    edit(draft, { outlook: 'ab' });
    const flushed = draft.flush();
    lib.release();
    const result = await flushed;
    expect(result.revision).toBe(3);
    expect(result.report.outlook).toBe('ab');
    expect(lib.maxInFlight).toBe(1);
  });

  it('refuses to overwrite a report changed elsewhere and keeps the edits', async () => {
    const { lib, draft } = drafting();
    lib.changeElsewhere((r) => (r.title = 'their title'));
    edit(draft, { title: 'my title' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(draft.stale).toBe(true);
    expect(draft.phase).toBe('stale');
    expect(draft.report.title).toBe('my title');
    expect(lib.current.report.title).toBe('their title');

    // Further edits are kept, never saved over the other version.
    edit(draft, { bluf: 'more' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS * 2);
    expect(lib.saves).toHaveLength(1);
    await expect(draft.flush()).rejects.toMatchObject({ code: 'stale' });
    expect(lib.current.report.title).toBe('their title');

    // Reload shows the other version.
    await draft.reload();
    expect(draft.report.title).toBe('their title');
    expect(draft.stored.revision).toBe(2);
    expect(draft.phaseLabel).toBe('Saved');
  });

  it('reports other failures and saves again on the next edit', async () => {
    let fail = true;
    let revision = 1;
    const backend = fakeBackend({
      async saveReport(_id, _base, report) {
        if (fail) throw new BackendError('busy', 'the library is busy');
        return storedReport(++revision, received(report));
      },
    });
    const draft = new ReportDraft(backend, storedReport(1));
    edit(draft, { title: 'x' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(draft.phase).toBe('error');
    expect(draft.error?.message).toBe('the library is busy');
    expect(draft.dirty).toBe(true);
    fail = false;
    edit(draft, { title: 'xy' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(draft.phaseLabel).toBe('Saved');
    expect(draft.stored.report.title).toBe('xy');
  });

  it('adopts a gallery result: revision and figures from it, local edits kept and saved on top', async () => {
    const { lib, draft } = drafting();
    await draft.flush();
    // The gallery attaches an image on revision 1 → 2 …
    lib.changeElsewhere((r) => (r.images = [{ caption: 'Map', image: null }]));
    // … while the analyst keeps typing.
    edit(draft, { bluf: 'typed meanwhile' });
    draft.adopt(structuredClone(lib.current));
    expect(draft.stored.revision).toBe(2);
    expect(draft.report.images).toEqual([{ caption: 'Map', image: null }]);
    expect(draft.report.bluf).toBe('typed meanwhile');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(lib.saves.at(-1)).toMatchObject({ base: 2, report: { bluf: 'typed meanwhile', images: [{ caption: 'Map' }] } });
    expect(draft.phaseLabel).toBe('Saved');
  });

  it('ignores an older report than it has', () => {
    const { draft } = drafting(5);
    draft.adopt(storedReport(3));
    expect(draft.stored.revision).toBe(5);
  });

  it('saves again on the adopted revision when a save in flight crossed a gallery change', async () => {
    const { lib, draft } = drafting();
    lib.hold();
    edit(draft, { bluf: 'mine' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS); // save based on 1 is in flight
    lib.changeElsewhere((r) => (r.images = [{ caption: 'Chart', image: null }])); // the gallery, from revision 1
    draft.adopt(structuredClone(lib.current));
    lib.release();
    await draft.flush();
    expect(draft.stale).toBe(false);
    expect(lib.current.report).toMatchObject({ bluf: 'mine', images: [{ caption: 'Chart' }] });
  });

  it('saves pending edits before a status change and shows the new status', async () => {
    const { lib, draft } = drafting();
    edit(draft, { title: 'final title' });
    await draft.setStatus('final');
    expect(draft.stored.status).toBe('final');
    expect(draft.stored.revision).toBe(3);
    expect(lib.current.report.title).toBe('final title');
  });

  it('restores a revision after saving pending edits and shows its content', async () => {
    const { lib, draft } = drafting();
    edit(draft, { title: 'kept in history' });
    await draft.restore(1);
    expect(lib.saves.map((s) => s.report.title)).toEqual(['kept in history']);
    expect(draft.report.title).toBe('restored 1');
    expect(draft.stored.revision).toBe(3);
    expect(draft.phaseLabel).toBe('Saved');
  });
});

describe('sameData', () => {
  it('compares plain data deeply, whatever the key order', () => {
    expect(sameData({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 })).toBe(true);
    expect(sameData({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameData([1, 2], [2, 1])).toBe(false);
    expect(sameData(null, {})).toBe(false);
  });
});
