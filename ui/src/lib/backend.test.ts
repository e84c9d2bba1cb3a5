import { beforeEach, describe, expect, it, vi } from 'vitest';

// The generated client calls Tauri's `invoke`: stand in for it to see what crosses.
const invoke = vi.fn<(command: string, args?: unknown) => Promise<unknown>>();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (c: string, a?: unknown) => invoke(c, a), isTauri: () => false }));

const { BackendError, createBackend, IPC_FAILURE, NO_BACKEND } = await import('./backend');
const { query } = await import('./query');
import type { Summary } from './bindings';

const report: Summary = {
  id: '00000000-0000-0000-0000-000000000001',
  number: 'BW-2026-0001',
  title: 'Canal drought',
  status: 'draft',
  tlp: 'AMBER',
  published: '2026-03-12',
  created: '2026-03-13T09:00:00Z',
  updated: '2026-03-13T09:00:00Z',
  revision: 1,
  tags: ['water'],
  snippet: null,
};

const inApp = () => true;

describe('createBackend', () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it('sends list_reports with the query under `query` and returns the rows', async () => {
    invoke.mockResolvedValue([report]);
    const rows = await createBackend(inApp).listReports(query({ text: 'drought' }));
    expect(rows).toEqual([report]);
    expect(invoke.mock.calls).toEqual([['list_reports', { query: query({ text: 'drought' }) }]]);
  });

  it('sends every argument under its name', async () => {
    invoke.mockResolvedValue(null);
    await createBackend(inApp).restoreRevision('an id', 2, 5);
    expect(invoke.mock.calls).toEqual([['restore_revision', { id: 'an id', revision: 2, base: 5 }]]);
  });

  it('turns a {code, message} rejection into a typed BackendError', async () => {
    invoke.mockRejectedValue({ code: 'busy', message: 'the library stayed busy' });
    const failure = await createBackend(inApp)
      .listReports(query())
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(failure).toBeInstanceOf(BackendError);
    const { code, message, command } = failure as InstanceType<typeof BackendError>;
    expect({ code, message, command }).toEqual({ code: 'busy', message: 'the library stayed busy', command: 'list_reports' });
  });

  it('refuses with no_backend outside the app window, without calling', async () => {
    const failure = await createBackend()
      .listReports(query())
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BackendError);
    expect((failure as InstanceType<typeof BackendError>).code).toBe(NO_BACKEND);
    expect(invoke).not.toHaveBeenCalled();
  });
});

describe('BackendError.from', () => {
  it('keeps a BackendError as it is', () => {
    const e = new BackendError('stale', 'changed elsewhere');
    expect(BackendError.from(e)).toBe(e);
  });

  it('maps the bare strings Tauri rejects with when no command was reached', () => {
    const e = BackendError.from('Command list_reports not allowed by ACL', 'list_reports');
    expect(e).toMatchObject({ code: IPC_FAILURE, message: 'Command list_reports not allowed by ACL', command: 'list_reports' });
  });

  it('maps thrown Errors, unknown codes and anything else', () => {
    expect(BackendError.from(new TypeError('boom'))).toMatchObject({ code: IPC_FAILURE, message: 'boom' });
    expect(BackendError.from(undefined)).toMatchObject({ code: IPC_FAILURE, message: 'the app did not answer as expected' });
    expect(BackendError.from({ code: 7, message: 'not a string code' }).code).toBe(IPC_FAILURE);
    expect(BackendError.from({ code: 'made_up', message: 'not one of ours' }).code).toBe(IPC_FAILURE);
    expect(BackendError.from('   ').message).toBe('the app did not answer as expected');
  });

  it('is an Error with a name', () => {
    const e = BackendError.from({ code: 'busy', message: 'busy' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('BackendError');
  });
});
