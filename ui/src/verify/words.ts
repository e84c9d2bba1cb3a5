// Plain words for verification results, fingerprints and sizes. Pure functions (words.test.ts).

import type { Coverage, KeyKind, SignatureReport, Verdict } from '../lib/bindings';

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

export type Tone = 'ok' | 'warn' | 'bad' | 'none';

export interface VerdictWords {
  tone: Tone;
  title: string;
  detail: string;
}

const VERDICTS: Record<Verdict, VerdictWords> = {
  valid: {
    tone: 'ok',
    title: 'Valid signature from a trusted signer',
    detail: 'The document is exactly as it was signed, and you trust the certificate that signed it.',
  },
  untrusted: {
    tone: 'warn',
    title: 'Intact, but the signer is not trusted',
    detail:
      'Nothing has changed since signing, but the certificate is not among the ones you trust. Check the fingerprint with the sender before trusting it.',
  },
  modified_after_signing: {
    tone: 'bad',
    title: 'Modified after signing',
    detail: 'The signed part is intact, but the file was changed after it was signed.',
  },
  invalid: {
    tone: 'bad',
    title: 'Invalid signature',
    detail: 'A signature is broken or cannot be checked: do not rely on this document.',
  },
  unsigned: {
    tone: 'none',
    title: 'Not signed',
    detail: 'This PDF carries no signature, so nothing can be said about who made it.',
  },
  not_pdf: {
    tone: 'none',
    title: 'Not a PDF',
    detail: 'This file is not a PDF document.',
  },
};

export function verdictWords(verdict: Verdict): VerdictWords {
  return VERDICTS[verdict];
}

export function coverageWords(coverage: Coverage): string {
  switch (coverage.kind) {
    case 'whole_file':
      return 'Covers the whole file';
    case 'modified_after':
      return 'Covers the file as it was signed; it was changed afterwards';
    case 'broken':
      return 'Does not cover the file (the signature structure is broken)';
  }
}

/** Whether the verify view may offer "Trust this signer". */
export function canTrust(signature: SignatureReport): boolean {
  return signature.intact && !signature.trusted && signature.fingerprint !== null;
}

export const KEY_KINDS: { kind: KeyKind; label: string; note: string }[] = [
  { kind: 'p256', label: 'ECDSA P-256', note: 'Recommended: small and fast.' },
  { kind: 'rsa2048', label: 'RSA 2048', note: 'Slower; for organisations that require RSA.' },
  { kind: 'rsa3072', label: 'RSA 3072', note: 'Slower; for organisations that require RSA.' },
  { kind: 'rsa4096', label: 'RSA 4096', note: 'Slowest; for organisations that require RSA.' },
];

export function keyKindLabel(kind: KeyKind): string {
  return KEY_KINDS.find((k) => k.kind === kind)?.label ?? kind;
}
