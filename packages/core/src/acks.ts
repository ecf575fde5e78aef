/**
 * Pending acknowledgements: one timer each (from the moment of `emit`, queued time included),
 * `ACK_TIMEOUT` when it fires, `CLOSED` for all on `close()`.
 * @internal
 */
import type { Clock } from './clock';
import { afterHints, reported, type LifelineError } from './errors';
import { Timer } from './timer';
import type { AckCallback } from './transports/types';

/** @internal */
export class Acks {
  readonly #clock: Clock;
  /** The settle callback of every pending ack. */
  readonly #pending = new Set<AckCallback>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get size(): number {
    return this.#pending.size;
  }

  /** A promise of the reply and the callback that settles it (first call wins). */
  create<R>(event: string, timeoutMs: number): { promise: Promise<R>; callback: AckCallback } {
    let callback!: AckCallback;
    const promise = new Promise<R>((resolve, reject) => {
      // A deadline: after a stall, the reply already read settles it first.
      const timer = new Timer(this.#clock, () => callback(reported('ACK_TIMEOUT', 'ackTimeout', { event, timeoutMs })), true);
      timer.schedule(timeoutMs);
      callback = (error, reply) => {
        if (!this.#pending.delete(callback)) return;
        timer.cancel();
        // A rejection carries the full hint: the hint texts load with the first error.
        if (error) afterHints(() => reject(error));
        else resolve(reply as R);
      };
      this.#pending.add(callback);
    });
    return { promise, callback };
  }

  rejectAll(error: LifelineError): void {
    for (const settle of [...this.#pending]) settle(error);
  }
}
