import { describe, expect, it, vi } from 'vitest';
import { BackendError, type Backend } from '../lib/backend';
import type { ExportRequest_Deserialize, ExportOutcome, Identity, SessionStatus, Settings } from '../lib/bindings';
import { fakeBackend } from '../lib/fake-backend';
import { defaultFileName, ExportStore } from './export.svelte';

const ann: Identity = {
  name: 'Ann',
  subject: 'CN=Ann Analyst,O=Example Agency',
  common_name: 'Ann Analyst',
  organisation: 'Example Agency',
  email: null,
  fingerprint: 'ab'.repeat(32),
  key_kind: 'p256',
  not_after: '2031-01-01T00:00:00Z',
};

const settings: Settings = { page_size: 'letter', default_tlp: 'AMBER', organisation: null, accent: null, logo: null };
const locked: SessionStatus = { identity: null, secondsLeft: 0 };
const unlocked: SessionStatus = { identity: ann, secondsLeft: 900 };

function setup(parts: Partial<Backend> = {}, session: SessionStatus = locked) {
  const exports: { path: string; options: ExportRequest_Deserialize }[] = [];
  const unlocks: string[] = [];
  const backend = fakeBackend({
    getSettings: async () => settings,
    listIdentities: async () => [ann],
    sessionStatus: async () => session,
    unlockIdentity: async (name, passphrase) => {
      unlocks.push(passphrase);
      if (passphrase !== 'right') throw new BackendError('wrong_passphrase', `wrong passphrase for '${name}'`);
      return unlocked;
    },
    lockIdentity: async () => locked,
    exportReport: async (_id, path, options): Promise<ExportOutcome> => {
      exports.push({ path, options });
      return { path, number: 'BW-2026-0001', bytes: 1234, warnings: [], signed: null };
    },
    ...parts,
  });
  const store = new ExportStore(backend, 'r1', 'BW-2026-0001');
  return { store, exports, unlocks };
}

const choose = (path: string | null) => vi.fn(async () => path);

describe('defaultFileName', () => {
  it('names the file after the report number and format', () => {
    expect(defaultFileName('BW-2026-0001', 'pdf')).toBe('BW-2026-0001.pdf');
    expect(defaultFileName('BW-2026-0001', 'md')).toBe('BW-2026-0001.md');
    expect(defaultFileName('a/b:c', 'txt')).toBe('a-b-c.txt');
    expect(defaultFileName('  ', 'json')).toBe('brief.json');
  });
});

