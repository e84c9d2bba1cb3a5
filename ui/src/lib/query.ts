import type { Query } from './bindings';

/** A full `Query` from the parts given: everything else matches every report, newest first. */
export function query(parts: Partial<Query> = {}): Query {
  return { text: '', tag: null, entity: null, tlp: null, from: null, to: null, sort: 'auto', limit: null, ...parts };
}
