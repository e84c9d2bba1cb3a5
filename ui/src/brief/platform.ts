// Native file dialogs for the export dialog, the verify view and the settings (kept apart so the
// components stay testable). End-to-end tests cannot drive native dialogs: when the app runs with
// test hooks, a test sets `window.__briefwrightTest.nextDialogPath = '/abs/path'` (or `null` for
// "cancelled") and the next dialog opened by a view with `testHooks` returns it instead of showing.

import { isTauri } from '@tauri-apps/api/core';
import { open, save, type DialogFilter } from '@tauri-apps/plugin-dialog';
import { TEST_HOOKS_GLOBAL } from '../shell/testHooks';

export type { DialogFilter };

/** The path a test queued for the next dialog: a string, `null` (cancelled), or `undefined` (none queued). */
export function takeTestDialogPath(): string | null | undefined {
  const hooks = (globalThis as unknown as Record<string, Record<string, unknown> | undefined>)[TEST_HOOKS_GLOBAL];
  if (!hooks || !('nextDialogPath' in hooks)) return undefined;
  const path = hooks['nextDialogPath'];
  delete hooks['nextDialogPath'];
  return typeof path === 'string' && path !== '' ? path : null;
}

export interface DialogOptions {
  title: string;
  filters: DialogFilter[];
  /** Let a test answer through `nextDialogPath` (only when the app runs with test hooks). */
  testHooks?: boolean;
}

function fromTest(testHooks: boolean | undefined): string | null | undefined {
  return testHooks ? takeTestDialogPath() : undefined;
}

function needApp(): void {
  if (!isTauri()) throw new Error('file dialogs are only available inside the Briefwright app');
}

/** The native save dialog; the chosen path, or null when cancelled. */
export async function saveFile(options: DialogOptions & { defaultPath: string }): Promise<string | null> {
  const queued = fromTest(options.testHooks);
  if (queued !== undefined) return queued;
  needApp();
  return save({ title: options.title, defaultPath: options.defaultPath, filters: options.filters });
}

/** The native open dialog for one file; the chosen path, or null when cancelled. */
export async function pickFile(options: DialogOptions): Promise<string | null> {
  const queued = fromTest(options.testHooks);
  if (queued !== undefined) return queued;
  needApp();
  return onePath(await open({ title: options.title, filters: options.filters, multiple: false, directory: false }));
}

/** The chosen path: one with `multiple: false`, though an array is still taken apart should one come. */
function onePath(picked: string | string[] | null): string | null {
  if (picked === null) return null;
  return Array.isArray(picked) ? (picked[0] ?? null) : picked;
}
