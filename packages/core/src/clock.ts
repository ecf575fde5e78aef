/**
 * The clock every Lifeline timer goes through. The default wraps the global timers in arrow
 * functions that look them up at call time, so `vi.useFakeTimers()` installed after import still
 * takes effect (TanStack `timeoutManager`'s "GOOD" form).
 * @internal
 */
export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

/** @internal */
export const defaultClock: Clock = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/**
 * A clock that counts its pending timeouts, so `inspectClient` can check that `close()` left none.
 * @internal
 */
export class TrackedClock implements Clock {
  readonly #base: Clock;
  readonly #live = new Set<unknown>();

  constructor(base: Clock = defaultClock) {
    this.#base = base;
  }

  get pending(): number {
    return this.#live.size;
  }

  setTimeout = (fn: () => void, ms: number): unknown => {
    const box: { h?: unknown } = {};
    box.h = this.#base.setTimeout(() => {
      this.#live.delete(box);
      fn();
    }, ms);
    this.#live.add(box);
    return box;
  };

  clearTimeout = (handle: unknown): void => {
    if (!this.#live.has(handle)) return;
    this.#live.delete(handle);
    this.#base.clearTimeout((handle as { h?: unknown }).h);
  };

  now = (): number => this.#base.now();
}
