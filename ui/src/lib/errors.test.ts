import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './bindings';
import { canRetry, ERROR_KIND } from './errors';

describe('ERROR_KIND', () => {
  it('places every code the Rust side sends, and no other', () => {
    const ui = ['no_backend', 'ipc', 'undo_unavailable'];
    const placed = Object.keys(ERROR_KIND).filter((c) => !ui.includes(c));
    expect(placed.sort()).toEqual([...ERROR_CODES].sort());
  });

  it('offers a retry only where one can help', () => {
    expect(canRetry('busy')).toBe(true);
    expect(canRetry('stale')).toBe(true);
    expect(canRetry('library_too_new')).toBe(false);
    expect(canRetry('bad_argument')).toBe(false);
  });
});
