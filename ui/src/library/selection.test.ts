import { describe, expect, it } from 'vitest';
import { ListSelection, navigation } from './selection.svelte';

function press(selection: ListSelection, key: string) {
  const move = navigation(key);
  if (!move) throw new Error(`${key} is not a navigation key`);
  return move(selection);
}

describe('ListSelection', () => {
  it('selects the first row of a new list and nothing in an empty one', () => {
    const s = new ListSelection();
    s.sync(['a', 'b', 'c']);
    expect(s.selected).toBe('a');
    s.sync([]);
    expect(s.selected).toBeNull();
    expect(s.move(1)).toBeNull();
  });

  it('moves with the arrow, page and Home/End keys, stopping at the ends', () => {
    const s = new ListSelection();
    s.sync(['a', 'b', 'c']);
    expect(press(s, 'ArrowUp')).toBe('a');
    expect(press(s, 'ArrowDown')).toBe('b');
    expect(press(s, 'ArrowDown')).toBe('c');
    expect(press(s, 'ArrowDown')).toBe('c');
    expect(press(s, 'Home')).toBe('a');
    expect(press(s, 'End')).toBe('c');
    expect(press(s, 'PageUp')).toBe('a');
    expect(press(s, 'PageDown')).toBe('c');
    expect(navigation('Enter')).toBeNull();
  });

  it('keeps the selected report when the list is reloaded in another order', () => {
    const s = new ListSelection();
    s.sync(['a', 'b', 'c']);
    s.select('b');
    s.sync(['c', 'b', 'a']);
    expect(s.selected).toBe('b');
    expect(s.index).toBe(1);
  });

  it('after a deletion selects the row that took its place, or the new last row', () => {
    const s = new ListSelection();
    s.sync(['a', 'b', 'c']);
    s.select('b');
    s.sync(['a', 'c']);
    expect(s.selected).toBe('c');
    s.sync(['a']);
    expect(s.selected).toBe('a');
  });

  it('selects a preferred id (a new duplicate) when shown, and ignores unknown ids', () => {
    const s = new ListSelection();
    s.sync(['a', 'b']);
    s.sync(['copy', 'a', 'b'], 'copy');
    expect(s.selected).toBe('copy');
    s.select('nope');
    expect(s.selected).toBe('copy');
    s.sync(['a', 'b'], 'gone');
    expect(s.selected).toBe('a');
  });
});
