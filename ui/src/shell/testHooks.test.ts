import { afterEach, describe, expect, it } from 'vitest';
import { enableTestHooks, registerTestHook, resetTestHooksForTests, TEST_HOOKS_GLOBAL } from './testHooks';

afterEach(() => resetTestHooksForTests(null));

describe('test hooks', () => {
  it('are not published unless enabled', () => {
    const win: Record<string, unknown> = {};
    resetTestHooksForTests(win);
    registerTestHook('importPaths', async () => 'x');
    enableTestHooks(false);
    expect(win[TEST_HOOKS_GLOBAL]).toBeUndefined();
  });

  it('publish hooks registered before and after enabling, on one plain object', async () => {
    const win: Record<string, unknown> = {};
    resetTestHooksForTests(win);
    registerTestHook('importPaths', async (paths: string[]) => paths.length);
    enableTestHooks(true);
    const remove = registerTestHook('attachPaths', async (paths: string[], figure?: number) => [paths, figure]);
    const hooks = win[TEST_HOOKS_GLOBAL] as Record<string, (...args: unknown[]) => Promise<unknown>>;
    expect(Object.keys(hooks).sort()).toEqual(['attachPaths', 'importPaths']);
    expect(await hooks.importPaths?.(['a', 'b'])).toBe(2);
    expect(await hooks.attachPaths?.(['a'], 2)).toEqual([['a'], 2]);
    remove();
    expect(Object.keys(hooks)).toEqual(['importPaths']);
  });

  it('a removed hook does not remove a newer one of the same name; disabling removes the object', () => {
    const win: Record<string, unknown> = {};
    resetTestHooksForTests(win);
    enableTestHooks(true);
    const first = async () => 1;
    const second = async () => 2;
    const removeFirst = registerTestHook('attachPaths', first);
    registerTestHook('attachPaths', second);
    removeFirst();
    expect((win[TEST_HOOKS_GLOBAL] as Record<string, unknown>).attachPaths).toBe(second);
    enableTestHooks(false);
    expect(win[TEST_HOOKS_GLOBAL]).toBeUndefined();
  });
});
