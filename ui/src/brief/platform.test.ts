import { afterEach, describe, expect, it } from 'vitest';
import { TEST_HOOKS_GLOBAL } from '../shell/testHooks';
import { pickFile, saveFile, takeTestDialogPath } from './platform';

const host = globalThis as unknown as Record<string, Record<string, unknown> | undefined>;

afterEach(() => {
  delete host[TEST_HOOKS_GLOBAL];
});

describe('dialog test hooks', () => {
  it('answers a dialog once with the queued path, only with test hooks on', async () => {
    host[TEST_HOOKS_GLOBAL] = {};
    host[TEST_HOOKS_GLOBAL]['nextDialogPath'] = '/tmp/a.pdf';
    await expect(pickFile({ title: 't', filters: [], testHooks: true })).resolves.toBe('/tmp/a.pdf');
    expect(takeTestDialogPath()).toBeUndefined();
    host[TEST_HOOKS_GLOBAL]['nextDialogPath'] = null;
    await expect(saveFile({ title: 't', filters: [], defaultPath: 'a.pdf', testHooks: true })).resolves.toBeNull();
    host[TEST_HOOKS_GLOBAL]['nextDialogPath'] = '/tmp/b.pdf';
    // Without test hooks the real dialog is used (outside the app: an error), and the queue stays.
    await expect(pickFile({ title: 't', filters: [] })).rejects.toThrow(/inside the Briefwright app/);
    expect(takeTestDialogPath()).toBe('/tmp/b.pdf');
  });

});
