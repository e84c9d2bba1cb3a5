import { describe, expect, it } from 'vitest';
import { base64Of } from './base64';

describe('base64Of', () => {
  it('encodes the bytes of a blob as standard base64', async () => {
    expect(await base64Of(new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])]))).toBe('/9j/4A==');
    expect(await base64Of(new Blob([]))).toBe('');
  });

  it('encodes large blobs whole', async () => {
    const bytes = new Uint8Array(200_000).map((_, i) => i % 251);
    const decoded = Uint8Array.from(atob(await base64Of(new Blob([bytes]))), (c) => c.charCodeAt(0));
    expect(decoded).toEqual(bytes);
  });
});
