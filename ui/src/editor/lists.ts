// List operations of the editor (techniques, recommendations, entities, tags): pure functions
// that return new arrays, tested in lists.test.ts.

import type { Entity, Scenarios, TagCount, Technique } from '../lib/bindings';

/** `items` with the item at `from` moved to `to` (both clamped); the same array when nothing moves. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(items.length - 1, to));
  if (from < 0 || from >= items.length || from === target) return [...items];
  const out = [...items];
  const [item] = out.splice(from, 1);
  out.splice(target, 0, item as T);
  return out;
}

export function removeAt<T>(items: readonly T[], index: number): T[] {
  return items.filter((_, i) => i !== index);
}

export function insertAt<T>(items: readonly T[], index: number, item: T): T[] {
  const out = [...items];
  out.splice(Math.max(0, Math.min(items.length, index)), 0, item);
  return out;
}

/** Where Alt+↑ or Alt+↓ moves the item at `index` (the editor's lists); null for other keys. */
export function moveKeyTarget(event: Pick<KeyboardEvent, 'altKey' | 'key'>, index: number): number | null {
  if (!event.altKey) return null;
  if (event.key === 'ArrowUp') return index - 1;
  if (event.key === 'ArrowDown') return index + 1;
  return null;
}

// Techniques ----------------------------------------------------------------------------------

export function isScenarioName(name: string, scenarioTechnique: string): boolean {
  return name.trim().toLowerCase() === scenarioTechnique.trim().toLowerCase();
}

export function emptyScenarios(): Scenarios {
  return { best: '', worst: '', most_likely: '' };
}

export function newTechnique(name: string, scenarioTechnique: string): Technique {
  return { name: name.trim(), body: '', scenarios: isScenarioName(name, scenarioTechnique) ? emptyScenarios() : null };
}

/**
 * The technique renamed: becoming the scenario technique gives it the three scenarios;
 * scenarios once written are kept under any name (nothing typed is dropped).
 */
export function renameTechnique(technique: Technique, name: string, scenarioTechnique: string): Technique {
  const scenarios = technique.scenarios ?? (isScenarioName(name, scenarioTechnique) ? emptyScenarios() : null);
  return { ...technique, name, scenarios };
}

/** Technique names to offer: the known ones not used yet in this report. */
export function techniqueChoices(known: readonly string[], used: readonly Technique[]): string[] {
  const taken = new Set(used.map((t) => t.name.trim().toLowerCase()));
  return known.filter((name) => !taken.has(name.toLowerCase()));
}

// Entities ------------------------------------------------------------------------------------

export const ENTITY_KINDS = ['person', 'organization', 'location', 'other'] as const;

export function newEntity(): Entity {
  return { name: '', kind: 'person', role: '' };
}

// Tags ----------------------------------------------------------------------------------------

/** The tag as stored: trimmed, inner whitespace collapsed, no commas. */
export function cleanTag(raw: string): string {
  return raw.replace(/,/g, ' ').replace(/\s+/g, ' ').trim();
}

export function hasTag(tags: readonly string[], tag: string): boolean {
  const lower = tag.toLowerCase();
  return tags.some((t) => t.toLowerCase() === lower);
}

/**
 * Adds what was typed (commas separate several tags); empty text and tags already there
 * (case-insensitively) are skipped. Returns the new list and whether anything was added.
 */
export function addTags(tags: readonly string[], typed: string): { tags: string[]; added: boolean } {
  const out = [...tags];
  let added = false;
  for (const part of typed.split(',')) {
    const tag = cleanTag(part);
    if (tag !== '' && !hasTag(out, tag)) {
      out.push(tag);
      added = true;
    }
  }
  return { tags: out, added };
}

/** Tags of the library to suggest for what is typed: prefix matches first, then the rest, most used first. */
export function suggestTags(library: readonly TagCount[], typed: string, current: readonly string[], limit = 8): string[] {
  const text = cleanTag(typed).toLowerCase();
  const open = library.filter((t) => !hasTag(current, t.tag));
  if (text === '') return open.slice(0, limit).map((t) => t.tag);
  const prefix = open.filter((t) => t.tag.toLowerCase().startsWith(text));
  const inside = open.filter((t) => !t.tag.toLowerCase().startsWith(text) && t.tag.toLowerCase().includes(text));
  return [...prefix, ...inside].slice(0, limit).map((t) => t.tag);
}
