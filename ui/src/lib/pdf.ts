// A small door to pdf.js: open PDF bytes, measure and paint pages onto canvases.
// pdf.js and its worker are bundled by Vite and served by the app itself (nothing remote); the
// library is loaded on first use so that views without a preview never pay for it. Settings keep
// it inside the app's CSP: no eval (`isEvalSupported: false`), no WebAssembly, no XFA/scripting,
// no fonts installed into the page (`disableFontFace`).

import type { PDFDocumentProxy, PDFPageProxy, RenderTask } from 'pdfjs-dist';

/** A page's size in PDF points (1/72 inch) at scale 1. */
export interface PageSize {
  width: number;
  height: number;
}

/** An opened PDF. `destroy` frees the worker's copy; a destroyed document cannot be painted. */
export interface PdfDocument {
  readonly pageCount: number;
  /** The size of page `n` (1-based) at scale 1, in CSS pixels (= PDF points). */
  pageSize(n: number): Promise<PageSize>;
  /**
   * Paints page `n` at `scale` (CSS px per point) onto a new off-screen canvas of
   * `scale × pixelRatio` device pixels per point; rejects with `RenderCancelled` when `signal` aborts.
   */
  paint(n: number, scale: number, pixelRatio: number, signal?: AbortSignal): Promise<HTMLCanvasElement>;
  destroy(): Promise<void>;
}

/** A paint stopped because a newer one replaced it. */
export class RenderCancelled extends Error {
  override readonly name = 'RenderCancelled';
}

type PdfJs = typeof import('pdfjs-dist');
type Loaded = { lib: PdfJs; worker: InstanceType<PdfJs['PDFWorker']> };
let loading: Promise<Loaded> | null = null;

/**
 * pdf.js and one worker for every document. Without a shared worker, each `getDocument` starts
 * a new Web Worker (parsing its 1.2 MB script again) and ends it with the document: most of a
 * preview refresh went there.
 */
function pdfjs(): Promise<Loaded> {
  loading ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]).then(
    ([lib, workerUrl]) => {
      lib.GlobalWorkerOptions.workerSrc = workerUrl.default;
      return { lib, worker: new lib.PDFWorker() };
    },
  );
  return loading;
}

/** Opens PDF bytes (the array is handed to the worker: do not use it afterwards). */
export async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  const { lib, worker } = await pdfjs();
  const task = lib.getDocument({
    data: bytes,
    worker,
    isEvalSupported: false,
    useWasm: false,
    enableXfa: false,
    useSystemFonts: false,
    // Glyphs are drawn as paths: WebKit never settles a FontFace made from bytes under the app's
    // CSP (font-src 'self'), which would leave the page unpainted.
    disableFontFace: true,
    stopAtErrors: false,
  });
  const doc = await task.promise;
  return wrap(doc);
}

function wrap(doc: PDFDocumentProxy): PdfDocument {
  const pages = new Map<number, Promise<PDFPageProxy>>();
  const page = (n: number) => {
    let p = pages.get(n);
    if (!p) {
      p = doc.getPage(n);
      pages.set(n, p);
    }
    return p;
  };
  return {
    pageCount: doc.numPages,
    async pageSize(n) {
      const viewport = (await page(n)).getViewport({ scale: 1 });
      return { width: viewport.width, height: viewport.height };
    },
    async paint(n, scale, pixelRatio, signal) {
      if (signal?.aborted) throw new RenderCancelled('replaced');
      const proxy = await page(n);
      if (signal?.aborted) throw new RenderCancelled('replaced');
      const viewport = proxy.getViewport({ scale: scale * pixelRatio });
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.floor(viewport.width));
      canvas.height = Math.max(1, Math.floor(viewport.height));
      const task: RenderTask = proxy.render({ canvas, viewport, background: '#ffffff' });
      const abort = () => task.cancel();
      signal?.addEventListener('abort', abort, { once: true });
      try {
        await task.promise;
      } catch (error) {
        if (signal?.aborted) throw new RenderCancelled('replaced');
        throw error;
      } finally {
        signal?.removeEventListener('abort', abort);
      }
      return canvas;
    },
    destroy: () => doc.destroy(),
  };
}
