import { describe, expect, it } from 'vitest';
import { KEY_KINDS, keyKindLabel } from './keyKinds';

describe('key kinds', () => {
  it('offers P-256 first and names every kind', () => {
    expect(KEY_KINDS[0]?.kind).toBe('p256');
    expect(keyKindLabel('p256')).toBe('ECDSA P-256');
    expect(keyKindLabel('rsa4096')).toBe('RSA 4096');
  });
});
