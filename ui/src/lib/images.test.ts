import { describe, expect, it } from 'vitest';
import { ThumbnailCache, type ObjectUrls } from './images';

function urls() {
  const live = new Set<string>();
  const types: string[] = [];
  let n = 0;
  const api: ObjectUrls = {
    create(blob) {
      types.push(blob.type);
      const url = `blob:test/${++n}`;
      live.add(url);
      return url;
    },
    revoke(url) {
      live.delete(url);
    },
  };
  return { api, live, types };
}

describe('ThumbnailCache', () => {
  it('loads each image and size once and makes a JPEG object URL', async () => {
    const loads: string[] = [];
    const u = urls();
    const cache = new ThumbnailCache(async (sha, format, size) => {
      loads.push(`${sha} ${format} ${size}`);
      return new Uint8Array([0xff, 0xd8]);
    }, u.api);
    const [a, b] = await Promise.all([cache.url('aa', 'jpeg', 256), cache.url('aa', 'jpeg', 256)]);
    expect(a).toBe(b);
    expect(await cache.url('aa', 'jpeg', 1024)).not.toBe(a);
    expect(loads).toEqual(['aa jpeg 256', 'aa jpeg 1024']);
    expect(u.types).toEqual(['image/jpeg', 'image/jpeg']);
    expect(cache.peek('aa', 256)).toBe(a);
    expect(cache.size).toBe(2);
  });

  it('tries a failed load again', async () => {
    let fail = true;
    const cache = new ThumbnailCache(async () => {
      if (fail) throw new Error('missing');
      return new Uint8Array([1]);
    }, urls().api);
    await expect(cache.url('bb', 'png', 256)).rejects.toThrow('missing');
    fail = false;
    await expect(cache.url('bb', 'png', 256)).resolves.toMatch(/^blob:/);
  });

  it('revokes every URL on dispose, including loads that finish afterwards', async () => {
    const u = urls();
    let release: () => void = () => {};
    const cache = new ThumbnailCache(async (sha) => {
      if (sha === 'late') await new Promise<void>((r) => (release = r));
      return new Uint8Array([1]);
    }, u.api);
    await cache.url('aa', 'jpeg', 256);
    const late = cache.url('late', 'jpeg', 256);
    expect(u.live.size).toBe(1);
    cache.dispose();
    expect(u.live.size).toBe(0);
    release();
    await expect(late).rejects.toThrow('disposed');
    expect(u.live.size).toBe(0);
    await expect(cache.url('cc', 'jpeg', 256)).rejects.toThrow('disposed');
  });
});
