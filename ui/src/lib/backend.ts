// The one door to the Rust side. The client is generated from the Rust commands (bindings.ts,
// tauri-specta); this module wraps it so that every rejection leaves as a `BackendError` with a
// typed code, and so that outside the app's window a call says so instead of crashing. Components
// and stores talk to a `Backend`; only this module (through bindings.ts) reaches Tauri's `invoke`.

import { isTauri } from '@tauri-apps/api/core';
import { commands, ERROR_CODES, type ErrorCode } from './bindings';

/** The generated commands, each as the Rust side declares it. */
type Commands = typeof commands;

/**
 * Everything the UI may ask of the Rust side (src-tauri/src/commands/, named in list.rs), with
 * the argument and result types generated from Rust. Every method rejects with a `BackendError`.
 * `base` is always the revision the edit started from: a save based on an older revision is
 * refused with code `stale` (the report changed elsewhere meanwhile). Figure numbers are 1-based.
 */
export type Backend = Commands;

/** Thumbnail edge lengths the backend makes (px). */
export type ThumbSize = 256 | 1024;

/**
 * The codes a refusal can carry: the Rust side's, two that arise in this module, and
 * `undo_unavailable` (the gallery's undo found the report changed since the removal).
 */
export type Code = ErrorCode | 'no_backend' | 'ipc' | 'undo_unavailable';

/** The page is not running inside the app's window. */
export const NO_BACKEND = 'no_backend' satisfies Code;
/** The call itself failed (the command is missing or not permitted, the answer was not understood). */
export const IPC_FAILURE = 'ipc' satisfies Code;

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODES.has(value);
}

/** A failed backend call: the `{code, message}` the Rust side sent, or one made up here. */
export class BackendError extends Error {
  override readonly name = 'BackendError';

  constructor(
    /** Stable code, e.g. `busy`, `library_too_new`, `stale` (`ErrorCode` in bindings.ts). */
    readonly code: Code,
    message: string,
    /** The command that failed, as Rust names it (`list_reports`). */
    readonly command?: string,
  ) {
    super(message);
  }

  /** Turns whatever a call rejected with into a `BackendError`. */
  static from(reason: unknown, command?: string): BackendError {
    if (reason instanceof BackendError) return reason;
    if (typeof reason === 'object' && reason !== null) {
      const { code, message } = reason as Record<string, unknown>;
      if (isErrorCode(code) && typeof message === 'string') return new BackendError(code, message, command);
    }
    if (typeof reason === 'string' && reason.trim() !== '') {
      // Tauri itself rejects with a bare string only when the call never reached a command
      // (a command missing or not permitted): every command's own refusal is `{code, message}`.
      return new BackendError(IPC_FAILURE, reason, command);
    }
    if (reason instanceof Error && reason.message.trim() !== '') {
      return new BackendError(IPC_FAILURE, reason.message, command);
    }
    return new BackendError(IPC_FAILURE, 'the app did not answer as expected', command);
  }
}

/** `listReports` → `list_reports`: the command's name on the Rust side. */
function rustName(accessor: string): string {
  return accessor.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * The generated client with every rejection turned into a `BackendError`, refusing early (with a
 * clear message) outside the app's window. Tests hand in their own `inApp`.
 */
export function createBackend(inApp: () => boolean = isTauri): Backend {
  const backend: Record<string, unknown> = {};
  for (const [accessor, call] of Object.entries(commands) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    const command = rustName(accessor);
    backend[accessor] = async (...args: unknown[]) => {
      if (!inApp()) {
        throw new BackendError(
          NO_BACKEND,
          'this page is not running inside the Briefwright app, so it cannot reach the library',
          command,
        );
      }
      try {
        return await call(...args);
      } catch (reason) {
        throw BackendError.from(reason, command);
      }
    };
  }
  return backend as Backend;
}

/** The backend of the running app. */
export const backend: Backend = createBackend();
