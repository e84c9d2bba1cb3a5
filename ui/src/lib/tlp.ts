// Traffic Light Protocol 2.0 labels as FIRST defines them: coloured text on black. The levels and
// colours come from the core (the brief prints the same ones), through the generated bindings.

import { TLP_COLOURS as COLOURS, TLP_LEVELS as LEVELS, type Tlp } from './bindings';
import type { Option } from './options';

export const TLP_LEVELS: readonly Tlp[] = LEVELS;

/** FIRST TLP 2.0 label colours (text; the background is always black). */
export const TLP_COLOURS: Readonly<Record<Tlp, string>> = COLOURS;

export const TLP_BACKGROUND = '#000000';

/** FIRST's one-line definitions, for tooltips and screen readers. */
const TLP_MEANINGS: Readonly<Record<Tlp, string>> = {
  RED: 'For the eyes and ears of individual recipients only, no further disclosure.',
  'AMBER+STRICT': 'Limited disclosure, recipients can only spread this on a need-to-know basis within their organization only.',
  AMBER: 'Limited disclosure, recipients can only spread this on a need-to-know basis within their organization and its clients.',
  GREEN: 'Limited disclosure, recipients can spread this within their community.',
  CLEAR: 'Recipients can spread this to the world, there is no limit on disclosure.',
};

export function isTlp(value: unknown): value is Tlp {
  return typeof value === 'string' && (TLP_LEVELS as readonly string[]).includes(value);
}

/** The label as written on a document, e.g. "TLP:AMBER+STRICT". */
export function tlpLabel(tlp: string): string {
  return `TLP:${tlp}`;
}

/** The levels as the choices of a select, each shown as its label. */
export const TLP_OPTIONS: readonly Option<Tlp>[] = TLP_LEVELS.map((level) => ({ value: level, label: tlpLabel(level) }));

/** Text colour of the label; an unknown marking is shown white rather than guessed. */
export function tlpColour(tlp: string): string {
  return isTlp(tlp) ? TLP_COLOURS[tlp] : TLP_COLOURS.CLEAR;
}

export function tlpMeaning(tlp: string): string {
  return isTlp(tlp) ? TLP_MEANINGS[tlp] : 'Unknown marking: handle as TLP:AMBER+STRICT until checked.';
}
