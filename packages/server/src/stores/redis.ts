import { encodeData } from '../data';
import { CursorExpiredError } from '../errors';
import { compareIds } from '../ids';
import type { EventStore, NewEvent, StoredEvent } from './types';

/**
 * The part of a Redis client the store uses: node-redis v4/v5 `sendCommand` (RESP2 replies).
 * Pass a connected `createClient()` from the `redis` package.
 */
export interface RedisCommandClient {
  sendCommand(args: string[]): Promise<unknown>;
}

/** Options of `redisStore`. */
export interface RedisStoreOptions {
  /** A connected node-redis client (`await createClient({ url }).connect()`); not closed by the store. */
  readonly client: RedisCommandClient;
  /** Stream key. Use one per namespace. @default 'lifeline:events' */
  readonly key?: string;
  /** Entries kept (exact `XADD … MAXLEN =`). @default 10000 */
  readonly maxEvents?: number;
  /**
   * A second connected client, used only for blocking `XREAD`, so that publishes on other
   * processes reach this process's clients live. Without it each process delivers live only
   * what it publishes itself (replay and polls still see everything). Not closed by the store.
   * @default undefined
   */
  readonly subscriber?: RedisCommandClient;
  /** `XREAD BLOCK` timeout, ms (bounds how long `close()` waits). @default 1000 */
  readonly blockMs?: number;
}

/**
 * An event log on a Redis Stream, shared by every process that uses the same key: ids are the
 * stream's ("1700000000000-3"), appends are `XADD key MAXLEN = maxEvents * prev … channel …
 * event … data <json>` (in one Lua script), reads are `XRANGE key (cursor + COUNT n` followed by
 * `XINFO STREAM` for the log's bounds (in one Lua script too: one round trip). Each entry records
 * `prev`, the id before it, so an expired cursor is told exactly: it is expired when it is before
 * the oldest kept entry's `prev`. Needs Redis ≥ 6.2 (exclusive XRANGE).
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const lifeline = createLifeline(io.of('/notifications'), { store: redisStore({ client, key: 'lifeline:notifications' }) });
 * ```
 */
export function redisStore(options: RedisStoreOptions): EventStore {
  if (!options || typeof options.client?.sendCommand !== 'function') {
    throw new TypeError('redisStore: pass { client } — a connected node-redis client (createClient({ url }).connect()).');
  }
  const maxEvents = options.maxEvents ?? 10_000;
  if (!Number.isInteger(maxEvents) || maxEvents < 1) throw new TypeError(`redisStore: maxEvents must be a positive integer, got ${String(maxEvents)}.`);
  const key = options.key ?? 'lifeline:events';
  const store = new RedisStore(options.client, key, maxEvents);
  if (!options.subscriber) return store;
  const tail = new StreamTail(options.subscriber, key, options.blockMs ?? 1000, () => store.latest());
  return Object.assign(store, { subscribe: (l: (e: StoredEvent) => void) => tail.subscribe(l), close: () => tail.stop() });
}

/** Follows the stream with `XREAD BLOCK` on a dedicated connection while anyone listens. */
class StreamTail {
  readonly #listeners = new Set<(e: StoredEvent) => void>();
  #running: Promise<void> | undefined;

  readonly #client: RedisCommandClient;
  readonly #key: string;
  readonly #blockMs: number;
  readonly #latest: () => Promise<string>;

  constructor(client: RedisCommandClient, key: string, blockMs: number, latest: () => Promise<string>) {
    this.#client = client;
    this.#key = key;
    this.#blockMs = blockMs;
    this.#latest = latest;
  }

  subscribe(listener: (e: StoredEvent) => void): () => void {
    this.#listeners.add(listener);
    this.#running ??= this.#loop();
    return () => this.#listeners.delete(listener);
  }

