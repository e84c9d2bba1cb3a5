import { describe, expect, it } from 'vitest';
import { countLabel, errorMessage, formatBytes, formatDate, formatTimestamp, groupFingerprint, sentence, statusLabel } from './format';

/** One test per example: `format` turns the first of each pair into the second. */
function examples<T>(what: string, format: (value: T) => string, pairs: [T, string][]) {
  it.each(pairs)(`${what}: %j → %j`, (value, shown) => {
    expect(format(value)).toBe(shown);
  });
}

describe('formatDate', () => {
  const inLocale = ([date, locale]: [string, string]) => formatDate(date, locale);
  examples('formats a calendar date without shifting it across time zones', inLocale, [
    [['2026-03-12', 'en-GB'], '12 Mar 2026'],
    [['2026-01-01', 'en-US'], 'Jan 1, 2026'],
  ]);
  it.each(['2026-02-30', 'March 2026', ''])('shows what it cannot parse as given: %j', (date) => {
    expect(formatDate(date, 'en-GB')).toBe(date);
  });
});

describe('formatTimestamp', () => {
  const utc = (iso: string) => formatTimestamp(iso, 'en-GB', 'UTC');
  examples('formats RFC 3339 in the given zone', utc, [['2026-03-13T09:05:00Z', '13 Mar 2026, 09:05']]);
  examples('shows what it cannot parse as given', utc, [['yesterday', 'yesterday']]);
});

describe('statusLabel', () => {
  examples('capitalises known statuses and keeps others', statusLabel, [
    ['draft', 'Draft'],
    ['signed', 'Signed'],
    ['archived', 'archived'],
  ]);
});

describe('sentence', () => {
  examples('turns a backend message into a sentence', sentence, [
    ['the disk is full; nothing was changed', 'The disk is full; nothing was changed.'],
    ['Already a sentence.', 'Already a sentence.'],
    ['  why?  ', 'Why?'],
    ['', ''],
  ]);
});

describe('countLabel', () => {
  examples('pluralises', countLabel, [[0, '0 reports'], [1, '1 report'], [2, '2 reports']]);
});

describe('groupFingerprint', () => {
  examples('groups fingerprints in fours, upper case', groupFingerprint, [
    ['ab12cd34ef', 'AB12 CD34 EF'],
    ['AB:12:cd:34', 'AB12 CD34'],
  ]);
  it('makes 16 groups of a SHA-256 fingerprint', () => {
    expect(groupFingerprint('0123456789abcdef'.repeat(4)).split(' ')).toHaveLength(16);
  });
});

describe('formatBytes', () => {
  examples('formats sizes', formatBytes, [[999, '999 bytes'], [1500, '1.5 KB'], [44826, '45 KB'], [2_500_000, '2.5 MB']]);
});

describe('errorMessage', () => {
  examples("gives an Error's message, or anything else as text", errorMessage, [
    [new Error('the dialog failed'), 'the dialog failed'],
    ['no dialog here', 'no dialog here'],
  ]);
});
