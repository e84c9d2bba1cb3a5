// How a settings list (SettingsList.svelte) removes its items.

/** How the items of a SettingsList are removed: a button on each row, then a question before it is done. */
export interface Removal<T> {
  /** The remove button ("Delete…") and its `data-testid`. */
  label: string;
  testid: string;
  /** The button that confirms: its `data-testid`, and its label for the item. */
  confirmTestid: string;
  confirmLabel: (item: T) => string;
  /** Whether the item has a remove button (default: every item has). */
  allowed?: (item: T) => boolean;
  /** Removes the item; true once it is removed (the question closes then). */
  remove: (item: T) => Promise<boolean>;
}
