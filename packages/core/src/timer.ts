import type { Clock } from './clock';

/**
 * A deadline that fires more than this late (ms) ran behind an event-loop stall (a long task, a
 * busy process, a machine that slept). Timers run before the I/O that arrived meanwhile is read,
 * so the awaited answer may already sit in the socket: judge this long later. Not a single
 * macrotask: over Engine.IO polling in Node an answer already received takes three turns of the
 * event loop to reach the ack (one was measured to fail, three to pass); a short wall-clock grace
 * lets the freed loop run as many turns as reading it takes.
 * @internal
 */
export const STALL_MS = 50;

/**
 * The pure rule of a deadline timer: fire now, or give pending I/O `STALL_MS` first.
 * @internal
 */
export const deferJudgement = (dueAt: number, now: number): boolean => now - dueAt > STALL_MS;

/**
 * One pending timeout at a time (Phoenix's `Timer`): `schedule(ms)` replaces the pending one.
 * A `deadline` timer (a timeout that declares something failed) that fires late defers its
 * callback by `STALL_MS` (`deferJudgement`), so the answer read meanwhile cancels it; the
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
      if (this.#deadline && deferJudgement(dueAt, clock.now())) this.#handle = clock.setTimeout(fire, STALL_MS);
      else fire();
    }, Math.max(0, ms));
  }

  cancel = (): void => {
    if (this.#handle === undefined) return;
    this.#clock.clearTimeout(this.#handle);
    this.#handle = undefined;
  };
}
