// The one typed door to the Rust side. Components and stores talk to a `Backend`;
// only this module calls Tauri's `invoke`, and every rejection leaves it as a `BackendError`.

import { invoke as tauriInvoke, isTauri } from '@tauri-apps/api/core';
import type { IpcError, Query, Summary } from './types';

/** Codes produced here rather than by the Rust side. */
export const NO_BACKEND = 'no_backend';
export const IPC_FAILURE = 'ipc';

/** A failed backend call: the `{code, message}` the Rust side sent, or one made up here. */
export class BackendError extends Error {
  override readonly name = 'BackendError';

  constructor(
    /** Stable code, e.g. `busy`, `library_too_new`, `store_unavailable` (see src-tauri/src/error.rs). */
    readonly code: string,
    message: string,
    /** The command that failed. */
    readonly command?: string,
  ) {
    super(message);
  }

  /** Turns whatever an `invoke` rejected with into a `BackendError`. */
  static from(reason: unknown, command?: string): BackendError {
    if (reason instanceof BackendError) return reason;
    if (isIpcError(reason)) return new BackendError(reason.code, reason.message, command);
    if (typeof reason === 'string' && reason.trim() !== '') {
      // Tauri itself rejects with a bare string, e.g. when a command is missing or not permitted.
      return new BackendError(IPC_FAILURE, reason, command);
    }
    if (reason instanceof Error && reason.message.trim() !== '') {
      return new BackendError(IPC_FAILURE, reason.message, command);
    }
    return new BackendError(IPC_FAILURE, 'the app did not answer as expected', command);
  }
}

function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string';
}

/** Everything the UI may ask of the Rust side. */
export interface Backend {
  /** Reports matching the query; an empty query lists the whole library, newest first. */
  listReports(query: Query): Promise<Summary[]>;
}

/** The shape of Tauri's `invoke`, so tests can hand in their own. */
export type Invoke = (command: string, args?: Record<string, unknown>) => Promise<unknown>;

/** Tauri's `invoke`, refusing early (with a clear message) outside the app's window. */
const invokeInApp: Invoke = (command, args) => {
  if (!isTauri()) {
    return Promise.reject(
      new BackendError(
        NO_BACKEND,
        'this page is not running inside the Briefwright app, so it cannot reach the library',
        command,
      ),
    );
  }
  return tauriInvoke(command, args);
};

export function createBackend(invoke: Invoke = invokeInApp): Backend {
  async function call<T>(command: string, args: Record<string, unknown>): Promise<T> {
    try {
      return (await invoke(command, args)) as T;
    } catch (reason) {
      throw BackendError.from(reason, command);
    }
  }

  return {
    listReports: (query) => call<Summary[]>('list_reports', { query }),
  };
}

/** The backend of the running app. */
export const backend: Backend = createBackend();
