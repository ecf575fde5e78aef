/**
 * Socket.IO joins: authorize, replay after the cursor, then go live — with no loss, duplicate or
 * reordering when a publish lands while the replay is being read.
 *
 * How, per socket × channel subscription:
 *
 * 1. **Replaying.** The subscription is registered for live events of the channel BEFORE the
 *    store is read; live events that arrive meanwhile are buffered. The replay is sent, then the
 *    ack, then the buffer, skipping ids the replay already covered (`last`).
 * 2. **Catching up** (usually skipped). Live events still go to this socket one by one, filtered
 *    by `last`, until the bus has delivered an id at or after `last` (`#seen ≥ last`): before
 *    that, an event the replay already sent may still arrive live (a Redis subscriber lags behind
 *    the store the replay read).
 * 3. **Live.** The socket joins the channel's fan-out room, in the same synchronous step that
 *    ended 1–2, and from then on receives live events through one room broadcast per event
 *    (`namespace.local.to(room).emit`), which Socket.IO encodes once for all its sockets (with a
 *    single socket in the room, a plain `socket.emit`, which costs less).
 *
 * Why that is exact: the bus delivers events in increasing id order (every built-in store: the
 * memory store's appends resolve in order, a node-redis connection answers in order, the Redis
 * subscriber reads the stream in order). Every event after the cursor is either in the replay
 * (appended before the read) or delivered by the bus after the subscription was registered
 * (buffered, sent one by one, or broadcast) — and the id filter drops the overlap. Once
 * `#seen ≥ last`, every later bus event has an id after `last`, so the broadcast needs no filter.
 * JavaScript runs `deliver` and the end of a join to completion, so no event falls between "sent
 * one by one" and "in the room"; the buffer is read by index while it grows, and `deliver` queues
 * events published re-entrantly (from a listener of its own emits), so an event published from
 * inside the replay, the flush or a broadcast keeps its place too.
 *
 * The fan-out room is internal (`"\0lifeline:<n>:<channel>"`, n counting the companions attached
 * to the namespace), joined only through an authorized `lifeline:join`: a socket the application
 * put into a room named like a channel itself (a plain socket.io-client, say) never receives
 * `lifeline:event`. The socket still joins the room named after the channel too, as before, so
 * the application's `io.to(channel).emit(…)` reaches Lifeline subscribers. That membership is
 * the application's when the socket was already in the room at the join (the app did
 * `socket.join(channel)` itself): a `lifeline:leave`, a failed join or `close()` then leaves it in
 * place; only a room the companion put the socket into is left again. Broadcasts are
 * `local`: with a cluster adapter each node fans out only to its own sockets (each node gets every
 * event from the store's subscriber, or only its own publishes without one). Sockets restored by
 * connection state recovery are taken out of fan-out rooms: their client joins again with a cursor.
 *
 * Adapter assumption: joining a room updates the adapter's local membership synchronously. That
 * holds for Socket.IO's in-memory adapter and the adapters built on it (Redis, sharded Redis,
 * cluster, Postgres…), even those whose `join` returns a promise. An adapter for which it does not
 * hold is detected at the first join (`socket.rooms` does not show the room yet): the companion
 * then falls back to sending every live event to each socket one by one (correct, slower).
 */
import type { Namespace, Socket } from 'socket.io';
import { compareIds, isEventId } from './ids';
import type { JoinAnswer } from '@lifeline/core/protocol';
import { isServerError } from './errors';
import { tooManyChannels } from './limits';
import { readFiltered } from './replay';
import type { EventStore, StoredEvent } from './stores/types';
import { WIRE } from './wire';

/** Wire name of a published event (the protocol's, `@lifeline/core/protocol`). */
export const EVENT = WIRE.event;

/** Ack of `lifeline:join` (docs/protocol.md). */
export type JoinAck = JoinAnswer;

/** Prefix of every internal fan-out room ("\0" keeps them apart from application rooms). */
export const ROOM_PREFIX = '\0lifeline:';

