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

class RedisPresence implements PresenceShare {
  readonly #client: RedisCommandClient;
  readonly #sub: RedisCommandClient;
  readonly #key: string;
  readonly #heartbeatMs: number;
  readonly #ttlMs: number;
  readonly #blockMs: number;
  readonly #node = randomUUID();
  /** Other nodes' members by channel, then node. Channels appear here once asked for (`others`). */
  readonly #views = new Map<string, Map<string, readonly Member[]>>();
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
    if (views) return views.values();
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
    const alive = (await this.#send(['MGET', ...list.map((n) => `${this.#key}:node:${n}`)])) as unknown[] | undefined;
    if (!alive) return;
    const dead = new Set(list.filter((_, i) => alive[i] === null));
    if (dead.size === 0) return;
    for (const [channel, views] of this.#views) {
      let changed = false;
      for (const n of dead) if (views.delete(n)) changed = true;
      if (!changed) continue;
      for (const n of dead) void this.#send(['HDEL', `${this.#key}:ch:${channel}`, n]); // tidy up after it
      this.#changed(channel);
    }
  }

  /** Reads every node's members of `channel` (live nodes only). */
  async #load(channel: string): Promise<void> {
    const flat = (await this.#send(['HGETALL', `${this.#key}:ch:${channel}`])) as string[] | undefined;
    if (!flat || !this.#running) return;
    const views = this.#views.get(channel) ?? new Map<string, readonly Member[]>();
    this.#views.set(channel, views);
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i + 1 < flat.length; i += 2) if (flat[i] !== this.#node) pairs.push([String(flat[i]), String(flat[i + 1])]);
    if (pairs.length === 0) return;
    const alive = (await this.#send(['MGET', ...pairs.map(([n]) => `${this.#key}:node:${n}`)])) as unknown[] | undefined;
    pairs.forEach(([node, json], i) => {
      if (alive?.[i] !== null) views.set(node, parseMembers(json));
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
        const read = await Promise.all([...changed.values()].map(async (c) => ({ ...c, json: (await this.#send(['HGET', `${this.#key}:ch:${c.channel}`, c.node])) as string | null | undefined })));
        for (const { channel, node, json } of read) {
          const views = this.#views.get(channel);
          if (!views || json === undefined) continue;
          if (json === null) views.delete(node);
          else views.set(node, parseMembers(json));
          this.#changed(channel);
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
