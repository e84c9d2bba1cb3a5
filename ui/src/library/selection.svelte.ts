// Which report row is selected, and how the keyboard moves the selection. Works on ids so a
// selection survives the list being reloaded.

export class ListSelection {
  /** The ids in the order shown. */
  ids = $state.raw<string[]>([]);
  /** The selected id, or null (empty list). */
  selected = $state<string | null>(null);

  readonly index = $derived(this.selected === null ? -1 : this.ids.indexOf(this.selected));

  /**
   * The list changed. The selected report stays selected if it is still shown; otherwise the row
   * now at its place (or the last row) is selected, so Delete followed by Delete walks down the list.
   * `prefer` selects that id instead, when shown (e.g. a new duplicate).
   */
  sync(ids: string[], prefer?: string | null): void {
    const oldIndex = this.index;
    this.ids = ids;
    if (prefer != null && ids.includes(prefer)) {
      this.selected = prefer;
    } else if (this.selected !== null && ids.includes(this.selected)) {
      // Still there.
    } else if (ids.length === 0) {
      this.selected = null;
    } else {
      this.selected = ids[Math.min(Math.max(oldIndex, 0), ids.length - 1)] ?? null;
    }
  }

  select(id: string): void {
    if (this.ids.includes(id)) this.selected = id;
  }

  /** Up (-1) / Down (+1), Page Up/Down (±n); stops at the ends. Returns the new selection. */
  move(delta: number): string | null {
    if (this.ids.length === 0) return null;
    const from = this.index === -1 ? (delta > 0 ? -1 : this.ids.length) : this.index;
    const to = Math.min(Math.max(from + delta, 0), this.ids.length - 1);
    this.selected = this.ids[to] ?? null;
    return this.selected;
  }

  first(): string | null {
    this.selected = this.ids[0] ?? null;
    return this.selected;
  }

  last(): string | null {
    this.selected = this.ids[this.ids.length - 1] ?? null;
    return this.selected;
  }
}

/** The selection change a navigation key asks for, or null for other keys. */
export function navigation(key: string): ((selection: ListSelection) => string | null) | null {
  switch (key) {
    case 'ArrowDown':
      return (s) => s.move(1);
    case 'ArrowUp':
      return (s) => s.move(-1);
    case 'PageDown':
      return (s) => s.move(10);
    case 'PageUp':
      return (s) => s.move(-10);
    case 'Home':
      return (s) => s.first();
    case 'End':
      return (s) => s.last();
    default:
      return null;
  }
}
