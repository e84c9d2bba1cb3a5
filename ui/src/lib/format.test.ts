import { describe, expect, it } from 'vitest';
import { countLabel, errorMessage, formatBytes, formatDate, formatTimestamp, groupFingerprint, sentence, statusLabel } from './format';

describe('formatDate', () => {
  it('formats a calendar date without shifting it across time zones', () => {
    expect(formatDate('2026-03-12', 'en-GB')).toBe('12 Mar 2026');
    expect(formatDate('2026-01-01', 'en-US')).toBe('Jan 1, 2026');
  });

  it('shows what it cannot parse as given', () => {
    expect(formatDate('2026-02-30', 'en-GB')).toBe('2026-02-30');
    expect(formatDate('March 2026', 'en-GB')).toBe('March 2026');
    expect(formatDate('', 'en-GB')).toBe('');
  });
});

describe('formatTimestamp', () => {
  it('formats RFC 3339 in the given zone', () => {
    expect(formatTimestamp('2026-03-13T09:05:00Z', 'en-GB', 'UTC')).toBe('13 Mar 2026, 09:05');
  });
  it('shows what it cannot parse as given', () => {
    expect(formatTimestamp('yesterday', 'en-GB', 'UTC')).toBe('yesterday');
  });
});

describe('statusLabel', () => {
  it('capitalises known statuses and keeps others', () => {
    expect(statusLabel('draft')).toBe('Draft');
    expect(statusLabel('signed')).toBe('Signed');
    expect(statusLabel('archived')).toBe('archived');
  });
});

describe('sentence', () => {
  it('turns a backend message into a sentence', () => {
    expect(sentence('the disk is full; nothing was changed')).toBe('The disk is full; nothing was changed.');
    expect(sentence('Already a sentence.')).toBe('Already a sentence.');
    expect(sentence('  why?  ')).toBe('Why?');
    expect(sentence('')).toBe('');
  });
});

describe('countLabel', () => {
  it('pluralises', () => {
    expect(countLabel(0)).toBe('0 reports');
    expect(countLabel(1)).toBe('1 report');
    expect(countLabel(2)).toBe('2 reports');
  });
});

describe('groupFingerprint', () => {
  it('groups fingerprints in fours, upper case', () => {
    expect(groupFingerprint('ab12cd34ef')).toBe('AB12 CD34 EF');
    expect(groupFingerprint('0123456789abcdef'.repeat(4)).split(' ')).toHaveLength(16);
    expect(groupFingerprint('AB:12:cd:34')).toBe('AB12 CD34');
  });
});

describe('formatBytes', () => {
  it('formats sizes', () => {
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(1500)).toBe('1.5 KB');
    expect(formatBytes(44826)).toBe('45 KB');
    expect(formatBytes(2_500_000)).toBe('2.5 MB');
  });
});

describe('errorMessage', () => {
  it("gives an Error's message, or anything else as text", () => {
    expect(errorMessage(new Error('the dialog failed'))).toBe('the dialog failed');
    expect(errorMessage('no dialog here')).toBe('no dialog here');
  });
});
