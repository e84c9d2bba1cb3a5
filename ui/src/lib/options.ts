// The choices of a select (components/Select.svelte).

import type { PageSize } from './bindings';

/** A choice: the value it stands for, and what it shows. */
export interface Option<V extends string = string> {
  value: V;
  label: string;
}

/** The page sizes of a PDF brief. */
export const PAGE_SIZES: readonly Option<PageSize>[] = [
  { value: 'a4', label: 'A4' },
  { value: 'letter', label: 'US Letter' },
];
