import type { EventBus } from '../bus';

/**
 * Long-poll waiters: each resolves once — on an event in one of its channels, when its `wait`
 * elapses, when the client goes away, or on `releaseAll()` (companion closing). Each waiter owns
 * exactly one timer and one bus listener, both released when it settles.
 */
export class Waiters {
  readonly #bus: EventBus;
  readonly #live = new Set<() => void>();

  constructor(bus: EventBus) {
    this.#bus = bus;
  }

  /**
   * Starts waiting at once (so an event logged before `settled` is awaited is not missed).
   * `settled` resolves with why it ended; `cancel()` ends it early.
   */
  wait(channels: ReadonlySet<string>, ms: number): { settled: Promise<'event' | 'timeout' | 'released'>; cancel: () => void } {
    let finish!: (why: 'event' | 'timeout' | 'released') => void;
    const settled = new Promise<'event' | 'timeout' | 'released'>((resolve) => {
      let done = false;
      finish = (why) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        off();
        this.#live.delete(release);
        resolve(why);
      };
    });
    const timer = setTimeout(() => finish('timeout'), ms);
    const off = this.#bus.on((e) => {
      if (channels.has(e.channel)) finish('event');
    });
    const release = () => finish('released');
    this.#live.add(release);
    return { settled, cancel: release };
  }

  /** Waiting polls right now. */
  get size(): number {
    return this.#live.size;
  }

  releaseAll(): void {
    for (const release of [...this.#live]) release();
  }
}
