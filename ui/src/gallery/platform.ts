// The gallery's doors to the desktop: the native file picker and files dropped on the window.
// Kept apart so that the gallery's logic stays testable without Tauri.

import { isTauri } from '@tauri-apps/api/core';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { open } from '@tauri-apps/plugin-dialog';
import { IMAGE_EXTENSIONS } from './files';

/** Asks for image files; an empty list when cancelled. */
export async function pickImages(multiple: boolean): Promise<string[]> {
  const picked = await open({
    title: multiple ? 'Attach images' : 'Attach an image',
    multiple,
    directory: false,
    filters: [{ name: 'Images', extensions: [...IMAGE_EXTENSIONS] }],
  });
  if (picked === null) return [];
  return Array.isArray(picked) ? picked : [picked];
}

/** A file drag over the window; positions in CSS pixels of the page. */
export type FileDrag =
  | { type: 'enter' | 'over'; x: number; y: number }
  | { type: 'drop'; paths: string[]; x: number; y: number }
  | { type: 'leave' };

/** Calls `handler` for file drags over the window until the returned function is called. */
export async function listenFileDrags(handler: (drag: FileDrag) => void): Promise<() => void> {
  if (!isTauri()) return () => {};
  const scale = window.devicePixelRatio || 1;
  return getCurrentWebview().onDragDropEvent(({ payload }) => {
    if (payload.type === 'leave') {
      handler({ type: 'leave' });
      return;
    }
    const x = payload.position.x / scale;
    const y = payload.position.y / scale;
    if (payload.type === 'drop') handler({ type: 'drop', paths: payload.paths, x, y });
    else handler({ type: payload.type, x, y });
  });
}
