// The settings view's state: identities, trusted certificates, branding and defaults.
// Every action reports success or a clear message for its own section.

import { BackendError, type Backend } from '../lib/backend';
import type { Identity, KeyKind, PageSize, Settings, Tlp, TrustedCert } from '../lib/bindings';
import { errorMessage, sentence } from '../lib/format';

export type Section = 'identities' | 'trusted' | 'branding';

export const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** "#1d4e9e" / "1D4E9E" → "#1D4E9E"; anything else → null. */
export function normaliseColour(text: string): string | null {
  const t = text.trim();
  const withHash = t.startsWith('#') ? t : `#${t}`;
  return HEX_COLOUR.test(withHash) ? withHash.toUpperCase() : null;
}

/** Own identities are trusted because they are identities; only added certificates can be removed. */
export function removable(cert: TrustedCert): boolean {
  return !cert.source.startsWith('identity ');
}

export interface NewIdentity {
  name: string;
  organisation: string;
  email: string;
  kind: KeyKind;
  passphrase: string;
  passphrase2: string;
}

export interface ImportP12 {
  path: string;
  password: string;
  passphrase: string;
  passphrase2: string;
  name: string;
}

/** Why a new passphrase is refused, or null. */
export function passphraseProblem(passphrase: string, confirmation: string): string | null {
  if (passphrase === '') return 'Choose a passphrase: it protects the private key on this computer.';
  if (passphrase !== confirmation) return 'The two passphrases differ. Type the same passphrase twice.';
  return null;
}

export function settingsErrorMessage(error: BackendError): string {
  switch (error.code) {
    case 'identity_exists':
      return 'An identity with that name exists already. Choose another name.';
    case 'bad_name':
      return `${sentence(error.message)} Use letters, digits, spaces, dots, dashes or underscores.`;
    case 'wrong_p12_password':
      return 'That password does not open the .p12 file. Nothing was imported.';
    case 'bad_p12':
      return `${sentence(error.message)} Nothing was imported.`;
    case 'bad_certificate':
      return `${sentence(error.message)} Nothing was added.`;
    case 'bad_colour':
      return 'The accent colour must be a hex colour such as #1D4E9E.';
    default:
      return sentence(error.message);
  }
}

export class SettingsStore {
  identities = $state.raw<Identity[]>([]);
  trusted = $state.raw<TrustedCert[]>([]);
  /** The settings as saved. */
  saved = $state.raw<Settings | null>(null);
  // The form (branding and defaults).
  organisation = $state('');
  accent = $state('');
  pageSize = $state<PageSize>('a4');
  tlp = $state<Tlp>('AMBER');

  loading = $state(false);
  /** What is running: 'create', 'import', 'delete:NAME', 'save', … (buttons are disabled meanwhile). */
  working = $state<string | null>(null);
  errors = $state<Record<Section, string | null>>({ identities: null, trusted: null, branding: null });
  notices = $state<Record<Section, string | null>>({ identities: null, trusted: null, branding: null });

