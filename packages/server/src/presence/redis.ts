/**
 * `redisPresence`: presence shared by every companion (node) on one Redis. Each node keeps its
 * own members per channel in a hash (`<key>:ch:<channel>`, field = node id, value = JSON list),
 * announces each change on a stream (`<key>:changes`, read with `XREAD BLOCK` on the dedicated
 * `subscriber` connection), and proves it is alive with a key that expires (`<key>:node:<id>`,
 * `PX ttlMs`, renewed every `heartbeatMs`). A node whose key expired (it crashed, or lost Redis)
 * is dropped by the others: its members leave within `ttlMs + heartbeatMs`.
 */
import { randomUUID } from 'node:crypto';
import type { RedisCommandClient } from '../stores/redis';
import type { PresenceShare } from './hub';
import type { Member } from './members';

/** Options of `redisPresence`. */
export interface RedisPresenceOptions {
  /** A connected node-redis client (shared with `redisStore` if you like); not closed by presence. */
  readonly client: RedisCommandClient;
  /** A second connected client, only for the blocking `XREAD` of changes (not the store's). Not closed by presence. */
  readonly subscriber: RedisCommandClient;
  /** Key prefix; use one per namespace. @default 'lifeline:presence' */
  readonly key?: string;
  /** How often this node renews its liveness key and checks the others', ms. @default 1000 */
  readonly heartbeatMs?: number;
  /** How long a node's members outlive its last heartbeat, ms (the crash bound, with `heartbeatMs`). @default 5000 */
  readonly ttlMs?: number;
  /** `XREAD BLOCK` timeout, ms (bounds how long `close()` waits). @default 1000 */
  readonly blockMs?: number;
}

/**
 * Presence across nodes on Redis, for `createLifeline(…, { presence: true, presenceStore })`.
 *
 * @example
 * ```ts
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const presenceStore = redisPresence({ client, subscriber: await client.duplicate().connect() });
 * createLifeline(io.of('/support'), { presence: true, presenceStore });
 * ```
 */
export function redisPresence(options: RedisPresenceOptions): PresenceShare {
  if (typeof options?.client?.sendCommand !== 'function' || typeof options.subscriber?.sendCommand !== 'function') {
    throw new TypeError('redisPresence: pass { client, subscriber }: two connected node-redis clients (the subscriber blocks in XREAD).');
  }
  return new RedisPresence(options);
}

/** Another node's members of a channel as last read, and where that read stands in this node's command order. */
interface View {
  readonly members: readonly Member[];
  /** The read's number (`#reads`): a larger one saw a newer state. */
  readonly at: number;
}

/** KEYS: the channel's hash, the dead node's liveness key; ARGV: its field. Only while the key is still missing. */
const TIDY = "if redis.call('EXISTS', KEYS[2]) == 0 then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0";

class RedisPresence implements PresenceShare {
  readonly #client: RedisCommandClient;
  readonly #sub: RedisCommandClient;
  readonly #key: string;
  readonly #heartbeatMs: number;
  readonly #ttlMs: number;
  readonly #blockMs: number;
  readonly #node = randomUUID();
  /**
   * Other nodes' members by channel, then node. Channels appear here once asked for (`others`).
   * A node that emptied its list stays as an empty view (so an older read cannot bring it back).
   */
  readonly #views = new Map<string, Map<string, View>>();
  /**
   * Reads sent on `client` so far. Redis answers one connection's commands in the order sent,
   * but the code after each reply may run in another order (a first load's two round trips, the
   * follower's batch): a view only takes a read newer than the one it holds.
   */
  #reads = 0;
  /** Channels this node has members in (published non-empty). */
  readonly #mine = new Set<string>();
  /** What this node last published per channel (JSON). */
  readonly #published = new Map<string, string>();
  #changed: (channel: string) => void = () => {};
  #timer: ReturnType<typeof setInterval> | undefined;
  #tail: Promise<void> | undefined;
  #running = false;
  /** A heartbeat has been written (so a missing key later means it expired). */
  #beaten = false;

