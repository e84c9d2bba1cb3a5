// The report's numbered sections, headed as the text format and the PDF brief head them (from the
// core, through the generated bindings), so the editor, its outline and the history view say the
// same words as the brief.

import { SECTION_HEADINGS } from './bindings';

/** The numbered sections: 1 BLUF … 6 Thematic tags (7, Notes, is not numbered in the app). */
export type SectionNumber = 1 | 2 | 3 | 4 | 5 | 6;

/** "1. BLUF (Bottom Line Up Front)". */
export function sectionHeading(n: SectionNumber): string {
  return SECTION_HEADINGS[n - 1] ?? `${n}.`;
}

/** "BLUF (Bottom Line Up Front)": the heading without its number. */
export function sectionTitle(n: SectionNumber): string {
  return sectionHeading(n).replace(/^\d+\.\s*/, '');
}
