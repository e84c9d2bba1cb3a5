import { describe, expect, it } from 'vitest';
import { BackendError, type Backend } from '../lib/backend';
import type { Identity, KeyKind, Settings, Settings_Deserialize, TrustedCert } from '../lib/bindings';
import { fakeBackend } from '../lib/fake-backend';
import { normaliseColour, passphraseProblem, removable, SettingsStore } from './settings.svelte';

function identity(name: string): Identity {
  return {
    name,
    subject: `CN=${name}`,
    common_name: name,
    organisation: null,
    email: null,
    fingerprint: name.padEnd(64, '0'),
    key_kind: 'p256',
    not_after: '2031-01-01T00:00:00Z',
  };
}

function setup(parts: Partial<Backend> = {}) {
  let identities: Identity[] = [identity('Ann')];
  let trusted: TrustedCert[] = [{ subject: 'CN=Ann', fingerprint: 'a'.repeat(64), source: 'identity Ann' }];
  let settings: Settings = { page_size: 'a4', default_tlp: 'AMBER', organisation: 'Agency', accent: '#1D4E9E', logo: null };
  const created: { name: string; kind: KeyKind | null; organisation: string | null }[] = [];
  const saved: Settings_Deserialize[] = [];
  const backend = fakeBackend({
    listIdentities: async () => identities,
    listTrusted: async () => trusted,
    getSettings: async () => settings,
    createIdentity: async (name, organisation, _email, kind) => {
      if (identities.some((i) => i.name === name)) throw new BackendError('identity_exists', `identity '${name}' exists`);
      created.push({ name, kind, organisation });
      const made = identity(name);
      identities = [...identities, made];
      return made;
    },
    deleteIdentity: async (name) => {
      identities = identities.filter((i) => i.name !== name);
      return null;
    },
    trustCertificateFile: async () => {
      trusted = [...trusted, { subject: 'CN=Bob', fingerprint: 'b'.repeat(64), source: 'bob.pem' }];
      return trusted;
    },
    removeTrusted: async (fp) => {
      const cert = trusted.find((t) => t.fingerprint === fp)!;
      trusted = trusted.filter((t) => t.fingerprint !== fp);
      return cert;
    },
    saveSettings: async (form) => {
      saved.push(form);
      // As the Rust side applies the form: a field left out takes its default; the logo stays.
      settings = {
        ...settings,
        page_size: form.page_size ?? 'a4',
        default_tlp: form.default_tlp ?? 'AMBER',
        organisation: form.organisation ?? null,
        accent: form.accent ?? null,
      };
      return settings;
    },
    setLogo: async () => (settings = { ...settings, logo: 'logo.png' }),
    ...parts,
  });
  return { store: new SettingsStore(backend), created, saved };
}

const newIdentity = (name: string, passphrase = 'secret words', passphrase2 = passphrase) => ({
  name,
  organisation: ' Example Agency ',
  email: '',
  kind: 'p256' as KeyKind,
  passphrase,
  passphrase2,
});

describe('helpers', () => {
  it('normalises colours', () => {
    expect(normaliseColour('#1d4e9e')).toBe('#1D4E9E');
    expect(normaliseColour('1d4e9e')).toBe('#1D4E9E');
    expect(normaliseColour('#1d4e9')).toBeNull();
    expect(normaliseColour('blue')).toBeNull();
  });

  it('checks new passphrases', () => {
    expect(passphraseProblem('', '')).toMatch(/Choose a passphrase/);
    expect(passphraseProblem('a', 'b')).toMatch(/differ/);
    expect(passphraseProblem('a', 'a')).toBeNull();
  });

  it('never offers to remove an own identity from the trusted list', () => {
    expect(removable({ subject: 'x', fingerprint: 'f', source: 'identity Ann' })).toBe(false);
    expect(removable({ subject: 'x', fingerprint: 'f', source: 'bob.pem' })).toBe(true);
  });
});

