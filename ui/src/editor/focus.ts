// Focus in the editor's lists after they change.

import { tick } from 'svelte';

/**
 * Once the page has updated, focuses the `index`-th element matching `selector` inside the list
 * (`list` is read then, so a list that appears with this change is found too).
 */
export async function focusInList(list: () => HTMLElement | undefined, selector: string, index: number): Promise<void> {
  await tick();
  list()?.querySelectorAll<HTMLElement>(selector)[index]?.focus();
}
