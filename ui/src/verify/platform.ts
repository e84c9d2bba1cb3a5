// The verify view's doors to the desktop: the open dialog for a PDF (see ../brief/platform.ts for
// the test hook) and PDF files dropped on the window (the app's file drags, ../lib/platform.ts).

import { pickFile } from '../brief/platform';
import { listenForFileDrags, platform } from '../lib/platform';

export const PDF_FILTERS = [{ name: 'PDF documents', extensions: ['pdf'] }];

export function pickPdf(testHooks: boolean): Promise<string | null> {
  return pickFile({ title: 'Verify a signed brief', filters: PDF_FILTERS, testHooks });
}

/** A file drag over the window. */
export type Drop = { kind: 'over' } | { kind: 'drop'; paths: string[] } | { kind: 'leave' };

/** Listens for files dragged onto the window until the returned function is called. */
export function listenDrops(handler: (drop: Drop) => void): () => void {
  return listenForFileDrags(platform, (drag) => handler(drag.kind === 'enter' ? { kind: 'over' } : drag));
}
