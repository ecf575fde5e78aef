import type { EventStore, StoredEvent } from '../stores/types';

/**
 * The log reads of long-polls that one bus event woke, shared: every woken poll reads after its
 * cursor, and polls that were up to date hold the same cursor, so N polls woken by one event cost
 * one `readAfter` (one Redis round trip) instead of N.
 *
 * Why sharing is exact: `reset()` runs on every bus event, before any poll it wakes reads, so a
 * read found here started after the newest bus event — after the event that woke whoever joins
 * it was logged. Only reads in flight are shared; a settled one is forgotten.
 */
export class WakeReads {
  readonly #store: Pick<EventStore, 'readAfter'>;
  #reads = new Map<string, Promise<StoredEvent[]>>();

  constructor(store: Pick<EventStore, 'readAfter'>) {
    this.#store = store;
  }

  /** A bus event arrived: reads started before it may lack it. */
  reset(): void {
    if (this.#reads.size > 0) this.#reads = new Map();
  }

  /** `store.readAfter`, shared with the woken polls reading the same page right now. */
  readonly readAfter = (cursor: string, limit: number): Promise<StoredEvent[]> => {
    const key = `${cursor} ${limit}`;
    const reads = this.#reads;
    let read = reads.get(key);
    if (!read) {
      const started = this.#store.readAfter(cursor, limit);
      read = started;
      const forget = () => {
        if (reads.get(key) === started) reads.delete(key);
      };
      started.then(forget, forget);
      reads.set(key, started);
    }
    return read;
  };
}