  constructor(o: RedisPresenceOptions) {
    this.#client = o.client;
    this.#sub = o.subscriber;
    this.#key = o.key ?? 'lifeline:presence';
    this.#heartbeatMs = o.heartbeatMs ?? 1000;
    this.#ttlMs = o.ttlMs ?? 5000;
    this.#blockMs = o.blockMs ?? 1000;
    if (!(this.#ttlMs > this.#heartbeatMs)) throw new TypeError('redisPresence: ttlMs must be larger than heartbeatMs.');
  }

  start(changed: (channel: string) => void): void {
    this.#changed = changed;
    this.#running = true;
    void this.#beat();
    this.#timer = setInterval(() => void this.#beat(), this.#heartbeatMs);
    this.#tail = this.#follow();
  }

  publish(channel: string, members: readonly Member[]): void {
    const hash = `${this.#key}:ch:${channel}`;
    // Only what changed here: republishing on others' changes would echo between nodes forever.
    const json = JSON.stringify(members);
    if ((this.#published.get(channel) ?? '[]') === json) return;
    if (members.length) this.#published.set(channel, json);
    else this.#published.delete(channel);
    if (members.length) this.#mine.add(channel);
    else this.#mine.delete(channel);
    const write = members.length ? ['HSET', hash, this.#node, json] : ['HDEL', hash, this.#node];
    // One round trip, not two: both go out at once on the one connection, and Redis runs a
    // connection's commands in order, so a reader woken by the XADD finds the new hash.
    void this.#send(write);
    void this.#send(['XADD', `${this.#key}:changes`, 'MAXLEN', '~', '10000', '*', 'channel', channel, 'node', this.#node]);
  }

  others(channel: string): Iterable<readonly Member[]> {
    const views = this.#views.get(channel);
    if (views) return [...views.values()].map((v) => v.members);
    // First interest in this channel: load what the other nodes have (then `changed`).
    this.#views.set(channel, new Map());
    void this.#load(channel);
    return [];
  }

  async close(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    clearInterval(this.#timer);
    for (const channel of [...this.#mine]) this.publish(channel, []);
    await this.#send(['DEL', `${this.#key}:node:${this.#node}`]);
    await this.#tail;
  }

  #send(args: string[]): Promise<unknown> {
    return this.#client.sendCommand(args).catch(() => undefined);
  }

  /** A read on `client` and its number (taken as it is sent). */
  #read(args: string[]): { at: number; reply: Promise<unknown> } {
    return { at: ++this.#reads, reply: this.#send(args) };
  }

  /** `node`'s members of `channel` as read by read `at`, unless a newer read is already there. True when applied. */
  #apply(channel: string, node: string, members: readonly Member[], at: number): boolean {
    const views = this.#views.get(channel);
    const held = views?.get(node);
    if (!views || (held && held.at > at)) return false;
    views.set(node, { members, at });
    return true;
  }

  /** Renews this node's key; drops the views of nodes whose key is gone. */
  async #beat(): Promise<void> {
    if (!this.#running) return;
    const previous = await this.#send(['SET', `${this.#key}:node:${this.#node}`, '1', 'PX', String(this.#ttlMs), 'GET']);
    // Our key had expired (a pause longer than ttlMs, Redis lost for a while): the others dropped
    // our members; publish them again.
    if (previous === null && this.#beaten) {
      for (const [channel, json] of this.#published) {
        await this.#send(['HSET', `${this.#key}:ch:${channel}`, this.#node, json]);
        await this.#send(['XADD', `${this.#key}:changes`, 'MAXLEN', '~', '10000', '*', 'channel', channel, 'node', this.#node]);
      }
    }
    this.#beaten = true;
    const nodes = new Set<string>();
    for (const views of this.#views.values()) for (const n of views.keys()) nodes.add(n);
    if (nodes.size === 0) return;
    const list = [...nodes];
    const { at, reply } = this.#read(['MGET', ...list.map((n) => `${this.#key}:node:${n}`)]);
    const alive = (await reply) as unknown[] | undefined;
    if (!alive) return;
    const dead = new Set(list.filter((_, i) => alive[i] === null));
    if (dead.size === 0) return;
    for (const [channel, views] of this.#views) {
      let changed = false;
      for (const n of dead) {
        // Read after our check: the node is back (it republished when it found its key expired).
        if ((views.get(n)?.at ?? Infinity) > at) continue;
        views.delete(n);
        changed = true;
        // Tidy up after it, unless it is back by now (its key first, then its members: HDEL then
        // would delete what it just republished, and it republishes only once).
        void this.#send(['EVAL', TIDY, '2', `${this.#key}:ch:${channel}`, `${this.#key}:node:${n}`, n]);
      }
      if (changed) this.#changed(channel);
    }
  }

  /** Reads every node's members of `channel` (live nodes only). */
  async #load(channel: string): Promise<void> {
    const { at, reply } = this.#read(['HGETALL', `${this.#key}:ch:${channel}`]);
    const flat = (await reply) as string[] | undefined;
    if (!flat || !this.#running) return;
    if (!this.#views.has(channel)) this.#views.set(channel, new Map());
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i + 1 < flat.length; i += 2) if (flat[i] !== this.#node) pairs.push([String(flat[i]), String(flat[i + 1])]);
    if (pairs.length === 0) return;
    const alive = (await this.#send(['MGET', ...pairs.map(([n]) => `${this.#key}:node:${n}`)])) as unknown[] | undefined;
    // A change the follower read meanwhile (after this HGETALL) is newer: it stays.
    pairs.forEach(([node, json], i) => {
      if (alive?.[i] !== null) this.#apply(channel, node, parseMembers(json), at);
    });
    this.#changed(channel);
  }

  /** Follows the change stream: another node's members of a channel we care about changed. */
  async #follow(): Promise<void> {
    const stream = `${this.#key}:changes`;
    // An explicit id, never '$': '$' between two XREADs would skip what was added in between.
    let last: string | undefined;
    while (this.#running) {
      try {
        if (last === undefined) {
          const top = (await this.#sub.sendCommand(['XREVRANGE', stream, '+', '-', 'COUNT', '1'])) as Array<[string, unknown]>;
          last = top[0] ? String(top[0][0]) : '0-0';
        }
        const reply = (await this.#sub.sendCommand(['XREAD', 'COUNT', '500', 'BLOCK', String(this.#blockMs), 'STREAMS', stream, last])) as unknown[] | null;
        const entries = ((reply?.[0] as [unknown, unknown[]] | undefined)?.[1] ?? []) as Array<[string, string[]]>;
        // Which (channel, node) pairs changed in this batch, each once: their hashes are read in
        // one round trip (all HGETs at once), not one after the other per entry.
        const changed = new Map<string, { channel: string; node: string }>();
        for (const [id, fields] of entries) {
          last = String(id);
          const f: Record<string, string> = {};
          for (let i = 0; i + 1 < fields.length; i += 2) f[String(fields[i])] = String(fields[i + 1]);
          const channel = f.channel;
          const node = f.node;
          if (!channel || !node || node === this.#node || !this.#views.has(channel)) continue;
          changed.set(JSON.stringify([channel, node]), { channel, node });
        }
        const read = await Promise.all(
          [...changed.values()].map(async (c) => {
            const { at, reply } = this.#read(['HGET', `${this.#key}:ch:${c.channel}`, c.node]);
            return { ...c, at, json: (await reply) as string | null | undefined };
          }),
        );
        for (const { channel, node, json, at } of read) {
          if (json === undefined) continue;
          if (this.#apply(channel, node, json === null ? [] : parseMembers(json), at)) this.#changed(channel);
        }
      } catch {
        await new Promise((r) => setTimeout(r, Math.min(500, this.#blockMs)));
      }
    }
  }
}

function parseMembers(json: string): readonly Member[] {
  try {
    const list = JSON.parse(json) as unknown;
    return Array.isArray(list) ? (list.filter((m) => typeof (m as Member)?.id === 'string') as Member[]) : [];
  } catch {
    return [];
  }
}
