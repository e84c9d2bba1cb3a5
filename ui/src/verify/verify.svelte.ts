// The verify view's state: the file checked last, its result, and trusting a signer (which
// re-verifies the same file so the verdict updates at once).

import { BackendError, type Backend } from '../lib/backend';
import type { VerifyOutcome } from '../lib/bindings';

export class VerifyStore {
  /** The path being (or last) verified. */
  path = $state<string | null>(null);
  outcome = $state.raw<VerifyOutcome | null>(null);
  busy = $state(false);
  error = $state<BackendError | null>(null);
  /** Fingerprint being trusted right now. */
  trusting = $state<string | null>(null);
  /** A message after trusting a signer. */
  notice = $state<string | null>(null);

  readonly #backend: Backend;
  #seq = 0;

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  /** Verifies `path`; a newer call wins over an older one still running. */
  async verify(path: string): Promise<VerifyOutcome | null> {
    const seq = ++this.#seq;
    this.path = path;
    this.busy = true;
    this.error = null;
    this.notice = null;
    try {
      const outcome = await this.#backend.verifyFile(path);
      if (seq !== this.#seq) return null;
      this.outcome = outcome;
      return outcome;
    } catch (reason) {
      if (seq !== this.#seq) return null;
      this.outcome = null;
      this.error = BackendError.from(reason, 'verify_file');
      return null;
    } finally {
      if (seq === this.#seq) this.busy = false;
    }
  }

  /** Trusts the signer with this certificate fingerprint, then verifies the same file again. */
  async trust(fingerprint: string, signer: string | null): Promise<void> {
    if (this.trusting || !this.path) return;
    this.trusting = fingerprint;
    this.error = null;
    try {
      await this.#backend.trustSigner(fingerprint);
    } catch (reason) {
      this.error = BackendError.from(reason, 'trust_signer');
      this.trusting = null;
      return;
    }
    this.trusting = null;
    await this.verify(this.path);
    this.notice = `${signer ?? 'The signer'} is now trusted. Remove the certificate under Settings → Trusted certificates to undo.`;
  }
}