/** Companions attached to each namespace so far: their rooms are numbered apart. */
const attached = new WeakMap<Namespace, number>();

interface Subscription {
  readonly socket: Socket;
  readonly channel: string;
  /** Live events buffered while the replay runs; null once the replay is sent. */
  buffer: StoredEvent[] | null;
  /** Last id sent to this socket on this channel one by one (replay, buffer, catching up). */
  last: string;
  /** In the channel's fan-out room: live events reach it by broadcast. */
  inRoom: boolean;
}

interface ChannelState {
  /** Internal fan-out room of the channel. */
  readonly room: string;
  /** Subscriptions replaying or catching up: live events go to them one by one. Each subscription is in `pending` or `live`. */
  readonly pending: Set<Subscription>;
  /** Subscriptions in the room: live events reach them by broadcast (directly when only one). */
  readonly live: Set<Subscription>;
}

export class SocketChannels {
  readonly #store: EventStore;
  readonly #namespace: Namespace;
  readonly #prefix: string;
  readonly #max: number;
  readonly #bySocket = new Map<Socket, Map<string, Subscription>>();
  readonly #channels = new Map<string, ChannelState>();
  /** Rooms named after a channel that the companion put each socket into (the only ones it leaves). */
  readonly #named = new Map<Socket, Set<string>>();
  /** Last id the bus delivered (any channel): no later bus event has an id at or before it. */
  #seen = '0';
  /** False once the adapter turned out not to update room membership synchronously. */
  #broadcast = true;
  /** Events being fanned out; a `deliver` from inside a fan-out is queued here. */
  #queue: StoredEvent[] | undefined;

  /** `max`: most channels one socket may be joined to at once (joins beyond it are refused `LIMIT`). */
  constructor(store: EventStore, namespace: Namespace, max: number) {
    this.#store = store;
    this.#namespace = namespace;
    this.#max = max;
    // Numbered per namespace, not per process, so that every node of a cluster names a channel's
    // room alike (only `local` broadcasts use it, but an adapter may still list it).
    const n = (attached.get(namespace) ?? 0) + 1;
    attached.set(namespace, n);
    this.#prefix = `${ROOM_PREFIX}${n}:`;
  }

