import { encodeData } from '../data';
import { CursorExpiredError } from '../errors';
import type { EventStore, NewEvent, StoredEvent } from './types';

/** Options of `memoryStore`. */
export interface MemoryStoreOptions {
  /**
   * How many events the log keeps; older ones are dropped and cursors pointing before them get
   * `CURSOR_EXPIRED`.
   * @default 10000
   */
  readonly maxEvents?: number;
}

/**
 * An in-process event log: a ring buffer of the last `maxEvents` events with ids "1", "2", "3"…
 * Fine for one Node process; use `redisStore` when several processes publish or serve clients.
 * A restart starts the log over, so clients holding older cursors get `CURSOR_EXPIRED` and
 * resume from now.
 *
 * @example
 * ```ts
 * const lifeline = createLifeline(io.of('/'), { store: memoryStore({ maxEvents: 10_000 }) });
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): EventStore {
  const maxEvents = options.maxEvents ?? 10_000;
  if (!Number.isInteger(maxEvents) || maxEvents < 1) {
    throw new TypeError(`memoryStore: maxEvents must be a positive integer, got ${String(maxEvents)}.`);
  }
  return new MemoryStore(maxEvents);
}

class MemoryStore implements EventStore {
  readonly #ring: Array<StoredEvent | undefined>;
  /** Id of the last appended event (0 when none). */
  #last = 0;

  constructor(maxEvents: number) {
    this.#ring = new Array<StoredEvent | undefined>(maxEvents);
  }

  /** Id of the oldest kept event (1 when none yet). */
  get #first(): number {
    return Math.max(1, this.#last - this.#ring.length + 1);
  }

  append(event: NewEvent, json?: string): Promise<StoredEvent> {
    // Kept as given (no copy); only checked, unless the caller already encoded it.
    if (json === undefined) {
      try {
        encodeData(event.data, 'memoryStore.append', { channel: event.channel, event: event.event });
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const id = ++this.#last;
    const stored: StoredEvent = Object.freeze({ id: String(id), channel: event.channel, event: event.event, data: event.data });
    this.#ring[(id - 1) % this.#ring.length] = stored;
    return Promise.resolve(stored);
  }

  readAfter(cursor: string, limit: number): Promise<StoredEvent[]> {
    const after = Number(cursor.split('-')[0]);
    // After the last id: this log started over (a restart) since the cursor was handed out, so
    // everything it keeps is new to that reader: resume from its start.
    if (!Number.isSafeInteger(after) || after > this.#last) return Promise.reject(new CursorExpiredError(cursor, String(this.#first - 1)));
    if (this.#last > 0 && after < this.#first - 1) return Promise.reject(new CursorExpiredError(cursor, String(this.#last)));
    const out: StoredEvent[] = [];
    for (let id = after + 1; id <= this.#last && out.length < limit; id++) {
      const e = this.#ring[(id - 1) % this.#ring.length];
      if (e) out.push(e);
    }
    return Promise.resolve(out);
  }

  readBefore(before: string | undefined, limit: number): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    // Ids are "n" (a store before a restart may have handed out "n-m": only n counts here).
    const bound = before === undefined ? this.#last + 1 : Math.min(this.#last + 1, Number(before.split('-')[0]));
    for (let id = bound - 1; id >= this.#first && out.length < limit; id--) {
      const e = this.#ring[(id - 1) % this.#ring.length];
      if (e) out.push(e);
    }
    return Promise.resolve(out);
  }

  oldest(): Promise<string | undefined> {
    return Promise.resolve(this.#last === 0 ? undefined : String(this.#first));
  }

  latest(): Promise<string> {
    return Promise.resolve(String(this.#last));
  }
}
