import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError, type Backend } from '../lib/backend';
import type { StoredReport, Summary } from '../lib/bindings';
import { fakeBackend } from '../lib/fake-backend';
import { Notice, NOTICE_MS } from '../shell/notice.svelte';
import { LibraryActions, reportName } from './actions.svelte';

function summary(id: string, number: string, title: string): Summary {
  return { id, number, title, status: 'draft', tlp: 'GREEN', published: null, created: '', updated: '', revision: 1, tags: [], snippet: null };
}

function stored(id: string, number: string, title: string): StoredReport {
  return {
    id,
    number,
    status: 'draft',
    revision: 1,
    created: '',
    updated: '',
    report: { title } as StoredReport['report'],
  };
}

function setup(parts: Partial<Backend>) {
  const opened: string[] = [];
  const reloads: (string | null | undefined)[] = [];
  const notice = new Notice();
  const actions = new LibraryActions({
    backend: fakeBackend(parts),
    notice,
    open: (id) => opened.push(id),
    reload: async (select) => {
      reloads.push(select);
    },
  });
  return { actions, opened, reloads, notice };
}

const canal = summary('c', 'BW-2026-0003', 'Canal drought');

describe('LibraryActions', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('names a report by number and title', () => {
    expect(reportName('BW-2026-0003', ' Canal drought ')).toBe('BW-2026-0003 “Canal drought”');
    expect(reportName('BW-2026-0004', '')).toBe('BW-2026-0004');
  });

  it('new report: creates a draft and opens it', async () => {
    const { actions, opened } = setup({ createReport: async () => stored('n', 'BW-2026-0009', '') });
    expect(await actions.newReport()).toBe(true);
    expect(opened).toEqual(['n']);
    expect(actions.busy).toBe(false);
  });

  it('delete asks first; cancel keeps the report', async () => {
    const deleted: string[] = [];
    const { actions, reloads } = setup({
      deleteReport: async (id) => {
        deleted.push(id);
        return stored(id, 'BW-2026-0003', 'Canal drought');
      },
    });
    actions.requestDelete(canal);
    expect(actions.pendingDelete).toBe(canal);
    actions.cancelDelete();
    expect(actions.pendingDelete).toBeNull();
    expect(deleted).toEqual([]);
    expect(reloads).toEqual([]);
    actions.requestDelete(null);
    expect(actions.pendingDelete).toBeNull();
  });

  it('confirmed delete removes the report, reloads and says what was deleted', async () => {
    const { actions, reloads, notice } = setup({ deleteReport: async (id) => stored(id, 'BW-2026-0003', 'Canal drought') });
    actions.requestDelete(canal);
    expect(await actions.confirmDelete()).toBe(true);
    expect(actions.pendingDelete).toBeNull();
    expect(reloads).toEqual([undefined]);
    expect(notice.message).toBe('Deleted BW-2026-0003 “Canal drought”');
    await vi.advanceTimersByTimeAsync(NOTICE_MS);
    expect(notice.message).toBe('');
  });

  it('duplicate reloads selecting the copy; a failure is kept as the error', async () => {
    let fail = false;
    const { actions, reloads, notice } = setup({
      duplicateReport: async () => {
        if (fail) throw new BackendError('not_found', 'no such report');
        return stored('copy', 'BW-2026-0010', 'Canal drought');
      },
    });
    expect(await actions.duplicate(canal)).toBe(true);
    expect(reloads).toEqual(['copy']);
    expect(notice.message).toBe('Duplicated BW-2026-0003 as BW-2026-0010 “Canal drought”');
    fail = true;
    expect(await actions.duplicate(canal)).toBe(false);
    expect(actions.error?.code).toBe('not_found');
    expect(await actions.duplicate(null)).toBe(false);
  });

  it('a newer notice is not cleared by an older timer', async () => {
    const notice = new Notice(100);
    notice.show('one');
    await vi.advanceTimersByTimeAsync(60);
    notice.show('two');
    await vi.advanceTimersByTimeAsync(60);
    expect(notice.message).toBe('two');
    await vi.advanceTimersByTimeAsync(40);
    expect(notice.message).toBe('');
  });
});
