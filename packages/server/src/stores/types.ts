/**
 * The event log behind the companion. Any store that keeps this contract (the contract tests in
 * test/storeContract.ts run against every built-in store) works with the rest unchanged.
 */

/** One logged event, as sent to clients (`lifeline:event` and `GET /poll`). */
export interface StoredEvent {
  /** Increasing id; also the cursor a client resumes from. */
  readonly id: string;
  /** Channel (Socket.IO room) it was published to. */
  readonly channel: string;
  /** Event name. */
  readonly event: string;
  /** JSON payload. */
  readonly data: unknown;
}

/** What `append` is given: an event without its id. */
export type NewEvent = Omit<StoredEvent, 'id'>;

/**
 * An append-only, bounded event log with cursors.
 *
 * Ids are `-`-separated decimal parts that increase with every append and compare numerically
 * part by part (`compareIds`). A cursor is the id of the last event a reader saw, or the store's
 * `latest()` for "from now".
 *
 * @example
 * ```ts
 * const store: EventStore = memoryStore({ maxEvents: 1000 });
 * const { id } = await store.append({ channel: 'ticket:42', event: 'comment:added', data: { text: 'hi' } });
 * const after = await store.readAfter('0', 100); // [{ id: '1', … }]
 * ```
 */
export interface EventStore {
  /**
   * Appends an event and returns it with its new id. Rejects data that is not JSON-serializable
   * (the built-in stores: a `BAD_REQUEST` `LifelineServerError`). `json`, when given, is
   * `JSON.stringify(event.data)`, already checked by the caller (`publish` passes it): a store
   * that serializes uses it instead of encoding again.
   */
  append(event: NewEvent, json?: string): Promise<StoredEvent>;
  /**
   * Up to `limit` events strictly after `cursor`, oldest first, across all channels.
   * Rejects with `CursorExpiredError` when events after `cursor` were dropped (its
   * `details.cursor`: the latest id), or when `cursor` belongs to an earlier log — after
   * `latest()`, or not one of this log's ids (a reset: restart, new key, FLUSHDB; its
   * `details.cursor`: the start of this log, so a reader gets every event it keeps). `cursor` is
   * a well-formed id (`isEventId`).
   */
  readAfter(cursor: string, limit: number): Promise<StoredEvent[]>;
  /**
   * Up to `limit` events strictly before `before` (from the end of the log when undefined),
   * NEWEST first, across all channels. Serves `channel.history()` and `rewind`; a store without
   * it answers history requests with `UNSUPPORTED`. Never rejects for an old `before`: what the
   * log no longer keeps is simply not returned.
   */
  readBefore?(before: string | undefined, limit: number): Promise<StoredEvent[]>;
  /** Id of the oldest event kept, or undefined when the log is empty. */
  oldest(): Promise<string | undefined>;
  /** Id of the last event ever appended, or the store's zero cursor ("0", "0-0") when none. */
  latest(): Promise<string>;
  /**
   * Live events appended by ANY process sharing this log (multi-node stores). When present, the
   * companion delivers live events from here instead of from its own `publish`, so a publish on
   * one node reaches sockets and waiting polls on every node. Returns `off`.
   */
  subscribe?(listener: (event: StoredEvent) => void): () => void;
  /** Releases connections the store owns (not the ones it was given). */
  close?(): Promise<void>;
}
