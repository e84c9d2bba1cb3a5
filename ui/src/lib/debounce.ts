// A trailing-edge debounce with explicit cancel and flush, so callers (and tests) control timing.

export interface Debounced<A extends unknown[]> {
  /** Schedules `fn(...args)` after the delay, replacing any call still waiting. */
  (...args: A): void;
  /** Drops the waiting call, if any. */
  cancel(): void;
  /** Runs the waiting call now, if any. */
  flush(): void;
  /** Whether a call is waiting. */
  readonly pending: boolean;
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, delayMs: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waiting: A | undefined;

  const run = () => {
    const args = waiting;
    timer = undefined;
    waiting = undefined;
    if (args) fn(...args);
  };

  const debounced = ((...args: A) => {
    waiting = args;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(run, delayMs);
  }) as Debounced<A>;

  debounced.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    waiting = undefined;
  };
  debounced.flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    run();
  };
  Object.defineProperty(debounced, 'pending', { get: () => timer !== undefined });
  return debounced;
}
