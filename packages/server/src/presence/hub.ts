/**
 * Presence I/O: feeds the pure `PresenceTable` from joins, leaves, disconnects and http polls,
 * runs its grace timers, merges other nodes' members (a `PresenceShare`, e.g. `redisPresence`)
 * and tells each channel's subscribers what changed, batched per tick.
 */
import { randomBytes } from 'node:crypto';
import { diffMembers, mergeMembers, PresenceTable, type Member, type PresenceIdentity } from './members';

/**
 * A presence message (`lifeline:presence`): a snapshot, or a change from version `prev` to `v`.
 * A version is `<hub>.<n>` (`<hub>.0`: no members); a client that holds another version than a
 * change's `prev` missed one and asks for a snapshot (docs/protocol.md, "Presence").
 */
export type PresenceMessage =
  | { readonly channel: string; readonly members: readonly Member[]; readonly v: string }
  | { readonly channel: string; readonly set: readonly Member[]; readonly del: readonly string[]; readonly v: string; readonly prev: string };

/**
 * Presence shared by several companions (nodes): each publishes its own members per channel and
 * hears the others'. `redisPresence` is the built-in one.
 */
export interface PresenceShare {
  /** Starts sharing; `changed(channel)` is called when another node's members of a channel changed. */
  start(changed: (channel: string) => void): void;
  /** This node's members of `channel` (an empty list: none left here). */
  publish(channel: string, members: readonly Member[]): void;
  /** The other (live) nodes' members of `channel`, as last heard. */
  others(channel: string): Iterable<readonly Member[]>;
  /** Stops sharing and withdraws this node's members. */
  close(): Promise<void>;
}

export interface PresenceHubDeps {
  readonly graceMs: number;
  /**
   * Sends a message to the channel's joined sockets (all of them, or only the `to` socket ids;
   * `except` left out), encoded once for all.
   */
  readonly send: (channel: string, message: PresenceMessage, to?: readonly string[], except?: ReadonlySet<string>) => void;
  /** Presence of `channel` changed: answer the http polls waiting on it. */
  readonly wake: (channel: string) => void;
  readonly share?: PresenceShare | undefined;
  readonly now?: () => number;
}

/** How long changes are collected before they are sent, ms (a burst of joins is one message). */
const BATCH_MS = 25;

export class PresenceHub {
  readonly #d: PresenceHubDeps;
  readonly #table: PresenceTable;
  readonly #now: () => number;
  /** The merged members last sent per channel. */
  readonly #sent = new Map<string, readonly Member[]>();
  /** The version of `#sent` per channel (absent: no members, version `<hub>.0`). */
  readonly #versions = new Map<string, string>();
  /** This hub's versions: another node's or process's never look like ours. */
  readonly #id = randomBytes(6).toString('base64url');
  #seq = 0;
  /** Channels each http poller (by sid) is present in. */
  readonly #pollers = new Map<string, Set<string>>();
  readonly #dirty = new Set<string>();
  /** Sockets that joined since the last flush, by channel: they get one snapshot, not the change. */
  readonly #snapshots = new Map<string, Set<string>>();
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #tickTimer: ReturnType<typeof setTimeout> | undefined;
  #tickAt = Infinity;
  #closed = false;

