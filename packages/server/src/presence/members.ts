/**
 * Presence as pure data: who is in which channel, with the grace period that keeps a member
 * through a reconnect or a transport switch. No timers, no sockets: every call takes `now`, and
 * `tick(now)` applies what expired. The I/O around it (presence/hub.ts) feeds it connections and
 * sends what it reports. Table-tested in test/presenceMembers.test.ts.
 */

/** A member as clients see it: a user, however many connections (tabs, devices) it has. */
export interface Member {
  /** The user's id (`presenceOf(user).id`). */
  readonly id: string;
  /** Public data of the user (`presenceOf(user).data`), `null` when none. */
  readonly data: unknown;
  /** Live connections of the user in the channel (0 while in its grace period). */
  readonly connections: number;
}

/** Who a user is in presence: `presenceOf(user)`. */
export interface PresenceIdentity {
  readonly id: string;
  readonly data?: unknown;
}

interface Connection {
  readonly user: string;
  /** When it ends by itself (an http poller that stopped polling), or undefined (a socket: until it disconnects). */
  expires: number | undefined;
}

interface UserState {
  data: unknown;
  connections: number;
  /** Leaves at this time unless a connection comes back (its last connection went away). */
  leavesAt: number | undefined;
}

interface ChannelState {
  readonly connections: Map<string, Connection>;
  readonly users: Map<string, UserState>;
}

/**
 * One node's presence: connections per channel, grouped into members by user id. A user whose
 * last connection goes away stays a member (with 0 connections) for `graceMs`, so that a
 * reconnect or a rung switch within it produces no leave and no join.
 */
export class PresenceTable {
  readonly #graceMs: number;
  readonly #channels = new Map<string, ChannelState>();
  /** Channels whose members changed since the last `takeChanged()`. */
  readonly #changed = new Set<string>();

  constructor(graceMs: number) {
    this.#graceMs = graceMs;
  }

  /** Adds (or refreshes) connection `conn` of `who` in `channel`; `expires` for connections without a socket. */
  connect(channel: string, conn: string, who: PresenceIdentity, now: number, expires?: number): void {
    let ch = this.#channels.get(channel);
    if (!ch) this.#channels.set(channel, (ch = { connections: new Map(), users: new Map() }));
    const known = ch.connections.get(conn);
    if (known && known.user === who.id) {
      known.expires = expires;
      return;
    }
    if (known) this.disconnect(channel, conn, now);
    ch.connections.set(conn, { user: who.id, expires });
    const data = who.data === undefined ? null : who.data;
    const user = ch.users.get(who.id);
    if (user) {
      user.connections++;
      user.leavesAt = undefined;
      user.data = data;
    } else {
      ch.users.set(who.id, { data, connections: 1, leavesAt: undefined });
    }
    this.#changed.add(channel);
  }

  /** Removes connection `conn`; its user enters the grace period when it was the last one. */
  disconnect(channel: string, conn: string, now: number): void {
    const ch = this.#channels.get(channel);
    const c = ch?.connections.get(conn);
    if (!ch || !c) return;
    ch.connections.delete(conn);
    const user = ch.users.get(c.user);
    if (user) {
      user.connections--;
      if (user.connections === 0) user.leavesAt = now + this.#graceMs;
    }
    this.#changed.add(channel);
  }

  /** Every channel `conn` is connected to (a socket that disconnects leaves them all). */
  channelsOf(conn: string): string[] {
    const out: string[] = [];
    for (const [name, ch] of this.#channels) if (ch.connections.has(conn)) out.push(name);
    return out;
  }

  /** Applies what expired by `now`: connections past `expires`, users past their grace period. */
  tick(now: number): void {
    for (const [name, ch] of this.#channels) {
      for (const [conn, c] of ch.connections) if (c.expires !== undefined && c.expires <= now) this.disconnect(name, conn, now);
      for (const [id, user] of ch.users) {
        if (user.leavesAt !== undefined && user.leavesAt <= now) {
          ch.users.delete(id);
          this.#changed.add(name);
        }
      }
      if (ch.users.size === 0 && ch.connections.size === 0) this.#channels.delete(name);
    }
  }

  /** The earliest time `tick` has something to do, or undefined. */
  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const ch of this.#channels.values()) {
      for (const c of ch.connections.values()) if (c.expires !== undefined && (next === undefined || c.expires < next)) next = c.expires;
      for (const u of ch.users.values()) if (u.leavesAt !== undefined && (next === undefined || u.leavesAt < next)) next = u.leavesAt;
    }
    return next;
  }

  /** The members of `channel` on this node, by id. */
  members(channel: string): Member[] {
    const ch = this.#channels.get(channel);
    if (!ch) return [];
    return [...ch.users].map(([id, u]) => ({ id, data: u.data, connections: u.connections }));
  }

  /** Channels changed since the last call (and forgets them). */
  takeChanged(): string[] {
    const out = [...this.#changed];
    this.#changed.clear();
    return out;
  }

  /** Channels with members on this node. */
  channels(): string[] {
    return [...this.#channels.keys()];
  }
}

/**
 * Members of a channel across nodes: one entry per user id, connections summed (a user in its
 * grace period on one node and connected on another counts once, with the live connections).
 * Sorted by id, so every node computes the same list.
 */
export function mergeMembers(views: Iterable<readonly Member[]>): Member[] {
  const byId = new Map<string, Member>();
  for (const view of views) {
    for (const m of view) {
      const seen = byId.get(m.id);
      byId.set(m.id, seen ? { id: m.id, data: m.connections > 0 || seen.connections === 0 ? m.data : seen.data, connections: seen.connections + m.connections } : m);
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** What changed from `prev` to `next`: members to set (new or changed) and ids to delete. */
export function diffMembers(prev: readonly Member[], next: readonly Member[]): { set: Member[]; del: string[] } {
  const before = new Map(prev.map((m) => [m.id, m]));
  const set: Member[] = [];
  for (const m of next) {
    const old = before.get(m.id);
    before.delete(m.id);
    if (!old || old.connections !== m.connections || JSON.stringify(old.data) !== JSON.stringify(m.data)) set.push(m);
  }
  return { set, del: [...before.keys()] };
}