  async #loop(): Promise<void> {
    // Where the tail starts, retried until the stream answers: '$' in its place would skip every
    // append made between two XREADs until the first entry arrived.
    let last: string | undefined;
    while (this.#listeners.size > 0) {
      try {
        last ??= await this.#latest();
        const reply = (await this.#client.sendCommand(['XREAD', 'COUNT', '500', 'BLOCK', String(this.#blockMs), 'STREAMS', this.#key, last])) as unknown[] | null;
        const entries = ((reply?.[0] as [unknown, unknown[]] | undefined)?.[1] ?? []) as unknown[];
        for (const entry of entries) {
          const event = toEvent(entry);
          last = event.id;
          for (const l of [...this.#listeners]) l(event);
        }
      } catch {
        await new Promise((r) => setTimeout(r, Math.min(500, this.#blockMs)));
      }
    }
    this.#running = undefined;
  }

  async stop(): Promise<void> {
    this.#listeners.clear();
    await this.#running;
  }
}

class RedisStore implements EventStore {
  readonly #client: RedisCommandClient;
  readonly #key: string;
  readonly #max: number;

  constructor(client: RedisCommandClient, key: string, max: number) {
    this.#client = client;
    this.#key = key;
    this.#max = max;
  }

  async append(event: NewEvent, json?: string): Promise<StoredEvent> {
    const data = json ?? encodeData(event.data ?? null, 'redisStore.append', { channel: event.channel, event: event.event });
    const id = await this.#client.sendCommand(['EVAL', APPEND, '1', this.#key, String(this.#max), event.channel, event.event, data]);
    return { id: String(id), channel: event.channel, event: event.event, data: JSON.parse(data) as unknown };
  }

  async readAfter(cursor: string, limit: number): Promise<StoredEvent[]> {
    // XRANGE refuses (with an error, which became a 500) a cursor that is not a stream id; every
    // such well-formed cursor is after anything this stream can have written.
    if (!isStreamCursor(cursor)) throw new CursorExpiredError(cursor, (await this.#read('', 0, ''))[2]);
    const start = cursor.includes('-') ? cursor : `${cursor}-0`;
    const [entries, latest, trimmedUpTo, known] = await this.#read(`(${start}`, limit, start);
    if (compareIds(cursor, trimmedUpTo) < 0) throw new CursorExpiredError(cursor, latest);
    // After the last id, or inside the kept range without being one of its ids (nor its start):
    // a cursor of an earlier log (FLUSHDB, a new key), whose ids may well be older than this
    // one's. Everything this log keeps is new to that reader: resume from its start.
    if (compareIds(cursor, latest) > 0 || (!known && compareIds(cursor, trimmedUpTo) !== 0)) throw new CursorExpiredError(cursor, trimmedUpTo);
    return entries.map(toEvent);
  }

  async readBefore(before: string | undefined, limit: number): Promise<StoredEvent[]> {
    // XREVRANGE from the end, or exclusive of `before` (a stream cursor, else nothing is before it
    // that this stream wrote… except everything: an id past the stream's range reads from the end).
    const end = before === undefined || !isStreamCursor(before) ? '+' : `(${before.includes('-') ? before : `${before}-0`}`;
    if (before !== undefined && (before === '0' || before === '0-0')) return [];
    const reply = (await this.#client.sendCommand(['XREVRANGE', this.#key, end, '-', 'COUNT', String(limit)])) as unknown[];
    return reply.map(toEvent);
  }

  async oldest(): Promise<string | undefined> {
    const reply = (await this.#client.sendCommand(['XRANGE', this.#key, '-', '+', 'COUNT', '1'])) as unknown[];
    const first = reply[0] as [string, unknown] | undefined;
    return first ? String(first[0]) : undefined;
  }

  async latest(): Promise<string> {
    return (await this.#read('', 0, ''))[1];
  }

  /**
   * One script, one round trip: up to `limit` entries from `start` (none when `start` is ''), then
   * the last id ever appended and the id up to which the stream was trimmed (the oldest kept
   * entry's `prev`), as of right after that read: if nothing after a cursor was trimmed by then,
   * nothing was before; and whether an entry `exact` exists (false when `exact` is '').
   */
  async #read(start: string, limit: number, exact: string): Promise<[entries: unknown[], latest: string, trimmedUpTo: string, known: boolean]> {
    const [entries, latest, trimmedUpTo, known] = (await this.#client.sendCommand(['EVAL', READ, '1', this.#key, start, String(limit), exact])) as [unknown[], unknown, unknown, unknown];
    return [entries, String(latest), String(trimmedUpTo), Number(known) === 1];
  }
}

const U64_MAX = 2n ** 64n - 1n;

/**
 * True when XRANGE accepts `(cursor` as an exclusive start: both parts fit in 64 bits, and it is
 * not the largest stream id (nothing can come after it).
 */
function isStreamCursor(cursor: string): boolean {
  const [ms = 0n, seq = 0n] = cursor.split('-').map(BigInt);
  return ms <= U64_MAX && seq <= U64_MAX && !(ms === U64_MAX && seq === U64_MAX);
}

/** Appends with the previous entry's id recorded as `prev`, atomically. */
const APPEND = `local prev = '0-0'
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if last[1] then prev = last[1][1] end
return redis.call('XADD', KEYS[1], 'MAXLEN', '=', ARGV[1], '*', 'prev', prev, 'channel', ARGV[2], 'event', ARGV[3], 'data', ARGV[4])`;

/**
 * Reads `{ XRANGE KEYS[1] ARGV[1] + COUNT ARGV[2] (none when ARGV[1] is ''), last-generated-id,
 * the first entry's prev, 1 when an entry ARGV[3] exists }`: both bounds '0-0' when the stream
 * does not exist, the second '0-0' when it has no entries.
 */
const READ = `local entries = {}
if ARGV[1] ~= '' then entries = redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2]) end
local known = 0
if ARGV[3] ~= '' and #redis.call('XRANGE', KEYS[1], ARGV[3], ARGV[3]) > 0 then known = 1 end
if redis.call('EXISTS', KEYS[1]) == 0 then return {entries, '0-0', '0-0', known} end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local latest, trimmed, first = '0-0', '0-0', false
for i = 1, #info, 2 do
  if info[i] == 'last-generated-id' then latest = info[i + 1] end
  if info[i] == 'first-entry' then first = info[i + 1] end
end
if first then
  for i = 1, #first[2], 2 do
    if first[2][i] == 'prev' then trimmed = first[2][i + 1] end
  end
end
return {entries, latest, trimmed, known}`;

function fieldsOf(entry: unknown): Record<string, string> {
  const [, rawFields] = entry as [unknown, unknown[]];
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < rawFields.length; i += 2) f[String(rawFields[i])] = String(rawFields[i + 1]);
  return f;
}

function toEvent(entry: unknown): StoredEvent {
  const id = (entry as [unknown])[0];
  const f = fieldsOf(entry);
  let data: unknown = null;
  try {
    data = JSON.parse(f.data ?? 'null');
  } catch {
    data = f.data ?? null;
  }
  return { id: String(id), channel: f.channel ?? '', event: f.event ?? '', data };
}
