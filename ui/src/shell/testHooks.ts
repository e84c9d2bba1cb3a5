// Hooks the end-to-end tests drive instead of native dialogs: `window.__briefwrightTest`.
// Installed only when the app was started with test hooks on (`AppInfo.testHooks`); never for people.
// Any part of the UI registers its hooks here, e.g. `registerTestHook('importPaths', (paths) => …)`;
// they appear on the window only once `enableTestHooks(true)` has run (in App.svelte).

export type TestHook = (...args: never[]) => Promise<unknown>;

export const TEST_HOOKS_GLOBAL = '__briefwrightTest';

const registered = new Map<string, TestHook>();
let target: Record<string, unknown> | null = null;
let enabled = false;

/** Where the hook object lives: the window, or a stand-in object in tests. */
function host(): Record<string, unknown> {
  return target ?? globalThis;
}

/** The plain object on the window holding the hooks (created on first use). */
function hooks(): Record<string, TestHook> {
  const h = host();
  let object = h[TEST_HOOKS_GLOBAL] as Record<string, TestHook> | undefined;
  if (object === undefined) {
    object = {};
    h[TEST_HOOKS_GLOBAL] = object;
  }
  return object;
}

/** Turns the hooks on (publishing every hook registered so far) or off (removing the object). */
export function enableTestHooks(on: boolean): void {
  enabled = on;
  if (on) {
    const object = hooks();
    for (const [name, fn] of registered) object[name] = fn;
  } else {
    delete host()[TEST_HOOKS_GLOBAL];
  }
}

/** Registers a hook; it is published at once if hooks are on. Returns the function that removes it. */
export function registerTestHook(name: string, fn: TestHook): () => void {
  registered.set(name, fn);
  if (enabled) hooks()[name] = fn;
  return () => {
    if (registered.get(name) !== fn) return;
    registered.delete(name);
    if (enabled) delete hooks()[name];
  };
}

/** Tests only: publish into `object` instead of the window, and forget every hook. */
export function resetTestHooksForTests(object: Record<string, unknown> | null): void {
  registered.clear();
  enabled = false;
  target = object;
}