describe('SettingsStore', () => {
  it('loads everything', async () => {
    const { store } = setup();
    await store.load();
    expect(store.identities.map((i) => i.name)).toEqual(['Ann']);
    expect(store.trusted).toHaveLength(1);
    expect(store.organisation).toBe('Agency');
    expect(store.dirty).toBe(false);
  });

  it('creates an identity, refusing mismatched passphrases first', async () => {
    const t = setup();
    await t.store.load();
    expect(await t.store.createIdentity(newIdentity('Bob', 'one', 'two'))).toBe(false);
    expect(t.store.errors.identities).toMatch(/differ/);
    expect(t.created).toEqual([]);
    expect(await t.store.createIdentity(newIdentity('Bob'))).toBe(true);
    expect(t.created).toEqual([{ name: 'Bob', kind: 'p256', organisation: 'Example Agency' }]);
    expect(t.store.identities.map((i) => i.name)).toEqual(['Ann', 'Bob']);
    expect(t.store.errors.identities).toBeNull();
    expect(t.store.notices.identities).toMatch(/Created the identity “Bob”/);
  });

  it('explains a duplicate name', async () => {
    const t = setup();
    await t.store.load();
    expect(await t.store.createIdentity(newIdentity('Ann'))).toBe(false);
    expect(t.store.errors.identities).toMatch(/exists already/);
    expect(t.store.working).toBeNull();
  });

  it('deletes an identity', async () => {
    const t = setup();
    await t.store.load();
    expect(await t.store.deleteIdentity('Ann')).toBe(true);
    expect(t.store.identities).toEqual([]);
  });

  it('hands a chosen file on, does nothing when cancelled, and shows a dialog that fails', async () => {
    const { store } = setup();
    const used: string[] = [];
    await store.withFile('trusted', () => Promise.resolve('/tmp/bob.pem'), (path) => used.push(path));
    await store.withFile('trusted', () => Promise.resolve(null), (path) => used.push(path));
    expect(used).toEqual(['/tmp/bob.pem']);
    expect(store.errors.trusted).toBeNull();
    await store.withFile('branding', () => Promise.reject(new Error('no dialog here')), (path) => used.push(path));
    expect(store.errors.branding).toBe('no dialog here');
    expect(used).toEqual(['/tmp/bob.pem']);
  });

  it('adds and removes trusted certificates', async () => {
    const t = setup();
    await t.store.load();
    await t.store.addTrusted('/tmp/bob.pem');
    expect(t.store.trusted.map((c) => c.subject)).toEqual(['CN=Ann', 'CN=Bob']);
    expect(t.store.notices.trusted).toMatch(/1 more certificate\b/);
    await t.store.removeTrusted(t.store.trusted[1]!);
    expect(t.store.trusted.map((c) => c.subject)).toEqual(['CN=Ann']);
  });

  it('saves the settings with a normalised colour and refuses a bad one', async () => {
    const t = setup();
    await t.store.load();
    t.store.accent = 'zz';
    expect(t.store.accentValid).toBe(false);
    expect(await t.store.save()).toBe(false);
    expect(t.saved).toEqual([]);
    t.store.accent = '#aa0011';
    t.store.organisation = '  ';
    t.store.pageSize = 'letter';
    t.store.tlp = 'GREEN';
    expect(t.store.dirty).toBe(true);
    expect(await t.store.save()).toBe(true);
    expect(t.saved[0]).toEqual({ page_size: 'letter', default_tlp: 'GREEN', organisation: null, accent: '#AA0011', logo: null });
    expect(t.store.dirty).toBe(false);
    expect(t.store.notices.branding).toMatch(/saved/);
  });

  it('keeps unsaved edits when the logo changes', async () => {
    const t = setup();
    await t.store.load();
    t.store.organisation = 'New name';
    await t.store.setLogo('/tmp/logo.png');
    expect(t.store.saved?.logo).toBe('logo.png');
    expect(t.store.organisation).toBe('New name');
    expect(t.store.dirty).toBe(true);
  });

  it('runs one action at a time', async () => {
    let release: () => void = () => {};
    const t = setup({
      deleteIdentity: () => new Promise<null>((resolve) => (release = () => resolve(null))),
    });
    await t.store.load();
    const first = t.store.deleteIdentity('Ann');
    expect(t.store.working).toBe('delete:Ann');
    expect(await t.store.addTrusted('/x.pem')).toBe(false);
    release();
    await first;
    expect(t.store.working).toBeNull();
  });
});
