import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError, type Backend, type Code } from '../lib/backend';
import type { Figure, StoredReport } from '../lib/bindings';
import { fakeBackend } from '../lib/fake-backend';
import { REPORT_ID, sampleReport, storedReport } from '../lib/fake-reports';
import { GalleryStore, UNDO_MS, UNDO_UNAVAILABLE } from './gallery.svelte';

function stored(revision: number, images: Figure[] = []): StoredReport {
  return storedReport(revision, sampleReport({ handling: { tlp: 'GREEN', banner: '' }, images }));
}

const image = (sha: string) => ({ sha256: sha.repeat(64).slice(0, 64), format: 'jpeg', width: 640, height: 480, bytes: 5000 });
const fig = (caption: string, sha: string | null = 'a'): Figure => ({ caption, image: sha ? image(sha) : null });

/** A host whose flush saves "pending edits" (revision + 1 once) and records the call order. */
function host(parts: Partial<Backend>, start: StoredReport = stored(3, [fig('One'), fig('Two', null)])) {
  const log: string[] = [];
  let current = start;
  let pendingEdits = true;
  const changes: StoredReport[] = [];
  const backend = fakeBackend(parts);
  return {
    log,
    changes,
    get current() {
      return current;
    },
    set current(s: StoredReport) {
      current = s;
    },
    host: () => ({
      backend,
      async flush() {
        log.push('flush');
        if (pendingEdits) {
          current = { ...current, revision: current.revision + 1 };
          pendingEdits = false;
        }
        return current;
      },
      onChange(s: StoredReport) {
        log.push(`change ${s.revision}`);
        changes.push(s);
        current = s;
      },
    }),
  };
}

const refused = (code: Code, message: string) => Promise.reject(new BackendError(code, message));

