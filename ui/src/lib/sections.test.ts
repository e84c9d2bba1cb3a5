import { describe, expect, it } from 'vitest';
import { sectionHeading, sectionTitle } from './sections';

describe('section headings', () => {
  it('are the brief’s, with and without their number', () => {
    expect(sectionHeading(1)).toBe('1. BLUF (Bottom Line Up Front)');
    expect(sectionTitle(3)).toBe('Implications and Strategic Risks');
    expect(sectionTitle(6)).toBe('Thematic Tags');
  });
});
