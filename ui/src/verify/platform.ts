// The verify view's doors to the desktop: the open dialog for a PDF (see ../brief/platform.ts for
// the test hook) and PDF files dropped on the window.

import { isTauri } from '@tauri-apps/api/core';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { pickFile } from '../brief/platform';

export const PDF_FILTERS = [{ name: 'PDF documents', extensions: ['pdf'] }];

export function pickPdf(testHooks: boolean): Promise<string | null> {
  return pickFile({ title: 'Verify a signed brief', filters: PDF_FILTERS, testHooks });
}

/** A file drag over the window. */
export type Drop = { kind: 'over' } | { kind: 'drop'; paths: string[] } | { kind: 'leave' };

/** Listens for files dragged onto the window until the returned function is called. */
export function listenDrops(handler: (drop: Drop) => void): () => void {
  if (!isTauri()) return () => {};
  let stopped = false;
  let stop: (() => void) | null = null;
  getCurrentWebview()
    .onDragDropEvent(({ payload }) => {
      if (payload.type === 'drop') handler({ kind: 'drop', paths: payload.paths });
      else if (payload.type === 'leave') handler({ kind: 'leave' });
      else handler({ kind: 'over' });
    })
    .then((unlisten) => {
      if (stopped) unlisten();
      else stop = unlisten;
    })
    .catch(() => {
      // No drops (e.g. a missing permission): the Choose button still works.
    });
  return () => {
    stopped = true;
    stop?.();
  };
}
