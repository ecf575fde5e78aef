import type { EventBus } from '../bus';
import type { EventStore, StoredEvent } from '../stores/types';
import { WakeReads } from './wakeReads';

type Why = 'event' | 'presence' | 'timeout' | 'released';

interface Waiter {
  readonly channels: ReadonlySet<string>;
  readonly finish: (why: Why) => void;
}

/**
 * Long-poll waiters: each resolves once — on an event in one of its channels, when its `wait`
 * elapses, when the client goes away, or on `releaseAll()` (companion closing). Each waiter owns
 * one timer. They are indexed by channel behind ONE bus listener, attached while any poll waits,
 * so an event costs one lookup whatever the number of polls; the polls it wakes read the log
 * through `reads`, together.
 */
export class Waiters {
  readonly #bus: EventBus;
  readonly #live = new Set<Waiter>();
  readonly #byChannel = new Map<string, Set<Waiter>>();
  #off: (() => void) | undefined;
  /** Reads of the polls a bus event woke, shared (see `WakeReads`). */
  readonly reads: WakeReads;

  constructor(bus: EventBus, store: Pick<EventStore, 'readAfter'>) {
    this.#bus = bus;
    this.reads = new WakeReads(store);
  }

  /**
   * Starts waiting at once (so an event logged before `settled` is awaited is not missed).
   * `settled` resolves with why it ended; `cancel()` ends it early.
   */
  wait(channels: ReadonlySet<string>, ms: number): { settled: Promise<Why>; cancel: () => void } {
    let finish!: (why: Why) => void;
    const settled = new Promise<Why>((resolve) => {
      let done = false;
      finish = (why) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.#remove(waiter);
        resolve(why);
      };
    });
    const timer = setTimeout(() => finish('timeout'), ms);
    const waiter: Waiter = { channels, finish };
    this.#add(waiter);
    return { settled, cancel: () => finish('released') };
  }

  /** Waiting polls right now. */
  get size(): number {
    return this.#live.size;
  }

  /** Presence of `channel` changed: its waiting polls answer now (with the new members). */
  wake(channel: string): void {
    const set = this.#byChannel.get(channel);
    if (set) for (const waiter of [...set]) waiter.finish('presence');
  }

  releaseAll(): void {
    for (const waiter of [...this.#live]) waiter.finish('released');
  }

  #add(waiter: Waiter): void {
    this.#live.add(waiter);
    for (const channel of waiter.channels) {
      let set = this.#byChannel.get(channel);
      if (!set) this.#byChannel.set(channel, (set = new Set()));
      set.add(waiter);
    }
    this.#off ??= this.#bus.on(this.#onEvent);
  }

  #remove(waiter: Waiter): void {
    this.#live.delete(waiter);
    for (const channel of waiter.channels) {
      const set = this.#byChannel.get(channel);
      if (set?.delete(waiter) && set.size === 0) this.#byChannel.delete(channel);
    }
    if (this.#live.size === 0 && this.#off) {
      this.#off();
      this.#off = undefined;
    }
  }

  readonly #onEvent = (event: StoredEvent): void => {
    // First, before any woken poll reads: no read started before this event is shared after it.
    this.reads.reset();
    const set = this.#byChannel.get(event.channel);
    if (set) for (const waiter of [...set]) waiter.finish('event');
  };
}
