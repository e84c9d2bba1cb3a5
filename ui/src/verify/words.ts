// Plain words for verification results. Pure functions, tested in verify.test.ts.

import type { Coverage, SignatureReport, Verdict } from '../lib/bindings';

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
