import { describe, expect, it } from 'vitest';
import { isTlp, TLP_COLOURS, TLP_LEVELS, tlpColour, tlpLabel, tlpMeaning } from './tlp';

describe('TLP labels', () => {
  it('use the FIRST TLP 2.0 colours', () => {
    expect(TLP_COLOURS).toEqual({
      RED: '#FF2B2B',
      AMBER: '#FFC000',
      'AMBER+STRICT': '#FFC000',
      GREEN: '#33FF00',
      CLEAR: '#FFFFFF',
    });
  });

  it('are written TLP:LEVEL', () => {
    expect(TLP_LEVELS.map(tlpLabel)).toEqual(['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED']);
  });

  it('recognise the five levels only', () => {
    for (const level of TLP_LEVELS) expect(isTlp(level)).toBe(true);
    for (const other of ['amber', 'WHITE', '', 'AMBER STRICT', null, 3]) expect(isTlp(other)).toBe(false);
  });

  it('show an unknown marking white with a warning, never a guessed colour', () => {
    expect(tlpColour('WHITE')).toBe('#FFFFFF');
    expect(tlpMeaning('WHITE')).toMatch(/unknown marking/i);
    expect(tlpMeaning('RED')).toMatch(/no further disclosure/);
  });
});
