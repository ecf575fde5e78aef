import type { Clock } from './clock';

/**
 * One pending timeout at a time (Phoenix's `Timer`): `schedule(ms)` replaces the pending one.
 * @internal
 */
export class Timer {
  readonly #clock: Clock;
  readonly #callback: () => void;
  #handle: unknown = undefined;

  constructor(clock: Clock, callback: () => void) {
    this.#clock = clock;
    this.#callback = callback;
  }

  get pending(): boolean {
    return this.#handle !== undefined;
  }

  schedule(ms: number): void {
    this.cancel();
    this.#handle = this.#clock.setTimeout(() => {
      this.#handle = undefined;
      this.#callback();
    }, Math.max(0, ms));
  }

  cancel = (): void => {
    if (this.#handle === undefined) return;
    this.#clock.clearTimeout(this.#handle);
    this.#handle = undefined;
  };
}
