import { describe, expect, it } from 'vitest';
import { BAD_ARGUMENT, BackendError, createBackend, IPC_FAILURE, NO_BACKEND, type Invoke } from './backend';
import type { Summary } from './bindings';
import { query } from './query';

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

describe('createBackend', () => {
  it('sends list_reports with the query under `query` and returns the rows', async () => {
    const calls: [string, unknown][] = [];
    const invoke: Invoke = async (command, args) => {
      calls.push([command, args]);
      return [report];
    };
    const rows = await createBackend(invoke).listReports(query({ text: 'drought' }));
    expect(rows).toEqual([report]);
    expect(calls).toEqual([['list_reports', { query: query({ text: 'drought' }) }]]);
  });

  it('turns a {code, message} rejection into a typed BackendError', async () => {
    // Tauri's `invoke` rejects with the command's error as a plain object: that is what is tested.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    const invoke: Invoke = () => Promise.reject({ code: 'busy', message: 'the library stayed busy' });
    const failure = await createBackend(invoke)
      .listReports(query())
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BackendError);
    expect(failure).toMatchObject({ code: 'busy', message: 'the library stayed busy', command: 'list_reports' });
  });

  it('refuses with no_backend outside the app window', async () => {
    // Vitest runs outside Tauri: the default backend must say so instead of crashing.
    const failure = await createBackend()
      .listReports(query())
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BackendError);
    expect((failure as BackendError).code).toBe(NO_BACKEND);
  });
});

describe('BackendError.from', () => {
  it('keeps a BackendError as it is', () => {
    const e = new BackendError('stale', 'changed elsewhere');
    expect(BackendError.from(e)).toBe(e);
  });

  it('maps the bare strings Tauri rejects with', () => {
    const e = BackendError.from('Command list_reports not allowed by ACL', 'list_reports');
    expect(e).toMatchObject({ code: IPC_FAILURE, message: 'Command list_reports not allowed by ACL', command: 'list_reports' });
  });

  it('maps thrown Errors and anything else', () => {
    expect(BackendError.from(new TypeError('boom'))).toMatchObject({ code: IPC_FAILURE, message: 'boom' });
    // An argument that did not decode into its Rust type is a bad argument, like the commands' own refusals.
    const undecodable = 'invalid args `id` for command `get_report`: invalid type: integer `42`, expected a string';
    expect(BackendError.from(undecodable, 'get_report')).toMatchObject({ code: BAD_ARGUMENT, message: undecodable });
    expect(BackendError.from(undefined)).toMatchObject({ code: IPC_FAILURE, message: 'the app did not answer as expected' });
    expect(BackendError.from({ code: 7, message: 'not a string code' }).code).toBe(IPC_FAILURE);
    expect(BackendError.from('   ').message).toBe('the app did not answer as expected');
  });

  it('is an Error with a name', () => {
    const e = BackendError.from({ code: 'busy', message: 'busy' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('BackendError');
  });
});
