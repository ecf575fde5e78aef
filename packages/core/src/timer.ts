import type { Clock } from './clock';

/**
 * A deadline that fires more than this late (ms) ran behind an event-loop stall (a long task, a
 * busy process, a machine that slept). Timers run before the I/O that arrived meanwhile is read,
 * so the awaited answer may already sit in the socket: judge one macrotask later.
 * @internal
 */
export const STALL_MS = 50;

/**
 * The pure rule of a deadline timer: fire now, or give pending I/O one macrotask first.
 * @internal
 */
export const deferJudgement = (dueAt: number, now: number): boolean => now - dueAt > STALL_MS;

/**
 * One pending timeout at a time (Phoenix's `Timer`): `schedule(ms)` replaces the pending one.
 * A `deadline` timer (a timeout that declares something failed) that fires late defers its
 * callback by one macrotask (`deferJudgement`), so the answer read meanwhile cancels it; the
 * callback still sees the late clock (a heartbeat's sleep check).
 * @internal
 */
export class Timer {
  readonly #clock: Clock;
  readonly #callback: () => void;
  readonly #deadline: boolean;
  #handle: unknown = undefined;

  constructor(clock: Clock, callback: () => void, deadline = false) {
    this.#clock = clock;
    this.#callback = callback;
    this.#deadline = deadline;
  }

  get pending(): boolean {
    return this.#handle !== undefined;
  }

  schedule(ms: number): void {
    this.cancel();
    const clock = this.#clock;
    const dueAt = clock.now() + ms;
    const fire = () => {
      this.#handle = undefined;
      this.#callback();
    };
    this.#handle = clock.setTimeout(() => {
      // Still pending while deferred: the awaited answer, read first, cancels it.
      if (this.#deadline && deferJudgement(dueAt, clock.now())) this.#handle = clock.setTimeout(fire, 0);
      else fire();
    }, Math.max(0, ms));
  }

  cancel = (): void => {
    if (this.#handle === undefined) return;
    this.#clock.clearTimeout(this.#handle);
    this.#handle = undefined;
  };
}
