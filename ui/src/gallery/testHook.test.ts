import { describe, expect, it } from 'vitest';
import { registerAttachHook } from './testHook';

describe('attachPaths test hook', () => {
  const attach = async () => 'done';

  it('is added next to the other hooks only when enabled, and taken away again', () => {
    const target: { __briefwrightTest?: Record<string, unknown> } = { __briefwrightTest: { importPaths: 'x' } };
    const off = registerAttachHook(true, attach, target);
    expect(target.__briefwrightTest).toEqual({ importPaths: 'x', attachPaths: attach });
    off();
    expect(target.__briefwrightTest).toEqual({ importPaths: 'x' });
  });

  it('installs nothing when test hooks are off', () => {
    const target: { __briefwrightTest?: unknown } = {};
    registerAttachHook(false, attach, target)();
    expect(target).toEqual({});
  });
});
