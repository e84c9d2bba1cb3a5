import { describe, expect, it } from 'vitest';
import {
  baseName,
  describeImage,
  errorSentence,
  formatBytes,
  ignoredMessage,
  isImagePath,
  isTextField,
  moveTarget,
  pasteAttaches,
  pastedImageFiles,
  slotAt,
  splitImagePaths,
  type PastedItem,
} from './files';

describe('image paths', () => {
  it('knows image extensions, case-insensitively, on any platform', () => {
    for (const p of ['a.jpg', 'B.JPEG', '/x/y.png', 'C:\\pics\\z.WebP', 'g.gif', 'h.bmp', 'i.tif', 'j.tiff']) {
      expect(isImagePath(p), p).toBe(true);
    }
    for (const p of ['notes.txt', 'brief.pdf', 'jpg', '/x/png/file', 'archive.jpg.zip', 'C:\\a.jpg\\b']) {
      expect(isImagePath(p), p).toBe(false);
    }
  });

  it('splits a drop into images and the rest, in order', () => {
    expect(splitImagePaths(['a.txt', 'b.png', 'c.json', 'd.jpg'])).toEqual({
      images: ['b.png', 'd.jpg'],
      others: ['a.txt', 'c.json'],
    });
  });

  it('names left-out files briefly', () => {
    expect(baseName('C:\\Users\\me\\x.txt')).toBe('x.txt');
    expect(ignoredMessage(['/a/x.txt'])).toMatch(/^x\.txt is not an image file and was not attached/);
    expect(ignoredMessage(['1.txt', '2.txt', '3.txt', '4.txt', '5.txt'])).toMatch(
      /^1\.txt, 2\.txt, 3\.txt and 2 more are not image files and were not attached/,
    );
  });
});

describe('paste', () => {
  const item = (kind: string, type: string): PastedItem => ({
    kind,
    type,
    getAsFile: () => (kind === 'file' ? new File([new Uint8Array([1])], 'x', { type }) : null),
  });

  it('takes only image files from the clipboard', () => {
    const files = pastedImageFiles([item('string', 'text/plain'), item('file', 'image/png'), item('file', 'application/pdf')]);
    expect(files).toHaveLength(1);
    expect(files[0]?.type).toBe('image/png');
  });

  it('attaches outside text fields, and in one only when the clipboard has no text', () => {
    expect(pasteAttaches({ types: ['Files'], imageCount: 0 }, false)).toBe(false);
    expect(pasteAttaches({ types: ['Files'], imageCount: 1 }, false)).toBe(true);
    expect(pasteAttaches({ types: ['Files'], imageCount: 1 }, true)).toBe(true);
    expect(pasteAttaches({ types: ['text/plain', 'Files'], imageCount: 1 }, true)).toBe(false);
    expect(pasteAttaches({ types: ['text/plain', 'Files'], imageCount: 1 }, false)).toBe(true);
  });

  it('recognises text fields', () => {
    const el = (tagName: string, attrs: Record<string, string> = {}, editable = false) =>
      ({ tagName, getAttribute: (n: string) => attrs[n] ?? null, isContentEditable: editable }) as unknown as Element;
    expect(isTextField(el('INPUT'))).toBe(true);
    expect(isTextField(el('INPUT', { type: 'search' }))).toBe(true);
    expect(isTextField(el('INPUT', { type: 'checkbox' }))).toBe(false);
    expect(isTextField(el('TEXTAREA'))).toBe(true);
    expect(isTextField(el('BUTTON'))).toBe(false);
    expect(isTextField(el('DIV', {}, true))).toBe(true);
    expect(isTextField(null)).toBe(false);
  });
});

describe('reorder by pointer', () => {
  // Three figures 100 px high with 10 px gaps: middles at 50, 160, 270.
  const spans = [
    { top: 0, bottom: 100 },
    { top: 110, bottom: 210 },
    { top: 220, bottom: 320 },
  ];

  it('finds the insertion slot from the middles', () => {
    expect(slotAt(-20, spans)).toBe(0);
    expect(slotAt(49, spans)).toBe(0);
    expect(slotAt(51, spans)).toBe(1);
    expect(slotAt(165, spans)).toBe(2);
    expect(slotAt(300, spans)).toBe(3);
    expect(slotAt(900, spans)).toBe(3);
  });

  it('turns a slot into the target position, or null for no move', () => {
    // Dragging the first figure.
    expect(moveTarget(0, 0, 3)).toBeNull();
    expect(moveTarget(0, 1, 3)).toBeNull();
    expect(moveTarget(0, 2, 3)).toBe(1);
    expect(moveTarget(0, 3, 3)).toBe(2);
    // Dragging the last one up.
    expect(moveTarget(2, 0, 3)).toBe(0);
    expect(moveTarget(2, 1, 3)).toBe(1);
    expect(moveTarget(2, 2, 3)).toBeNull();
    expect(moveTarget(2, 3, 3)).toBeNull();
    // Out-of-range slots are clamped.
    expect(moveTarget(1, 9, 3)).toBe(2);
    expect(moveTarget(1, -4, 3)).toBe(0);
  });
});

describe('labels', () => {
  it('formats sizes and dimensions', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(245_300)).toBe('245 KB');
    expect(formatBytes(3_420_000)).toBe('3.4 MB');
    expect(describeImage({ width: 1600, height: 1067, bytes: 245_300, format: 'jpeg' })).toBe('1600 × 1067 px · 245 KB · JPEG');
  });
});

describe('errorSentence', () => {
  it('keeps a leading file name as spelled and ends with a full stop', () => {
    expect(errorSentence('x.gif: it is a damaged or unreadable GIF image (eof)')).toBe(
      'x.gif: it is a damaged or unreadable GIF image (eof).',
    );
    expect(errorSentence('/home/me/My Pictures/a b.png: the file is empty')).toBe('/home/me/My Pictures/a b.png: the file is empty.');
    expect(errorSentence('pasted image: the file is empty')).toBe('Pasted image: the file is empty.');
    expect(errorSentence('report BW-2026-0001 changed elsewhere.')).toBe('Report BW-2026-0001 changed elsewhere.');
  });
});
