// The pages of a rendered brief. The Rust side renders the brief (our own PDF, as it will print)
// and draws its pages to PNG (briefwright::preview); here they become bitmaps to put on a canvas.
// Nothing here parses PDF: no PDF library runs in the page.

import { BackendError, type Backend } from './backend';
import type { PreviewInfo } from './bindings';

/** The scales the Rust side draws at (device pixels per point): briefwright::preview::{MIN,MAX}_SCALE. */
export const MIN_DEVICE_SCALE = 0.05;
export const MAX_DEVICE_SCALE = 8;

/** A page's size in PDF points (1/72 inch) at scale 1. */
export interface PageSize {
  width: number;
  height: number;
}

/** A drawn page: the bitmap, and the size it is meant to be shown at (CSS px). */
export interface PaintedPage {
  image: ImageBitmap | HTMLImageElement;
  /** Device pixels. */
  width: number;
  height: number;
  /** CSS pixels: the page at the asked scale, whatever the bitmap's resolution. */
  cssWidth: number;
  cssHeight: number;
  /** Frees the bitmap (call once it is on the canvas). */
  release(): void;
}

/** A rendered brief. `destroy` lets the Rust side drop it; a destroyed document cannot be painted. */
export interface PdfDocument {
  readonly pageCount: number;
  /** The size of page `n` (1-based) at scale 1, in CSS pixels (= PDF points). */
  pageSize(n: number): Promise<PageSize>;
  /**
   * Draws page `n` at `scale` (CSS px per point) with `scale × pixelRatio` device pixels per
   * point (at most MAX_DEVICE_SCALE); rejects with `RenderCancelled` when `signal` aborts.
   */
  paint(n: number, scale: number, pixelRatio: number, signal?: AbortSignal): Promise<PaintedPage>;
  destroy(): Promise<void>;
}

/** A paint stopped because a newer one replaced it. */
export class RenderCancelled extends Error {
  override readonly name = 'RenderCancelled';
}

type PageBackend = Pick<Backend, 'previewPage' | 'previewClose'>;

/** The brief `info` (from `previewOpen`) as a document whose pages the backend draws. */
export function renderedBrief(backend: PageBackend, info: PreviewInfo): PdfDocument {
  let destroyed = false;
  return {
    pageCount: info.pages.length,
    pageSize(n) {
      const page = info.pages[n - 1];
      if (!page) return Promise.reject(new RangeError(`the brief has no page ${n}`));
      return Promise.resolve({ width: page.width, height: page.height });
    },
    async paint(n, scale, pixelRatio, signal) {
      const page = await this.pageSize(n);
      if (signal?.aborted || destroyed) throw new RenderCancelled('replaced');
      const device = Math.min(MAX_DEVICE_SCALE, Math.max(MIN_DEVICE_SCALE, scale * pixelRatio));
      let png: Uint8Array;
      try {
        png = new Uint8Array(await backend.previewPage(info.token, n, device));
      } catch (error) {
        // A newer request overtook this one, or this document was let go meanwhile.
        const superseded = error instanceof BackendError && error.code === 'superseded';
        if (superseded || signal?.aborted || destroyed) throw new RenderCancelled('replaced');
        throw error;
      }
      if (signal?.aborted || destroyed) throw new RenderCancelled('replaced');
      const image = await decodePng(png);
      if (signal?.aborted || destroyed) {
        release(image);
        throw new RenderCancelled('replaced');
      }
      return {
        image,
        width: image.width,
        height: image.height,
        cssWidth: page.width * scale,
        cssHeight: page.height * scale,
        release: () => release(image),
      };
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await backend.previewClose(info.token);
    },
  };
}

/** PNG bytes as a bitmap, decoded by the engine (off the main thread where it can). */
async function decodePng(png: Uint8Array): Promise<ImageBitmap | HTMLImageElement> {
  const blob = new Blob([png as BlobPart], { type: 'image/png' });
  if (typeof createImageBitmap === 'function') return createImageBitmap(blob);
  const url = URL.createObjectURL(blob);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

function release(image: ImageBitmap | HTMLImageElement): void {
  if ('close' in image) image.close();
}
