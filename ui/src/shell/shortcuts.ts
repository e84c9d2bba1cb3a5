// Every keyboard shortcut of the app in one table: the library's key handler and the help panel
// both read it, so what the help panel lists is what the keys do.

/** One key combination. `mod` is Ctrl, or Cmd on macOS (either is accepted everywhere). */
export interface Keys {
  key: string;
  mod?: boolean;
  shift?: boolean;
}

export type ShortcutAction =
  | 'new-report'
  | 'focus-search'
  | 'import'
  | 'duplicate'
  | 'delete'
  | 'open'
  | 'help'
  | 'save'
  | 'history'
  | 'back'
  | 'add-images';

/** Where a shortcut works: the library view, the editor, or both. */
export type ShortcutWhere = 'library' | 'editor' | 'anywhere';

export interface Shortcut {
  action: ShortcutAction;
  /** Any of these combinations triggers the action. */
  keys: Keys[];
  where: ShortcutWhere;
  /** For the help panel. */
  description: string;
  /** Also works while typing in a text field (otherwise the keys are left to the field). */
  whileTyping: boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'new-report', keys: [{ key: 'n', mod: true }], where: 'library', description: 'New report', whileTyping: true },
  {
    action: 'focus-search',
    keys: [{ key: 'f', mod: true }, { key: '/' }],
    where: 'library',
    description: 'Search the library',
    whileTyping: true,
  },
  { action: 'import', keys: [{ key: 'o', mod: true }], where: 'library', description: 'Import report files', whileTyping: true },
  {
    action: 'duplicate',
    keys: [{ key: 'd', mod: true }],
    where: 'library',
    description: 'Duplicate the selected report',
    whileTyping: true,
  },
  {
    action: 'delete',
    keys: [{ key: 'Delete' }],
    where: 'library',
    description: 'Delete the selected report (asks first)',
    whileTyping: false,
  },
  { action: 'open', keys: [{ key: 'Enter' }], where: 'library', description: 'Open the selected report', whileTyping: false },
  { action: 'save', keys: [{ key: 's', mod: true }], where: 'editor', description: 'Save now', whileTyping: true },
  { action: 'history', keys: [{ key: 'h', mod: true }], where: 'editor', description: 'Revision history', whileTyping: true },
  {
    action: 'add-images',
    keys: [{ key: 'i', mod: true, shift: true }],
    where: 'editor',
    description: 'Add images',
    whileTyping: true,
  },
  { action: 'back', keys: [{ key: 'Escape' }], where: 'editor', description: 'Back to the library', whileTyping: true },
  {
    action: 'help',
    keys: [{ key: 'F1' }, { key: '?' }],
    where: 'anywhere',
    description: 'Keyboard shortcuts (this list)',
    whileTyping: true,
  },
];

/** Keys that type a character: never taken from a text field, whatever the table says. */
function typesCharacter(keys: Keys): boolean {
  return !keys.mod && keys.key.length === 1;
}

/** Whether `keys` is what the event pressed. Letters match in either case; Alt never matches. */
export function keysMatch(keys: Keys, event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): boolean {
  if (event.altKey) return false;
  const mod = event.ctrlKey || event.metaKey;
  if (mod !== (keys.mod ?? false)) return false;
  if (keys.key.length === 1 && !/[a-z]/i.test(keys.key)) {
    // A symbol such as "?" or "/": Shift is part of how it is typed on many layouts.
    return event.key === keys.key;
  }
  if ((keys.shift ?? false) !== event.shiftKey) return false;
  return event.key.toLowerCase() === keys.key.toLowerCase();
}

/** What has the keyboard focus, as far as shortcuts care. */
export type FocusKind = 'text' | 'control' | 'other';

/** Text fields (and selects) keep their keys; buttons and links keep Enter and Space. */
export function focusKind(target: EventTarget | null): FocusKind {
  if (typeof Element === 'undefined' || !(target instanceof Element)) return 'other';
  const tag = target.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return 'text';
  if (target instanceof HTMLElement && target.isContentEditable) return 'text';
  if (tag === 'input') {
    const type = (target as HTMLInputElement).type;
    return ['button', 'submit', 'reset', 'checkbox', 'radio', 'file', 'color', 'range'].includes(type) ? 'control' : 'text';
  }
  if (tag === 'button' || tag === 'a' || tag === 'summary') return 'control';
  return 'other';
}

/**
 * The action a key press triggers in `view`, or null. `focus` says what has the focus:
 * shortcuts not meant for typing are left to text fields, and Enter is left to buttons.
 */
export function matchShortcut(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
  view: 'library' | 'editor',
  focus: FocusKind,
): ShortcutAction | null {
  for (const shortcut of SHORTCUTS) {
    if (shortcut.where !== view && shortcut.where !== 'anywhere') continue;
    for (const keys of shortcut.keys) {
      if (!keysMatch(keys, event)) continue;
      if (focus === 'text' && (!shortcut.whileTyping || typesCharacter(keys))) continue;
      if (focus === 'control' && keys.key === 'Enter') continue;
      return shortcut.action;
    }
  }
  return null;
}

/** Whether the keys look like a Mac's (Cmd, not Ctrl). */
export function isMac(platform: string = typeof navigator === 'undefined' ? '' : navigator.platform): boolean {
  return /mac|iphone|ipad/i.test(platform);
}

/** How the keys are written in the help panel: "Ctrl+Shift+I", "⌘N", "F1", "?". */
export function keysLabel(keys: Keys, mac = isMac()): string {
  const name = keys.key.length === 1 ? keys.key.toUpperCase() : keys.key === 'Escape' ? 'Esc' : keys.key;
  const parts: string[] = [];
  if (keys.mod) parts.push(mac ? '⌘' : 'Ctrl');
  if (keys.shift) parts.push(mac ? '⇧' : 'Shift');
  parts.push(name);
  return mac ? parts.join('') : parts.join('+');
}