describe('ExportStore', () => {
  it('takes the default page size from the settings and exports unsigned', async () => {
    const t = setup();
    await t.store.init();
    expect(t.store.pageSize).toBe('letter');
    expect(t.store.identity).toBe('');
    t.store.draft = true;
    const ask = choose('/tmp/out.pdf');
    await t.store.submit(ask);
    expect(ask).toHaveBeenCalledWith('BW-2026-0001.pdf', { name: 'PDF documents', extensions: ['pdf'] });
    expect(t.exports).toEqual([
      { path: '/tmp/out.pdf', options: { format: 'pdf', pageSize: 'letter', draft: true, identity: null } },
    ]);
    expect(t.store.phase).toBe('done');
    expect(t.store.outcome?.bytes).toBe(1234);
  });

  it('sends no page size, draft or identity for other formats', async () => {
    const t = setup();
    await t.store.init();
    t.store.format = 'md';
    t.store.draft = true;
    t.store.identity = 'Ann';
    expect(t.store.signing).toBe(false);
    const ask = choose('/tmp/out.md');
    await t.store.submit(ask);
    expect(ask).toHaveBeenCalledWith('BW-2026-0001.md', { name: 'Markdown files', extensions: ['md'] });
    expect(t.exports[0]?.options).toEqual({ format: 'md', pageSize: null, draft: false, identity: null });
  });

  it('a wrong passphrase writes nothing and never opens the save dialog', async () => {
    const t = setup();
    await t.store.init();
    t.store.identity = 'Ann';
    expect(t.store.needsPassphrase).toBe(true);
    t.store.passphrase = 'wrong';
    const ask = choose('/tmp/out.pdf');
    await t.store.submit(ask);
    expect(t.store.errorCode).toBe('wrong_passphrase');
    expect(t.store.error).toContain('does not unlock “Ann”');
    expect(t.store.error).toContain('Nothing was exported');
    expect(ask).not.toHaveBeenCalled();
    expect(t.exports).toEqual([]);
    expect(t.store.phase).toBe('ready');
  });

  it('refuses an empty passphrase without asking the backend', async () => {
    const t = setup();
    await t.store.init();
    t.store.identity = 'Ann';
    expect(t.store.canSubmit).toBe(false);
    await t.store.submit(choose('/x.pdf'));
    expect(t.unlocks).toEqual([]);
    expect(t.store.errorCode).toBe('empty_passphrase');
  });

  it('unlocks, then signs without a watermark and forgets the passphrase', async () => {
    const t = setup({
      exportReport: async (_id, path, options) => {
        t.exports.push({ path, options });
        return {
          path,
          number: 'BW-2026-0001',
          bytes: 99,
          warnings: ['a character no font has: U+1F600'],
          signed: {
            report_id: 'r1',
            report_revision: 3,
            file_sha256: 'cd'.repeat(32),
            signer_name: 'Ann Analyst',
            signer_fingerprint: ann.fingerprint,
            signed: '2026-03-13T10:00:00Z',
            file_name: 'BW-2026-0001.pdf',
          },
        };
      },
    });
    await t.store.init();
    t.store.identity = 'Ann';
    t.store.draft = true;
    t.store.passphrase = 'right';
    await t.store.submit(choose('/tmp/s.pdf'));
    expect(t.exports[0]?.options).toEqual({ format: 'pdf', pageSize: 'letter', draft: false, identity: 'Ann' });
    expect(t.store.passphrase).toBe('');
    expect(t.store.unlocked).toBe(true);
    expect(t.store.outcome?.signed?.signer_name).toBe('Ann Analyst');
  });

  it('skips the passphrase when the session holds the identity, and locks on request', async () => {
    const t = setup({}, unlocked);
    await t.store.init();
    expect(t.store.identity).toBe('Ann');
    expect(t.store.needsPassphrase).toBe(false);
    await t.store.submit(choose('/tmp/s.pdf'));
    expect(t.unlocks).toEqual([]);
    expect(t.exports[0]?.options.identity).toBe('Ann');
    await t.store.lock();
    expect(t.store.needsPassphrase).toBe(true);
  });

  it('asks for the passphrase again when the key locked meanwhile', async () => {
    let session = unlocked;
    const t = setup({
      sessionStatus: async () => session,
      exportReport: async () => {
        session = locked;
        throw new BackendError('locked', "unlock the identity 'Ann' with its passphrase before signing");
      },
    });
    await t.store.init();
    await t.store.submit(choose('/tmp/s.pdf'));
    expect(t.store.errorCode).toBe('locked');
    expect(t.store.needsPassphrase).toBe(true);
    expect(t.store.outcome).toBeNull();
  });

  it('does nothing when the save dialog is cancelled', async () => {
    const t = setup();
    await t.store.init();
    await t.store.submit(choose(null));
    expect(t.exports).toEqual([]);
    expect(t.store.phase).toBe('ready');
    expect(t.store.error).toBeNull();
  });

  it('shows the progress label while exporting and stays busy', async () => {
    let release: () => void = () => {};
    const t = setup({
      exportReport: (_id, path) =>
        new Promise((resolve) => {
          release = () => resolve({ path, number: 'BW-2026-0001', bytes: 1, warnings: [], signed: null });
        }),
    });
    await t.store.init();
    const running = t.store.submit(choose('/tmp/a.pdf'));
    await vi.waitFor(() => expect(t.store.phase).toBe('exporting'));
    expect(t.store.busy).toBe(true);
    expect(t.store.progressLabel).toBe('Exporting…');
    expect(t.store.canSubmit).toBe(false);
    release();
    await running;
    expect(t.store.busy).toBe(false);
  });

  it('opens and reveals only after an export', async () => {
    const opened: string[] = [];
    const t = setup({
      openExported: async (p) => {
        opened.push(`open ${p}`);
        return null;
      },
      revealExported: async (p) => {
        opened.push(`reveal ${p}`);
        return null;
      },
    });
    await t.store.init();
    await t.store.open();
    expect(opened).toEqual([]);
    await t.store.submit(choose('/tmp/a.pdf'));
    await t.store.open();
    await t.store.reveal();
    expect(opened).toEqual(['open /tmp/a.pdf', 'reveal /tmp/a.pdf']);
  });
});