  readonly #backend: Backend;

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  async load(): Promise<void> {
    this.loading = true;
    await Promise.all([this.#loadIdentities(), this.#loadTrusted(), this.#loadSettings()]);
    this.loading = false;
  }

  async #loadIdentities() {
    await this.#run('identities', null, async () => {
      this.identities = await this.#backend.listIdentities();
    });
  }

  async #loadTrusted() {
    await this.#run('trusted', null, async () => {
      this.trusted = await this.#backend.listTrusted();
    });
  }

  async #loadSettings() {
    await this.#run('branding', null, async () => this.#show(await this.#backend.getSettings()));
  }

  #show(settings: Settings) {
    this.saved = settings;
    this.organisation = settings.organisation ?? '';
    this.accent = settings.accent ?? '';
    this.pageSize = settings.page_size;
    this.tlp = settings.default_tlp;
  }

  get accentValid(): boolean {
    return this.accent.trim() === '' || normaliseColour(this.accent) !== null;
  }

  get dirty(): boolean {
    const s = this.saved;
    if (!s) return false;
    return (
      this.organisation.trim() !== (s.organisation ?? '') ||
      (normaliseColour(this.accent) ?? this.accent.trim()) !== (s.accent ?? '') ||
      this.pageSize !== s.page_size ||
      this.tlp !== s.default_tlp
    );
  }

  /** Runs `action` for `section`, keeping one message per section; true when it succeeded. */
  /**
   * Asks for a file (`ask` opens a native dialog) and hands the chosen path to `use`; a cancelled
   * dialog does nothing, and one that fails to open says why in `section`.
   */
  async withFile(section: Section, ask: () => Promise<string | null>, use: (path: string) => unknown): Promise<void> {
    try {
      const path = await ask();
      if (path) await use(path);
    } catch (error) {
      this.errors[section] = errorMessage(error);
    }
  }

  async #run(section: Section, working: string | null, action: () => Promise<unknown>, done?: string): Promise<boolean> {
    if (working !== null) {
      if (this.working !== null) return false;
      this.working = working;
    }
    this.errors[section] = null;
    this.notices[section] = null;
    try {
      await action();
      if (done) this.notices[section] = done;
      return true;
    } catch (reason) {
      this.errors[section] = settingsErrorMessage(BackendError.from(reason));
      return false;
    } finally {
      if (working !== null) this.working = null;
    }
  }

  #refuse(section: Section, message: string): false {
    this.notices[section] = null;
    this.errors[section] = message;
    return false;
  }

  async createIdentity(form: NewIdentity): Promise<boolean> {
    const name = form.name.trim();
    if (name === '') return this.#refuse('identities', 'Give the identity a name, e.g. your own name.');
    const problem = passphraseProblem(form.passphrase, form.passphrase2);
    if (problem) return this.#refuse('identities', problem);
    return this.#run(
      'identities',
      'create',
      async () => {
        await this.#backend.createIdentity(
          name,
          form.organisation.trim() || null,
          form.email.trim() || null,
          form.kind,
          form.passphrase,
        );
        await this.#reloadAfterIdentityChange();
      },
      `Created the identity “${name}”. Export its certificate for the people who verify your briefs.`,
    );
  }

  async importIdentity(form: ImportP12): Promise<boolean> {
    if (form.path === '') return this.#refuse('identities', 'Choose a .p12 or .pfx file first.');
    const problem = passphraseProblem(form.passphrase, form.passphrase2);
    if (problem) return this.#refuse('identities', problem);
    let imported = '';
    return this.#run(
      'identities',
      'import',
      async () => {
        const identity = await this.#backend.importIdentity(form.path, form.password, form.passphrase, form.name.trim() || null);
        imported = identity.name;
        await this.#reloadAfterIdentityChange();
        this.notices.identities = `Imported the identity “${imported}”.`;
      },
    );
  }

  async exportCertificate(name: string, path: string): Promise<boolean> {
    return this.#run(
      'identities',
      `export:${name}`,
      () => this.#backend.exportCertificate(name, path),
      `Saved the certificate of “${name}” to ${path}.`,
    );
  }

  async deleteIdentity(name: string): Promise<boolean> {
    return this.#run(
      'identities',
      `delete:${name}`,
      async () => {
        await this.#backend.deleteIdentity(name);
        await this.#reloadAfterIdentityChange();
      },
      `Deleted the identity “${name}”.`,
    );
  }

  async #reloadAfterIdentityChange() {
    this.identities = await this.#backend.listIdentities();
    try {
      this.trusted = await this.#backend.listTrusted();
    } catch {
      // The identity change itself worked; the trusted list refreshes on the next visit.
    }
  }

  async addTrusted(path: string): Promise<boolean> {
    let added = 0;
    return this.#run('trusted', 'trust-add', async () => {
      // A plain snapshot within this call, never read by the UI: no reactivity wanted.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      const before = new Set(this.trusted.map((t) => t.fingerprint));
      this.trusted = await this.#backend.trustCertificateFile(path);
      added = this.trusted.filter((t) => !before.has(t.fingerprint)).length;
      this.notices.trusted =
        added === 0 ? 'Those certificates were trusted already.' : `Now trusting ${added} more certificate${added === 1 ? '' : 's'}.`;
    });
  }

  async removeTrusted(cert: TrustedCert): Promise<boolean> {
    return this.#run(
      'trusted',
      `trust-remove:${cert.fingerprint}`,
      async () => {
        await this.#backend.removeTrusted(cert.fingerprint);
        this.trusted = await this.#backend.listTrusted();
      },
      `No longer trusting ${cert.subject}.`,
    );
  }

  async save(): Promise<boolean> {
    if (!this.saved) return false;
    const accent = this.accent.trim() === '' ? null : normaliseColour(this.accent);
    if (accent === null && this.accent.trim() !== '') {
      return this.#refuse('branding', 'The accent colour must be a hex colour such as #1D4E9E.');
    }
    const settings: Settings = {
      ...this.saved,
      organisation: this.organisation.trim() || null,
      accent,
      page_size: this.pageSize,
      default_tlp: this.tlp,
    };
    return this.#run(
      'branding',
      'save',
      async () => this.#show(await this.#backend.saveSettings(settings)),
      'Settings saved. New exports use them.',
    );
  }

  async setLogo(path: string): Promise<boolean> {
    return this.#run('branding', 'logo', async () => this.#applyLogo(await this.#backend.setLogo(path)), 'Logo saved.');
  }

  async clearLogo(): Promise<boolean> {
    return this.#run('branding', 'logo', async () => this.#applyLogo(await this.#backend.clearLogo()), 'Logo removed.');
  }

  /** The logo calls return all settings; keep unsaved edits in the form. */
  #applyLogo(settings: Settings) {
    if (this.saved) this.saved = { ...this.saved, logo: settings.logo };
    else this.#show(settings);
  }
}
