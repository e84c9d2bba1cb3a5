// Thumbnails as object URLs (the CSP allows `blob:` images, never `data:`): fetched once per
// image and size, shared by every view, revoked when the owner is done with them.

import type { ThumbSize } from './backend';

/** Makes and revokes object URLs (the browser's `URL` functions; tests pass their own). */
export interface ObjectUrls {
  create(blob: Blob): string;
  revoke(url: string): void;
}

const browserUrls: ObjectUrls = {
  create: (blob) => URL.createObjectURL(blob),
  revoke: (url) => URL.revokeObjectURL(url),
};

/** Loads the JPEG bytes of a stored image's thumbnail (`backend.thumbnail`). */
export type ThumbnailLoader = (sha256: string, format: string, size: ThumbSize) => Promise<Uint8Array>;

export class ThumbnailCache {
  readonly #load: ThumbnailLoader;
  readonly #urls: ObjectUrls;
  /** Pending and finished loads by `sha256:size`. */
  readonly #pending = new Map<string, Promise<string>>();
  /** Object URLs made, by `sha256:size`. */
  readonly #made = new Map<string, string>();
  #disposed = false;

  constructor(load: ThumbnailLoader, urls: ObjectUrls = browserUrls) {
    this.#load = load;
    this.#urls = urls;
  }

  /** The URL of a thumbnail if it is already loaded. */
  peek(sha256: string, size: ThumbSize): string | undefined {
    return this.#made.get(key(sha256, size));
  }

  /** The object URL of a thumbnail, loading it once; a failed load is tried again next time. */
  url(sha256: string, format: string, size: ThumbSize): Promise<string> {
    if (this.#disposed) return Promise.reject(new Error('the thumbnail cache was disposed'));
    const k = key(sha256, size);
    const known = this.#pending.get(k);
    if (known) return known;
    const loading = this.#load(sha256, format, size).then(
      (bytes) => {
        const copy = new Uint8Array(bytes.byteLength);
        copy.set(bytes);
        const url = this.#urls.create(new Blob([copy.buffer], { type: 'image/jpeg' }));
        if (this.#disposed) {
          this.#urls.revoke(url);
          throw new Error('the thumbnail cache was disposed');
        }
        this.#made.set(k, url);
        return url;
      },
      (reason: unknown) => {
        this.#pending.delete(k);
        throw reason;
      },
    );
    this.#pending.set(k, loading);
    return loading;
  }

  /** How many object URLs are alive. */
  get size(): number {
    return this.#made.size;
  }

  /** Revokes every URL made; loads still under way are revoked when they finish. */
  dispose(): void {
    this.#disposed = true;
    for (const url of this.#made.values()) this.#urls.revoke(url);
    this.#made.clear();
    this.#pending.clear();
  }
}

function key(sha256: string, size: ThumbSize): string {
  return `${sha256}:${size}`;
}
