/**
 * Pending acknowledgements: one timer each (from the moment of `emit`, queued time included),
 * `ACK_TIMEOUT` when it fires, `CLOSED` for all on `close()`.
 * @internal
 */
import type { Clock } from './clock';
import { LifelineError } from './errors';
import type { AckCallback } from './transports/types';

interface Pending {
  readonly reject: (error: LifelineError) => void;
  readonly timer: unknown;
}

/** @internal */
export class Acks {
  readonly #clock: Clock;
  readonly #pending = new Set<Pending>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get size(): number {
    return this.#pending.size;
  }

  /** A promise of the reply and the callback that settles it. */
  create<R>(event: string, timeoutMs: number): { promise: Promise<R>; callback: AckCallback; fail: (error: LifelineError) => void } {
    let settle!: (error: LifelineError | null, reply?: unknown) => void;
    const promise = new Promise<R>((resolve, reject) => {
      const entry: Pending = {
        reject: (e) => settle(e),
        timer: this.#clock.setTimeout(() => settle(new LifelineError('ACK_TIMEOUT', `No ack for "${event}" within ${timeoutMs} ms.`, { event, timeoutMs })), timeoutMs),
      };
      this.#pending.add(entry);
      settle = (error, reply) => {
        if (!this.#pending.delete(entry)) return;
        this.#clock.clearTimeout(entry.timer);
        if (error) reject(error);
        else resolve(reply as R);
      };
    });
    return { promise, callback: (error, reply) => settle(error, reply), fail: (error) => settle(error) };
  }

  rejectAll(error: LifelineError): void {
    for (const p of [...this.#pending]) p.reject(error);
  }
}