  /** Sends a freshly logged event (from the bus, in id order) to the sockets joined to its channel. */
  deliver(event: StoredEvent): void {
    if (this.#queue) {
      this.#queue.push(event);
      return;
    }
    const queue = (this.#queue = [event]);
    try {
      for (let i = 0; i < queue.length; i++) this.#fanOut(queue[i]!);
    } finally {
      this.#queue = undefined;
    }
  }

  #fanOut(event: StoredEvent): void {
    if (compareIds(event.id, this.#seen) > 0) this.#seen = event.id;
    const ch = this.#channels.get(event.channel);
    if (!ch) return;
    if (ch.live.size === 1) {
      for (const only of ch.live) only.socket.emit(EVENT, event); // one socket: a broadcast only adds work
    } else if (ch.live.size > 1) {
      this.#namespace.local.to(ch.room).emit(EVENT, event);
    }
    for (const sub of ch.pending) {
      if (sub.buffer) {
        sub.buffer.push(event);
        continue;
      }
      if (compareIds(event.id, sub.last) > 0) {
        sub.last = event.id;
        sub.socket.emit(EVENT, event);
      }
      this.#promote(sub, ch);
    }
  }

  /**
   * Joins (the caller has authorized): sends the replay, then `reply(ack)`, then buffered live
   * events, in that order on the socket, then goes live.
   */
  async join(socket: Socket, channel: string, cursor: unknown, reply: (ack: JoinAck) => void): Promise<void> {
    const held = this.#bySocket.get(socket);
    if (held && !held.has(channel) && held.size >= this.#max) {
      const { message, details } = tooManyChannels(held.size + 1, this.#max, 'socket');
      return reply({ ok: false, code: 'LIMIT', message, max: details.max as number });
    }
    const sub: Subscription = { socket, channel, buffer: [], last: isEventId(cursor) ? cursor : '0', inRoom: false };
    this.#set(sub);
    this.#enterNamed(socket, channel);
    const current = () => this.#bySocket.get(socket)?.get(channel) === sub;
    let replay: StoredEvent[] = [];
    try {
      if (cursor === undefined) {
        sub.last = await this.#store.latest();
      } else {
        if (!isEventId(cursor)) throw new Error('malformed cursor');
        replay = (await readFiltered(this.#store, cursor, (e) => e.channel === channel)).events;
      }
    } catch (error) {
      if (current()) this.leave(socket, channel);
      // The latest id as of the failed read (the store's own, when it says): the client resumes
      // from it, so what is published while this answer travels is replayed to it, not skipped.
      const known = isServerError(error, 'CURSOR_EXPIRED') ? error.details.cursor : undefined;
      const latest = typeof known === 'string' ? known : await this.#store.latest().catch(() => undefined);
      const message = isServerError(error, 'CURSOR_EXPIRED')
        ? error.message
        : `Cursor ${JSON.stringify(cursor)} cannot be read from the log: join again without a cursor.`;
      reply({ ok: false, code: 'CURSOR_EXPIRED', message, ...(latest === undefined ? {} : { cursor: latest }) });
      return;
    }
    if (!current()) return reply({ ok: true, cursor: sub.last }); // left or re-joined meanwhile
    // From here to the end, synchronous: events delivered meanwhile (re-entrantly, by a listener
    // of these emits) still land in the buffer, which is read by index while it grows.
    for (const e of replay) {
      socket.emit(EVENT, e);
      sub.last = e.id;
    }
    reply({ ok: true, cursor: sub.last });
    const buffer = sub.buffer ?? [];
    for (let i = 0; i < buffer.length; i++) {
      const e = buffer[i]!;
      if (compareIds(e.id, sub.last) > 0) {
        sub.last = e.id;
        socket.emit(EVENT, e);
      }
    }
    sub.buffer = null;
    const ch = this.#channels.get(channel);
    if (ch && current()) this.#promote(sub, ch);
  }

  /** Moves a subscription that has everything up to `#seen` into the fan-out room. */
  #promote(sub: Subscription, ch: ChannelState): void {
    if (!this.#broadcast || sub.buffer || sub.inRoom || compareIds(this.#seen, sub.last) < 0) return;
    ch.pending.delete(sub);
    sub.inRoom = true;
    ch.live.add(sub);
    // The in-memory adapter (and those built on it) adds the socket right here; some return a
    // promise for cluster-wide bookkeeping, which local broadcasts do not wait for.
    const joined = sub.socket.join(ch.room);
    if (joined instanceof Promise) joined.catch(() => {});
    if (sub.socket.rooms.has(ch.room)) return;
    this.#fallBackToDirect();
    // Out of the room again once the late join has landed (a broadcast never reaches it anyway).
    if (joined instanceof Promise) void joined.then(() => sub.socket.leave(ch.room), () => {});
  }

  /**
   * The adapter does not show a joined room at once, so a broadcast could miss or double a socket:
   * send every live event one by one from now on. Sockets already in a room have received every
   * bus event so far, hence `last = #seen`.
   */
  #fallBackToDirect(): void {
    this.#broadcast = false;
    for (const subs of this.#bySocket.values()) {
      for (const sub of subs.values()) {
        const ch = this.#channels.get(sub.channel);
        if (!sub.inRoom || !ch) continue;
        sub.inRoom = false;
        sub.last = this.#seen;
        ch.live.delete(sub);
        ch.pending.add(sub);
        void sub.socket.leave(ch.room);
      }
    }
  }

  leave(socket: Socket, channel: string): void {
    const subs = this.#bySocket.get(socket);
    const sub = subs?.get(channel);
    if (sub) {
      subs!.delete(channel);
      if (subs!.size === 0) this.#bySocket.delete(socket);
      this.#unlink(sub);
    }
    this.#leaveNamed(socket, channel);
  }

  /** Forgets a disconnected socket (Socket.IO has already removed it from every room). */
  drop(socket: Socket): void {
    for (const sub of this.#bySocket.get(socket)?.values() ?? []) this.#unlink(sub, false);
    this.#bySocket.delete(socket);
    this.#named.delete(socket);
  }

  /**
   * Puts the socket into the room named after the channel, unless it is there already: a room
   * the application joined it to stays the application's, and is never left by the companion.
   */
  #enterNamed(socket: Socket, channel: string): void {
    let mine = this.#named.get(socket);
    if (mine?.has(channel) || socket.rooms.has(channel)) return;
    // Another socket's own room (named after its id): never entered on a client's say-so, or a
    // channel named like it would receive what the application sends to that one socket.
    if (this.#namespace.sockets.has(channel)) return;
    if (!mine) this.#named.set(socket, (mine = new Set()));
    mine.add(channel);
    void socket.join(channel);
  }

  /** Leaves the room named after the channel, if the companion put the socket there. */
  #leaveNamed(socket: Socket, channel: string): void {
    const mine = this.#named.get(socket);
    if (!mine?.delete(channel)) return;
    if (mine.size === 0) this.#named.delete(socket);
    void socket.leave(channel);
  }

  /**
   * A socket restored by Socket.IO's connection state recovery comes back in its old rooms,
   * ours included, but without its subscriptions (the client joins again with its cursor).
   */
  forgetRestoredRooms(socket: Socket): void {
    for (const room of [...socket.rooms]) {
      if (room.startsWith(ROOM_PREFIX)) void socket.leave(room);
    }
  }

  /**
   * Every socket joined to `channel` (replaying, catching up or live); with `answered`, only those
   * whose join has been answered (the ack sent: a socket still reading its replay is left out).
   */
  socketsOf(channel: string, answered = false): Socket[] {
    const ch = this.#channels.get(channel);
    if (!ch) return [];
    return [...ch.pending, ...ch.live].filter((sub) => !answered || sub.buffer === null).map((sub) => sub.socket);
  }

  /** Socket × channel subscriptions held right now. */
  get size(): number {
    let n = 0;
    for (const subs of this.#bySocket.values()) n += subs.size;
    return n;
  }

  /** Takes every socket out of the rooms the companion put it into, and forgets every subscription. */
  clear(): void {
    for (const subs of this.#bySocket.values()) {
      for (const sub of subs.values()) if (sub.inRoom) void sub.socket.leave(this.#room(sub.channel));
    }
    for (const [socket, mine] of this.#named) for (const channel of mine) void socket.leave(channel);
    this.#named.clear();
    this.#bySocket.clear();
    this.#channels.clear();
  }

  #room(channel: string): string {
    return this.#prefix + channel;
  }

  #set(sub: Subscription): void {
    let subs = this.#bySocket.get(sub.socket);
    if (!subs) this.#bySocket.set(sub.socket, (subs = new Map()));
    const previous = subs.get(sub.channel);
    if (previous) this.#unlink(previous); // a re-join replaces, and replays from its own cursor
    subs.set(sub.channel, sub);
    let ch = this.#channels.get(sub.channel);
    if (!ch) this.#channels.set(sub.channel, (ch = { room: this.#room(sub.channel), pending: new Set(), live: new Set() }));
    ch.pending.add(sub);
  }

  /** Takes a subscription out of its channel (and its socket out of the fan-out room). */
  #unlink(sub: Subscription, leaveRoom = true): void {
    const ch = this.#channels.get(sub.channel);
    if (!ch) return;
    ch.pending.delete(sub);
    if (sub.inRoom) {
      sub.inRoom = false;
      ch.live.delete(sub);
      if (leaveRoom) void sub.socket.leave(ch.room);
    }
    if (ch.pending.size === 0 && ch.live.size === 0) this.#channels.delete(sub.channel);
  }
}
