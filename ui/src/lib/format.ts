// Display helpers for dates, statuses, messages, sizes and fingerprints. Pure functions, tested in
// format.test.ts.

import type { Status } from './bindings';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-03-12" → "12 Mar 2026" (in the user's locale); anything unparseable is shown as given. */
export function formatDate(iso: string, locale?: string): string {
  const m = ISO_DATE.exec(iso);
  if (!m) return iso;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** An RFC 3339 timestamp → a date and time in the user's locale and zone; unparseable: as given. */
export function formatTimestamp(rfc3339: string, locale?: string, timeZone?: string): string {
  const ms = Date.parse(rfc3339);
  if (Number.isNaN(ms)) return rfc3339;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(ms));
}

const STATUS_LABELS: Readonly<Record<Status, string>> = { draft: 'Draft', final: 'Final', signed: 'Signed' };

export function statusLabel(status: string): string {
  return (STATUS_LABELS as Record<string, string>)[status] ?? status;
}

/** Backend messages are one sentence starting in lower case; show them as a sentence. */
export function sentence(message: string): string {
  const text = message.trim();
  if (text === '') return text;
  const first = text.charAt(0).toLocaleUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** The message of anything thrown, for showing it. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** "1 report", "2 reports". */
export function countLabel(count: number, noun = 'report'): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "ab12cd34…" → "AB12 CD34 …" (groups of four hex digits). */
export function groupFingerprint(hex: string): string {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return (clean.match(/.{1,4}/g) ?? []).join(' ');
}

/** 1536 → "1.5 KB" (1000-based, like file managers on Linux). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes;
  let unit = '';
  for (const u of units) {
    value /= 1000;
    unit = u;
    if (value < 1000) break;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}
