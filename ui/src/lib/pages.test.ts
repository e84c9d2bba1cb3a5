import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError } from './backend';
import { MAX_DEVICE_SCALE, MIN_DEVICE_SCALE, RenderCancelled, renderedBrief } from './pages';

const info = { token: 7, pages: [{ width: 595.28, height: 841.89 }, { width: 612, height: 792 }] };

function backend(pagePng = new Uint8Array([0x89, 0x50, 0x4e, 0x47])) {
  const calls = { pages: [] as [number, number, number | null][], closed: [] as number[] };
  return {
    calls,
    previewPage: async (token: number, page: number, scale: number | null) => {
      calls.pages.push([token, page, scale]);
      return pagePng.buffer;
    },
    previewClose: async (token: number) => {
      calls.closed.push(token);
      return true;
    },
  };
}

/** createImageBitmap stand-in: a bitmap the size the PNG would have. */
function stubBitmaps() {
  const closed: unknown[] = [];
  vi.stubGlobal('createImageBitmap', async (blob: Blob) => {
    expect(blob.type).toBe('image/png');
    const bitmap = { width: 300, height: 400, close: () => closed.push(bitmap) };
    return bitmap;
  });
  return closed;
}

describe('renderedBrief', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('knows its pages without asking the backend', async () => {
    const b = backend();
    const doc = renderedBrief(b, info);
    expect(doc.pageCount).toBe(2);
    expect(await doc.pageSize(2)).toEqual({ width: 612, height: 792 });
    await expect(doc.pageSize(3)).rejects.toThrow(RangeError);
    expect(b.calls.pages).toEqual([]);
  });

  it('asks for device pixels and shows the page at CSS size', async () => {
    const closed = stubBitmaps();
    const b = backend();
    const doc = renderedBrief(b, info);
    const painted = await doc.paint(2, 1.5, 2);
    expect(b.calls.pages).toEqual([[7, 2, 3]]);
    expect(painted.cssWidth).toBeCloseTo(918);
    expect(painted.cssHeight).toBeCloseTo(1188);
    expect([painted.width, painted.height]).toEqual([300, 400]);
    painted.release();
    expect(closed).toEqual([painted.image]);
    // Deep zoom on a dense display: the backend's limit, the CSS size unchanged.
    const deep = await doc.paint(1, 4, 3);
    expect(b.calls.pages.at(-1)).toEqual([7, 1, MAX_DEVICE_SCALE]);
    expect(deep.cssWidth).toBeCloseTo(595.28 * 4);
  });

  it('stops when the paint is replaced, freeing what it drew', async () => {
    // Replaced while the bitmap was being decoded: the bitmap is freed.
    const controller = new AbortController();
    const closed: unknown[] = [];
    let decoded: unknown = null;
    vi.stubGlobal('createImageBitmap', async () => {
      controller.abort();
      decoded = { width: 1, height: 1, close: () => closed.push(decoded) };
      return decoded;
    });
    const b = backend();
    const doc = renderedBrief(b, info);
    await expect(doc.paint(1, 1, 1, controller.signal)).rejects.toBeInstanceOf(RenderCancelled);
    expect(decoded).not.toBeNull();
    expect(closed).toEqual([decoded]);

    // Replaced before it was asked for: the backend is not asked.
    const aborted = new AbortController();
    aborted.abort();
    await expect(doc.paint(1, 1, 1, aborted.signal)).rejects.toBeInstanceOf(RenderCancelled);
    expect(b.calls.pages).toHaveLength(1);
  });

  it('takes an overtaken request as replaced, and passes other failures on', async () => {
    stubBitmaps();
    const b = backend();
    const doc = renderedBrief(b, info);
    b.previewPage = async () => {
      throw new BackendError('superseded', 'a newer page request replaced this one');
    };
    await expect(doc.paint(1, 1, 1)).rejects.toBeInstanceOf(RenderCancelled);
    b.previewPage = async () => {
      throw new BackendError('preview_gone', 'this preview is no longer kept');
    };
    await expect(doc.paint(1, 1, 1)).rejects.toMatchObject({ code: 'preview_gone' });
  });

  it('keeps the device scale within what the backend draws', async () => {
    stubBitmaps();
    const b = backend();
    const doc = renderedBrief(b, info);
    await doc.paint(1, 0.25, 0.1);
    expect(b.calls.pages.at(-1)).toEqual([7, 1, MIN_DEVICE_SCALE]);
  });

  it('is closed once, and draws nothing after', async () => {
    stubBitmaps();
    const b = backend();
    const doc = renderedBrief(b, info);
    await doc.destroy();
    await doc.destroy();
    expect(b.calls.closed).toEqual([7]);
    await expect(doc.paint(1, 1, 1)).rejects.toBeInstanceOf(RenderCancelled);
    expect(b.calls.pages).toEqual([]);
  });
});
