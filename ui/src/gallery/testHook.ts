// End-to-end test hook: `window.__briefwrightTest.attachPaths(paths, figure?)` runs the same code
// as after the gallery's file dialog returns. Installed only when the app reports test hooks on.

export type AttachPaths = (paths: string[], figure?: number) => Promise<unknown>;

interface TestHooks {
  attachPaths?: AttachPaths;
  [name: string]: unknown;
}

type WithHooks = { __briefwrightTest?: TestHooks };

/** Adds `attachPaths` to the test hooks when `enabled`; the returned function takes it away again. */
export function registerAttachHook(enabled: boolean, attachPaths: AttachPaths, target: object = window): () => void {
  if (!enabled) return () => {};
  const host = target as WithHooks;
  host.__briefwrightTest = { ...host.__briefwrightTest, attachPaths };
  return () => {
    const hooks = host.__briefwrightTest;
    if (hooks?.attachPaths !== attachPaths) return;
    const { attachPaths: _removed, ...rest } = hooks;
    host.__briefwrightTest = rest;
  };
}
