/**
 * The offline outbox: emits made while down, bounded by count and age, flushed in order.
 * @internal
 */
import type { AckCallback } from './transports/types';

/** @internal */
export interface OutboxItem {
  readonly event: string;
  readonly data: unknown;
  readonly at: number;
  readonly ack?: AckCallback | undefined;
}

/** @internal */
export class Outbox {
  readonly #maxSize: number;
  readonly #maxAgeMs: number;
  #items: OutboxItem[] = [];

  constructor(maxSize: number, maxAgeMs: number) {
    this.#maxSize = maxSize;
    this.#maxAgeMs = maxAgeMs;
  }

  get size(): number {
    return this.#items.length;
  }

  /** Removes and returns the items older than `maxAgeMs` at `now`. */
  expire(now: number): OutboxItem[] {
    const keep: OutboxItem[] = [];
    const gone: OutboxItem[] = [];
    for (const item of this.#items) (now - item.at > this.#maxAgeMs ? gone : keep).push(item);
    this.#items = keep;
    return gone;
  }

  /** Queues `item`; false when the outbox is full. */
  push(item: OutboxItem): boolean {
    if (this.#items.length >= this.#maxSize) return false;
    this.#items.push(item);
    return true;
  }

  /** Removes and returns everything, oldest first. */
  drain(): OutboxItem[] {
    const items = this.#items;
    this.#items = [];
    return items;
  }
}