  constructor(deps: PresenceHubDeps) {
    this.#d = deps;
    this.#table = new PresenceTable(deps.graceMs);
    this.#now = deps.now ?? Date.now;
    deps.share?.start((channel) => this.#markDirty(channel));
  }

  /** The members of `channel` right now, across nodes. */
  members(channel: string): Member[] {
    return mergeMembers([this.#table.members(channel), ...(this.#d.share?.others(channel) ?? [])]);
  }

  /**
   * A socket (or other connection) `conn` of `who` joined `channel`. With `snapshotTo` (a socket
   * id), that socket gets the whole member list with the next batch (one encoding for every
   * socket that joined in the same batch).
   */
  connect(channel: string, conn: string, who: PresenceIdentity, expires?: number, snapshotTo?: string): void {
    if (this.#closed) return;
    this.#table.connect(channel, conn, who, this.#now(), expires);
    if (expires !== undefined) this.#scheduleTick();
    if (snapshotTo !== undefined) this.resync(channel, snapshotTo);
    // A socket's connection has no deadline: no need to look for the next one (that is O(members)).
    this.#afterChange(false);
  }

  disconnect(channel: string, conn: string): void {
    this.#table.disconnect(channel, conn, this.#now());
    this.#afterChange();
  }

  /** A socket went away: it leaves every channel (its user stays for the grace period). */
  disconnectAll(conn: string): void {
    for (const channel of this.#table.channelsOf(conn)) this.#table.disconnect(channel, conn, this.#now());
    this.#afterChange();
  }

  /**
   * An http poll of `sid` for `channels` (the presence-enabled ones): present in them until
   * `expires` unless the next poll refreshes it; channels it no longer polls are left.
   */
  poll(sid: string, who: PresenceIdentity, channels: readonly string[], expires: number): void {
    if (this.#closed) return;
    const conn = `http:${sid}`;
    const now = this.#now();
    const before = this.#pollers.get(sid) ?? new Set<string>();
    const next = new Set(channels);
    for (const c of before) if (!next.has(c)) this.#table.disconnect(c, conn, now);
    for (const c of next) this.#table.connect(c, conn, who, now, expires);
    if (next.size) this.#pollers.set(sid, next);
    else this.#pollers.delete(sid);
    this.#afterChange();
  }

  /** Socket `to` (joined to `channel`) asked for a snapshot (it missed a change): it gets one with the next batch. */
  resync(channel: string, to: string): void {
    if (this.#closed) return;
    let set = this.#snapshots.get(channel);
    if (!set) this.#snapshots.set(channel, (set = new Set()));
    set.add(to);
    this.#markDirty(channel);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#flushTimer);
    clearTimeout(this.#tickTimer);
    this.#flushTimer = this.#tickTimer = undefined;
    this.#snapshots.clear();
  }

  /** `deadlines`: the change may have added one (a grace period, an expiry): reschedule the tick. */
  #afterChange(deadlines = true): void {
    for (const c of this.#table.takeChanged()) this.#markDirty(c);
    if (deadlines) this.#scheduleTick();
  }

  #markDirty(channel: string): void {
    if (this.#closed) return;
    this.#dirty.add(channel);
    this.#flushTimer ??= setTimeout(this.#flush, BATCH_MS);
  }

  readonly #flush = (): void => {
    this.#flushTimer = undefined;
    const channels = [...this.#dirty];
    this.#dirty.clear();
    for (const channel of channels) {
      const local = this.#table.members(channel);
      this.#d.share?.publish(channel, local);
      const next = this.members(channel);
      const { set, del } = diffMembers(this.#sent.get(channel) ?? [], next);
      const changed = set.length > 0 || del.length > 0;
      const empty = `${this.#id}.0`;
      const prev = this.#versions.get(channel) ?? empty;
      const v = !changed ? prev : next.length ? `${this.#id}.${++this.#seq}` : empty;
      if (next.length) {
        this.#sent.set(channel, next);
        this.#versions.set(channel, v);
      } else {
        this.#sent.delete(channel);
        this.#versions.delete(channel);
      }
      const joined = this.#snapshots.get(channel);
      this.#snapshots.delete(channel);
      if (joined?.size) this.#d.send(channel, { channel, members: next, v }, [...joined]);
      if (!changed) continue;
      this.#d.send(channel, { channel, set, del, v, prev }, undefined, joined);
      this.#d.wake(channel);
    }
  };

  #scheduleTick(): void {
    const at = this.#table.nextDeadline();
    if (at === undefined || this.#closed) {
      clearTimeout(this.#tickTimer);
      this.#tickTimer = undefined;
      this.#tickAt = Infinity;
      return;
    }
    if (this.#tickTimer && at >= this.#tickAt) return;
    clearTimeout(this.#tickTimer);
    this.#tickAt = at;
    this.#tickTimer = setTimeout(() => {
      this.#tickTimer = undefined;
      this.#tickAt = Infinity;
      this.#table.tick(this.#now());
      // Expired http pollers: forget the ones with nothing left.
      for (const [sid, chans] of this.#pollers) {
        const conn = `http:${sid}`;
        for (const c of chans) if (!this.#table.channelsOf(conn).includes(c)) chans.delete(c);
        if (chans.size === 0) this.#pollers.delete(sid);
      }
      this.#afterChange();
    }, Math.max(0, at - this.#now()) + 1);
  }
}
