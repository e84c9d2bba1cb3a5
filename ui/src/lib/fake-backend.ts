// Tests only: a `Backend` whose methods reject unless a test supplies them.

import { BackendError, type Backend } from './backend';
import { commands } from './bindings';

/** A backend with `parts` filled in; any other call rejects (code `internal`, "… is not faked"). */
export function fakeBackend(parts: Partial<Backend> = {}): Backend {
  const backend: Record<string, unknown> = {};
  for (const name of Object.keys(commands)) {
    backend[name] =
      (parts as Record<string, unknown>)[name] ??
      (() => Promise.reject(new BackendError('internal', `${name} is not faked in this test`)));
  }
  return backend as Backend;
}