describe('GalleryStore', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('saves pending edits first, attaches on the flushed revision, hands the result back', async () => {
    const calls: unknown[] = [];
    const h = host({
      async attachImages(id, base, paths, figure) {
        calls.push({ id, base, paths, figure });
        h.log.push('attach');
        const report = stored(base + 1, [fig('One'), fig('Two', null), fig('', 'b'), fig('', 'c')]);
        return { report, figures: [3, 4] };
      },
    });
    const gallery = new GalleryStore(h.host);
    const outcome = await gallery.attachPaths(['/p/b.jpg', '/p/c.png']);
    expect(h.log).toEqual(['flush', 'attach', 'change 5']);
    expect(calls).toEqual([{ id: REPORT_ID, base: 4, paths: ['/p/b.jpg', '/p/c.png'], figure: null }]);
    expect(outcome.ok && outcome.value?.figures).toEqual([3, 4]);
    expect(h.changes.map((s) => s.report.images.length)).toEqual([4]);
    expect(gallery.error).toBeNull();
    expect(gallery.busy).toBeNull();
    expect(gallery.working).toBe(0);
  });

  it('fills a placeholder with figure=N', async () => {
    const figures: (number | null | undefined)[] = [];
    const h = host({
      async attachImages(_id, base, _paths, figure) {
        figures.push(figure);
        return { report: stored(base + 1, [fig('One'), fig('Two', 'b')]), figures: [2] };
      },
    });
    const gallery = new GalleryStore(h.host);
    await gallery.attachPaths(['/p/b.jpg'], 2);
    expect(figures).toEqual([2]);
    expect(h.changes).toHaveLength(1);
  });

  it('shows the busy text while attaching', async () => {
    let release: () => void = () => {};
    const h = host({
      async attachImages(_id, base) {
        await new Promise<void>((r) => (release = r));
        return { report: stored(base + 1), figures: [1] };
      },
    });
    const gallery = new GalleryStore(h.host);
    const done = gallery.attachPaths(['/a.jpg', '/b.jpg']);
    expect(gallery.working).toBe(1);
    await vi.waitFor(() => expect(gallery.busy).toBe('Attaching 2 images…'));
    release();
    await done;
    expect(gallery.busy).toBeNull();
    expect(gallery.working).toBe(0);
  });

  it('keeps a refusal as the error and changes nothing', async () => {
    const h = host({
      attachImages: () => refused('malformed', 'x.gif: it is a damaged or unreadable GIF image (eof)'),
    });
    const gallery = new GalleryStore(h.host);
    const outcome = await gallery.attachPaths(['/p/x.gif']);
    expect(outcome.ok).toBe(false);
    expect(h.changes).toEqual([]);
    expect(gallery.error).toBeInstanceOf(BackendError);
    expect(gallery.error?.code).toBe('malformed');
    expect(gallery.error?.message).toBe('x.gif: it is a damaged or unreadable GIF image (eof)');
    expect(gallery.stale).toBe(false);
    gallery.dismissError();
    expect(gallery.error).toBeNull();
  });

  it('marks a stale refusal (also from the flush itself)', async () => {
    const h = host({});
    const gallery = new GalleryStore(() => ({
      ...h.host(),
      flush: () => Promise.reject(new BackendError('stale', 'report BW-2026-0001 changed elsewhere')),
    }));
    await gallery.move(1, 2);
    expect(gallery.stale).toBe(true);
    expect(h.changes).toEqual([]);
  });

  it('clears the error after the next successful change', async () => {
    let fail = true;
    const h = host({
      moveFigure: (_id, base) => (fail ? refused('busy', 'the library is busy') : Promise.resolve(stored(base + 1))),
    });
    const gallery = new GalleryStore(h.host);
    await gallery.move(1, 2);
    expect(gallery.error?.code).toBe('busy');
    fail = false;
    await gallery.move(1, 2);
    expect(gallery.error).toBeNull();
  });

  it('runs changes one after the other, each on the revision the previous one made', async () => {
    const bases: string[] = [];
    const h = host({
      async setCaption(_id, base, figure, caption) {
        bases.push(`caption ${base}`);
        const s = stored(base + 1, h.current.report.images.map((f, i) => (i === figure - 1 ? { ...f, caption } : f)));
        return s;
      },
      async removeFigure(_id, base) {
        bases.push(`remove ${base}`);
        return stored(base + 1, [fig('One')]);
      },
    });
    const gallery = new GalleryStore(h.host);
    const a = gallery.setCaption(2, ' Map of the canal ');
    const b = gallery.remove(2);
    await Promise.all([a, b]);
    expect(bases).toEqual(['caption 4', 'remove 5']);
    expect(h.log).toEqual(['flush', 'change 5', 'flush', 'change 6']);
  });

  it('does not save a caption that did not change', async () => {
    const setCaption = vi.fn();
    const h = host({ setCaption });
    const gallery = new GalleryStore(h.host);
    const outcome = await gallery.setCaption(1, ' One ');
    expect(outcome).toEqual({ ok: true, value: null });
    expect(setCaption).not.toHaveBeenCalled();
    expect(h.changes).toEqual([]);
  });

  it('offers to undo a removal by restoring the revision before it', async () => {
    const restored: [number, number][] = [];
    const h = host({
      removeFigure: async (_id, base) => stored(base + 1, [fig('One')]),
      restoreRevision: async (_id, revision, base) => {
        restored.push([revision, base]);
        return stored(base + 1, [fig('One'), fig('Two', null)]);
      },
    });
    const gallery = new GalleryStore(h.host);
    await gallery.remove(2);
    expect(gallery.removal).toMatchObject({ figure: 2, caption: 'Two', before: 4, after: 5 });
    await gallery.undoRemove();
    expect(restored).toEqual([[4, 5]]);
    expect(h.changes.map((s) => s.revision)).toEqual([5, 6]);
    expect(gallery.removal).toBeNull();
  });

  it('refuses to undo once the report changed after the removal', async () => {
    const restoreRevision = vi.fn();
    const h = host({ removeFigure: async (_id, base) => stored(base + 1, [fig('One')]), restoreRevision });
    const gallery = new GalleryStore(h.host);
    await gallery.remove(2);
    h.current = { ...h.current, revision: h.current.revision + 1 }; // a text edit saved meanwhile
    const outcome = await gallery.undoRemove();
    expect(outcome.ok).toBe(false);
    expect(gallery.error?.code).toBe(UNDO_UNAVAILABLE);
    expect(restoreRevision).not.toHaveBeenCalled();
  });

  it('withdraws the undo offer after a while', async () => {
    const h = host({ removeFigure: async (_id, base) => stored(base + 1, [fig('One')]) });
    const gallery = new GalleryStore(h.host);
    await gallery.remove(1);
    expect(gallery.removal).not.toBeNull();
    vi.advanceTimersByTime(UNDO_MS + 1);
    expect(gallery.removal).toBeNull();
  });

  it('attaches only the image files of a drop and says which were left out', async () => {
    const attached: string[][] = [];
    const h = host({
      async attachImages(_id, base, paths) {
        attached.push(paths);
        return { report: stored(base + 1), figures: [3] };
      },
    });
    const gallery = new GalleryStore(h.host);
    await gallery.attachDropped(['/d/notes.txt', '/d/Photo.JPG', '/d/brief.pdf']);
    expect(attached).toEqual([['/d/Photo.JPG']]);
    expect(gallery.notice).toContain('notes.txt, brief.pdf are not image files');
  });

  it('attaches nothing when no dropped file is an image', async () => {
    const attachImages = vi.fn();
    const h = host({ attachImages });
    const gallery = new GalleryStore(h.host);
    const outcome = await gallery.attachDropped(['/d/notes.txt']);
    expect(outcome).toEqual({ ok: true, value: null });
    expect(attachImages).not.toHaveBeenCalled();
    expect(h.log).toEqual([]);
    expect(gallery.notice).toContain('notes.txt is not an image file');
  });

  it('attaches pasted bytes on the flushed revision', async () => {
    const seen: [number, string, number | null][] = [];
    const h = host({
      async attachImageData(_id, base, image, figure) {
        seen.push([base, image, figure]);
        return { report: stored(base + 1), figures: [3] };
      },
    });
    const gallery = new GalleryStore(h.host);
    const blob = { arrayBuffer: async () => new Uint8Array([0xff, 0xd8, 0xff]).buffer };
    await gallery.attachData([blob], 2);
    expect(seen).toEqual([[4, '/9j/', 2]]);
    expect(h.changes.map((s) => s.revision)).toEqual([5]);
  });

  it('stops attaching pasted images at the first refusal', async () => {
    let calls = 0;
    const h = host({
      attachImageData: () => {
        calls += 1;
        return refused('not_an_image', 'pasted image: it is not a JPEG, PNG, WebP, GIF, BMP or TIFF image');
      },
    });
    const gallery = new GalleryStore(h.host);
    const blob = { arrayBuffer: async () => new ArrayBuffer(1) };
    await gallery.attachData([blob, blob]);
    expect(calls).toBe(1);
    expect(gallery.error?.code).toBe('not_an_image');
  });
});

describe('GalleryStore.fail', () => {
  it('shows a failure from outside a change as the error', () => {
    const gallery = new GalleryStore(host({}).host);
    gallery.fail('dialog plugin not allowed', 'dialog');
    expect(gallery.error?.message).toBe('dialog plugin not allowed');
  });
});
