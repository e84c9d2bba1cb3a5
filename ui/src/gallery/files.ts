// Pure helpers of the gallery: which files and pasted items are images, display labels, and
// where a dragged figure lands. No DOM or Tauri access here, so all of it is tested directly.

/** File name extensions the gallery offers and accepts (the core checks the content itself). */
export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp', 'tif', 'tiff'] as const;

/** The last part of a path, for both `/` and `\` separators. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** Whether a path names an image file by its extension (case-insensitive). */
export function isImagePath(path: string): boolean {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  if (dot < 0) return false;
  const ext = name.slice(dot + 1).toLowerCase();
  return (IMAGE_EXTENSIONS as readonly string[]).includes(ext);
}

/** Splits dropped paths into image files and the rest (kept in order). */
export function splitImagePaths(paths: readonly string[]): { images: string[]; others: string[] } {
  const images: string[] = [];
  const others: string[] = [];
  for (const path of paths) (isImagePath(path) ? images : others).push(path);
  return { images, others };
}

/** The sentence shown when dropped files were left out. */
export function ignoredMessage(others: readonly string[]): string {
  const names = others.slice(0, 3).map(baseName).join(', ');
  const more = others.length > 3 ? ` and ${others.length - 3} more` : '';
  const what = others.length === 1 ? 'is not an image file' : 'are not image files';
  return `${names}${more} ${what} and ${others.length === 1 ? 'was' : 'were'} not attached (images: ${IMAGE_EXTENSIONS.join(', ')}).`;
}

/** The part of a clipboard item the paste logic looks at (a `DataTransferItem` fits). */
export interface PastedItem {
  readonly kind: string;
  readonly type: string;
  getAsFile(): File | null;
}

/** The image files among pasted items. */
export function pastedImageFiles(items: Iterable<PastedItem>): File[] {
  const files: File[] = [];
  for (const item of items) {
    if (item.kind !== 'file' || !item.type.toLowerCase().startsWith('image/')) continue;
    const file = item.getAsFile();
    if (file) files.push(file);
  }
  return files;
}

/**
 * Whether a paste should attach images: only when the clipboard holds an image file, and not
 * when the user pastes into a text field a clipboard that also holds text (office programs put
 * a picture of copied text next to the text itself).
 */
export function pasteAttaches(clip: { types: readonly string[]; imageCount: number }, inTextField: boolean): boolean {
  if (clip.imageCount === 0) return false;
  if (!inTextField) return true;
  return !clip.types.some((t) => t === 'text/plain' || t === 'text/html');
}

/** Whether an element takes typed text (an input that is not a button, a textarea, or contenteditable). */
export function isTextField(element: Element | null): boolean {
  if (!element) return false;
  const tag = element.tagName.toLowerCase();
  if (tag === 'textarea') return true;
  if (tag === 'input') {
    const type = (element.getAttribute('type') ?? 'text').toLowerCase();
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'image', 'range', 'color'].includes(type);
  }
  return (element as HTMLElement).isContentEditable === true;
}

/** "245 KB", "3.4 MB" (decimal units, as the core's messages). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** "1600 × 1067 px · 245 KB · JPEG". */
export function describeImage(image: { width: number; height: number; bytes: number; format: string }): string {
  return `${image.width} × ${image.height} px · ${formatBytes(image.bytes)} · ${image.format.toUpperCase()}`;
}

/** A figure's vertical extent on screen. */
export interface Span {
  readonly top: number;
  readonly bottom: number;
}

/**
 * The insertion slot (0…n: before figure `slot`, n = after the last) for a pointer at `y`,
 * from the figures' extents in order: the number of figures whose middle is above the pointer.
 */
export function slotAt(y: number, spans: readonly Span[]): number {
  let slot = 0;
  for (const span of spans) {
    if (y > (span.top + span.bottom) / 2) slot += 1;
    else break;
  }
  return slot;
}

/**
 * The 0-based position a figure moved from `from` to insertion slot `slot` ends up at, or null
 * when it stays where it is (the slot just before or after it).
 */
export function moveTarget(from: number, slot: number, count: number): number | null {
  const clamped = Math.max(0, Math.min(slot, count));
  const to = clamped > from ? clamped - 1 : clamped;
  return to === from ? null : to;
}

/**
 * A backend message as a sentence: capitalised and ended with a full stop, except that a
 * leading file name or path ("x.gif: …") keeps its exact spelling.
 */
export function errorSentence(message: string): string {
  const text = message.trim();
  if (text === '') return text;
  const colon = text.indexOf(': ');
  const lead = colon > 0 ? text.slice(0, colon) : '';
  const named = /[./\\]/.test(lead);
  const first = named ? text : text.charAt(0).toLocaleUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
