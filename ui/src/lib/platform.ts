// The native parts of the window other than commands: the file picker and dropped files.
// Components receive a `Platform` (default export `platform`) so tests can hand in their own;
// only this module and backend.ts import Tauri.

import { isTauri } from '@tauri-apps/api/core';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { open, type DialogFilter } from '@tauri-apps/plugin-dialog';

/** What happens while files are dragged over the window. */
export type FileDrag =
  | { kind: 'enter'; paths: string[] }
  | { kind: 'over' }
  | { kind: 'drop'; paths: string[] }
  | { kind: 'leave' };

export interface PickOptions {
  title: string;
  /** e.g. `[{ name: 'Reports', extensions: ['txt', 'json'] }]` */
  filters: DialogFilter[];
  multiple: boolean;
}

export interface Platform {
  /** The native open dialog; resolves with the chosen paths, [] when cancelled. */
  pickFiles(options: PickOptions): Promise<string[]>;
  /** Calls `handler` for every file drag over the window; resolves with the function that stops it. */
  onFileDrag(handler: (drag: FileDrag) => void): Promise<() => void>;
}

/** The import dialog's filter. */
export const REPORT_FILTERS: DialogFilter[] = [{ name: 'Reports', extensions: ['txt', 'json'] }];

/** The Tauri window's dialog and drag-and-drop; outside the app, no dialog and no drops. */
export function createPlatform(): Platform {
  return {
    async pickFiles({ title, filters, multiple }) {
      if (!isTauri()) throw new Error('the file dialog is only available inside the Briefwright app');
      const picked = await open({ title, filters, multiple, directory: false });
      if (picked === null) return [];
      return Array.isArray(picked) ? picked : [picked];
    },
    async onFileDrag(handler) {
      if (!isTauri()) return () => {};
      return getCurrentWebview().onDragDropEvent(({ payload }) => {
        if (payload.type === 'enter' || payload.type === 'drop') handler({ kind: payload.type, paths: payload.paths });
        else handler({ kind: payload.type });
      });
    },
  };
}

/** The platform of the running app. */
export const platform: Platform = createPlatform();

/** Listens for file drags until the returned function is called, even if that is before listening began. */
export function listenForFileDrags(platform: Platform, handler: (drag: FileDrag) => void): () => void {
  let stopped = false;
  let stop: (() => void) | null = null;
  platform
    .onFileDrag(handler)
    .then((unlisten) => {
      if (stopped) unlisten();
      else stop = unlisten;
    })
    .catch(() => {
      // No drag-and-drop (e.g. a missing permission): the buttons that open a file dialog still work.
    });
  return () => {
    stopped = true;
    stop?.();
  };
}

/** The last part of a path, for messages ("/home/a/x.txt" → "x.txt", "C:\\a\\x.txt" → "x.txt"). */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
