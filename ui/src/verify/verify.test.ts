import { describe, expect, it } from 'vitest';
import { BackendError } from '../lib/backend';
import type { SignatureReport, TrustedCert, Verdict, VerifyOutcome } from '../lib/bindings';
import { fakeBackend } from '../lib/fake-backend';
import { VerifyStore } from './verify.svelte';
import { canTrust, coverageWords, verdictWords } from './words';

const FP = '0123456789abcdef'.repeat(4);

function signature(parts: Partial<SignatureReport> = {}): SignatureReport {
  return {
    field: 'Signature1',
    signer_subject: 'CN=Ann Analyst,O=Example Agency',
    signer_name: 'Ann Analyst',
    organisation: 'Example Agency',
    signing_time: '2026-03-13T10:00:00Z',
    fingerprint: FP,
    intact: true,
    coverage: { kind: 'whole_file' },
    trusted: false,
    problems: [],
    ...parts,
  };
}

function outcome(verdict: Verdict, sig = signature()): VerifyOutcome {
  return { file: 'brief.pdf', bytes: 2048, verification: { verdict, signatures: [sig], problems: [] } };
}

describe('words', () => {
  it('gives every verdict its colour', () => {
    expect(verdictWords('valid').tone).toBe('ok');
    expect(verdictWords('untrusted').tone).toBe('warn');
    expect(verdictWords('modified_after_signing').tone).toBe('bad');
    expect(verdictWords('invalid').tone).toBe('bad');
    expect(verdictWords('unsigned').tone).toBe('none');
    expect(verdictWords('not_pdf').tone).toBe('none');
  });

  it('describes coverage and when a signer may be trusted', () => {
    expect(coverageWords({ kind: 'whole_file' })).toMatch(/whole file/);
    expect(coverageWords({ kind: 'modified_after', changes: ['x'] })).toMatch(/changed afterwards/);
    expect(canTrust(signature())).toBe(true);
    expect(canTrust(signature({ trusted: true }))).toBe(false);
    expect(canTrust(signature({ intact: false }))).toBe(false);
    expect(canTrust(signature({ fingerprint: null }))).toBe(false);
  });
});

describe('VerifyStore', () => {
  it('verifies a path and shows a failure as a BackendError', async () => {
    const store = new VerifyStore(
      fakeBackend({
        verifyFile: async (path) => {
          if (path === '/missing.pdf') throw new BackendError('not_found', 'no such file');
          return outcome('untrusted');
        },
      }),
    );
    await store.verify('/a.pdf');
    expect(store.outcome?.verification.verdict).toBe('untrusted');
    await store.verify('/missing.pdf');
    expect(store.outcome).toBeNull();
    expect(store.error).toBeInstanceOf(BackendError);
    expect(store.error?.code).toBe('not_found');
    expect(store.busy).toBe(false);
  });

  it('trusting a signer re-verifies the same file', async () => {
    let trusted = false;
    const calls: string[] = [];
    const store = new VerifyStore(
      fakeBackend({
        verifyFile: async (path) => {
          calls.push(`verify ${path}`);
          return trusted ? outcome('valid', signature({ trusted: true })) : outcome('untrusted');
        },
        trustSigner: async (fp): Promise<TrustedCert[]> => {
          calls.push(`trust ${fp}`);
          trusted = true;
          return [];
        },
      }),
    );
    await store.verify('/a.pdf');
    await store.trust(FP, 'Ann Analyst');
    expect(calls).toEqual(['verify /a.pdf', `trust ${FP}`, 'verify /a.pdf']);
    expect(store.outcome?.verification.verdict).toBe('valid');
    expect(store.notice).toMatch(/Ann Analyst is now trusted/);
    expect(store.trusting).toBeNull();
  });

  it('keeps the result when trusting fails', async () => {
    const store = new VerifyStore(
      fakeBackend({
        verifyFile: async () => outcome('untrusted'),
        trustSigner: async () => {
          throw new BackendError('no_trusted', 'that certificate is not among the signers of the file last verified');
        },
      }),
    );
    await store.verify('/a.pdf');
    await store.trust(FP, null);
    expect(store.error?.code).toBe('no_trusted');
    expect(store.outcome?.verification.verdict).toBe('untrusted');
  });

  it('a newer verification wins over an older one', async () => {
    const resolvers = new Map<string, (o: VerifyOutcome) => void>();
    const store = new VerifyStore(
      fakeBackend({ verifyFile: (path) => new Promise((resolve) => resolvers.set(path, resolve)) }),
    );
    const first = store.verify('/old.pdf');
    const second = store.verify('/new.pdf');
    resolvers.get('/new.pdf')!(outcome('valid'));
    await second;
    resolvers.get('/old.pdf')!(outcome('invalid'));
    await first;
    expect(store.outcome?.verification.verdict).toBe('valid');
    expect(store.path).toBe('/new.pdf');
  });
});
