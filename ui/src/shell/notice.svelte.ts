// The status line after an action ("Deleted BW-2026-0003 “…”"): one message at a time,
// cleared after a while or by the next message.

export const NOTICE_MS = 6000;

export class Notice {
  message = $state('');
  /** Numbers messages so an old timer never clears a newer one. */
  #sequence = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #delayMs: number;

  constructor(delayMs: number = NOTICE_MS) {
    this.#delayMs = delayMs;
  }

  show(message: string): void {
    const sequence = ++this.#sequence;
    this.message = message;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (sequence === this.#sequence) this.message = '';
    }, this.#delayMs);
  }

  clear(): void {
    this.#sequence++;
    clearTimeout(this.#timer);
    this.message = '';
  }
}
