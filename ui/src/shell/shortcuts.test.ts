import { describe, expect, it } from 'vitest';
import { keysLabel, keysMatch, matchShortcut, SHORTCUTS } from './shortcuts';

function key(k: string, mods: { ctrl?: boolean; meta?: boolean; shift?: boolean; alt?: boolean } = {}) {
  return { key: k, ctrlKey: mods.ctrl ?? false, metaKey: mods.meta ?? false, shiftKey: mods.shift ?? false, altKey: mods.alt ?? false };
}

describe('shortcuts', () => {
  it('has one entry per action, each with keys and a description', () => {
    const actions = SHORTCUTS.map((s) => s.action);
    expect(new Set(actions).size).toBe(actions.length);
    for (const s of SHORTCUTS) {
      expect(s.keys.length).toBeGreaterThan(0);
      expect(s.description).not.toBe('');
    }
    expect(actions).toEqual(
      expect.arrayContaining(['new-report', 'focus-search', 'import', 'duplicate', 'delete', 'open', 'help', 'save', 'history', 'back', 'add-images']),
    );
  });

  it('takes Ctrl or Cmd, either letter case, and never Alt', () => {
    expect(matchShortcut(key('n', { ctrl: true }), 'library', 'other')).toBe('new-report');
    expect(matchShortcut(key('N', { meta: true }), 'library', 'other')).toBe('new-report');
    expect(matchShortcut(key('n', { ctrl: true, alt: true }), 'library', 'other')).toBeNull();
    expect(matchShortcut(key('n'), 'library', 'other')).toBeNull();
    expect(matchShortcut(key('o', { ctrl: true }), 'library', 'other')).toBe('import');
    expect(matchShortcut(key('d', { ctrl: true }), 'library', 'other')).toBe('duplicate');
    expect(matchShortcut(key('f', { ctrl: true }), 'library', 'other')).toBe('focus-search');
  });

  it('leaves typing keys to text fields but keeps Ctrl shortcuts and F1 there', () => {
    expect(matchShortcut(key('/'), 'library', 'other')).toBe('focus-search');
    expect(matchShortcut(key('/'), 'library', 'text')).toBeNull();
    expect(matchShortcut(key('?', { shift: true }), 'library', 'other')).toBe('help');
    expect(matchShortcut(key('?', { shift: true }), 'library', 'text')).toBeNull();
    expect(matchShortcut(key('F1'), 'library', 'text')).toBe('help');
    expect(matchShortcut(key('Delete'), 'library', 'text')).toBeNull();
    expect(matchShortcut(key('Delete'), 'library', 'other')).toBe('delete');
    expect(matchShortcut(key('f', { ctrl: true }), 'library', 'text')).toBe('focus-search');
  });

  it('leaves Enter to buttons and text fields', () => {
    expect(matchShortcut(key('Enter'), 'library', 'other')).toBe('open');
    expect(matchShortcut(key('Enter'), 'library', 'control')).toBeNull();
    expect(matchShortcut(key('Enter'), 'library', 'text')).toBeNull();
  });

  it('keeps each view to its own shortcuts; help works in both', () => {
    expect(matchShortcut(key('s', { ctrl: true }), 'library', 'other')).toBeNull();
    expect(matchShortcut(key('s', { ctrl: true }), 'editor', 'text')).toBe('save');
    expect(matchShortcut(key('h', { ctrl: true }), 'editor', 'other')).toBe('history');
    expect(matchShortcut(key('I', { ctrl: true, shift: true }), 'editor', 'other')).toBe('add-images');
    expect(matchShortcut(key('i', { ctrl: true }), 'editor', 'other')).toBeNull();
    expect(matchShortcut(key('Escape'), 'editor', 'text')).toBe('back');
    expect(matchShortcut(key('n', { ctrl: true }), 'editor', 'other')).toBeNull();
    expect(matchShortcut(key('F1'), 'editor', 'other')).toBe('help');
  });

  it('Shift belongs to letters only where the table says so', () => {
    expect(keysMatch({ key: 'n', mod: true }, key('N', { ctrl: true, shift: true }))).toBe(false);
    expect(keysMatch({ key: '?' }, key('?', { shift: true }))).toBe(true);
  });

  it('writes keys for the help panel per platform', () => {
    expect(keysLabel({ key: 'n', mod: true }, false)).toBe('Ctrl+N');
    expect(keysLabel({ key: 'i', mod: true, shift: true }, false)).toBe('Ctrl+Shift+I');
    expect(keysLabel({ key: 'i', mod: true, shift: true }, true)).toBe('⌘⇧I');
    expect(keysLabel({ key: 'Escape' }, false)).toBe('Esc');
    expect(keysLabel({ key: 'F1' }, false)).toBe('F1');
    expect(keysLabel({ key: '?' }, false)).toBe('?');
  });
});
