import { describe, expect, it } from 'vitest';
import {
  addTags,
  cleanTag,
  insertAt,
  moveItem,
  moveKeyTarget,
  newEntity,
  newTechnique,
  removeAt,
  renameTechnique,
  suggestTags,
  techniqueChoices,
} from './lists';

const SCENARIO = 'Scenario Generation';

describe('list moves', () => {
  it('moves up and down and clamps at the ends', () => {
    expect(moveItem(['a', 'b', 'c'], 1, 0)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 1, 2)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 3)).toEqual(['a', 'b', 'c']);
    expect(moveItem([], 0, 1)).toEqual([]);
  });

  it('reads Alt+↑ and Alt+↓ as moves, nothing else', () => {
    expect(moveKeyTarget({ altKey: true, key: 'ArrowUp' }, 2)).toBe(1);
    expect(moveKeyTarget({ altKey: true, key: 'ArrowDown' }, 2)).toBe(3);
    expect(moveKeyTarget({ altKey: false, key: 'ArrowUp' }, 2)).toBeNull();
    expect(moveKeyTarget({ altKey: true, key: 'Enter' }, 2)).toBeNull();
  });

  it('removes and inserts without touching the input', () => {
    const items = ['a', 'b', 'c'];
    expect(removeAt(items, 1)).toEqual(['a', 'c']);
    expect(insertAt(items, 1, 'x')).toEqual(['a', 'x', 'b', 'c']);
    expect(insertAt(items, 99, 'z')).toEqual(['a', 'b', 'c', 'z']);
    expect(items).toEqual(['a', 'b', 'c']);
  });
});

describe('techniques', () => {
  it('gives the scenario technique its three scenarios', () => {
    expect(newTechnique('Red Team Analysis', SCENARIO)).toEqual({ name: 'Red Team Analysis', body: '', scenarios: null });
    expect(newTechnique(' scenario generation ', SCENARIO).scenarios).toEqual({ best: '', worst: '', most_likely: '' });
  });

  it('creates scenarios when renamed to the scenario technique and keeps them afterwards', () => {
    const plain = newTechnique('Scenarios', SCENARIO);
    const renamed = renameTechnique(plain, 'Scenario Generation', SCENARIO);
    expect(renamed.scenarios).toEqual({ best: '', worst: '', most_likely: '' });
    const written = { ...renamed, scenarios: { best: 'b', worst: 'w', most_likely: 'l' } };
    expect(renameTechnique(written, 'Scenario Gen', SCENARIO).scenarios).toEqual({ best: 'b', worst: 'w', most_likely: 'l' });
  });

  it('offers the known techniques not used yet', () => {
    const used = [newTechnique('red team analysis', SCENARIO)];
    expect(techniqueChoices(['Red Team Analysis', 'Timeline Analysis'], used)).toEqual(['Timeline Analysis']);
  });
});

describe('entities', () => {
  it('starts a new entity as a person with empty fields', () => {
    expect(newEntity()).toEqual({ name: '', kind: 'person', role: '' });
  });
});

describe('tags', () => {
  it('cleans what was typed', () => {
    expect(cleanTag('  water   security ')).toBe('water security');
    expect(cleanTag(',')).toBe('');
  });

  it('adds tags once, case-insensitively, splitting on commas', () => {
    expect(addTags(['Energy'], 'energy')).toEqual({ tags: ['Energy'], added: false });
    expect(addTags(['Energy'], 'drought, Canal ,drought,')).toEqual({ tags: ['Energy', 'drought', 'Canal'], added: true });
    expect(addTags([], '   ')).toEqual({ tags: [], added: false });
  });

  it('suggests library tags not used yet, prefix matches first', () => {
    const library = [
      { tag: 'shipping', count: 5 },
      { tag: 'panama canal', count: 3 },
      { tag: 'canal', count: 2 },
      { tag: 'energy', count: 1 },
    ];
    expect(suggestTags(library, 'can', [])).toEqual(['canal', 'panama canal']);
    expect(suggestTags(library, '', ['Shipping'], 2)).toEqual(['panama canal', 'canal']);
    expect(suggestTags(library, 'zzz', [])).toEqual([]);
  });
});
