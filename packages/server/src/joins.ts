/**
 * Socket.IO joins: authorize, replay after the cursor, then go live — with no loss, duplicate or
 * reordering when a publish lands while the replay is being read.
 *
 * How: the socket is registered for live events of the channel BEFORE the store is read; live
 * events that arrive meanwhile are buffered. After the replay is sent, the buffer is flushed,
 * skipping ids the replay already covered. Live delivery is per socket (not a room broadcast)
 * so this filter can apply.
 */
import type { Socket } from 'socket.io';
import { compareIds, isEventId } from './ids';
import { isServerError } from './errors';
import { readFiltered } from './replay';
import type { EventStore, StoredEvent } from './stores/types';

/** Wire name of a published event (PROTOCOL.md). */
export const EVENT = 'lifeline:event';

/** Ack of `lifeline:join`. */
export type JoinAck = { ok: true; cursor: string } | { ok: false; code: 'FORBIDDEN' | 'CURSOR_EXPIRED'; message: string; cursor?: string };

interface Subscription {
  /** Buffered live events while the replay runs; null once live. */
  buffer: StoredEvent[] | null;
  /** Last id sent to this socket on this channel. */
  last: string;
}

export class SocketChannels {
  readonly #store: EventStore;
  readonly #bySocket = new Map<Socket, Map<string, Subscription>>();
  readonly #byChannel = new Map<string, Set<Socket>>();

  constructor(store: EventStore) {
    this.#store = store;
  }

  /** Sends a freshly logged event to the sockets joined to its channel. */
  deliver(event: StoredEvent): void {
    const sockets = this.#byChannel.get(event.channel);
    if (!sockets) return;
    for (const socket of sockets) {
      const sub = this.#bySocket.get(socket)?.get(event.channel);
      if (!sub) continue;
      if (sub.buffer) sub.buffer.push(event);
      else if (compareIds(event.id, sub.last) > 0) {
        sub.last = event.id;
        socket.emit(EVENT, event);
      }
    }
  }

  /**
   * Joins (the caller has authorized): sends the replay, then `reply(ack)`, then buffered live
   * events, in that order on the socket.
   */
  async join(socket: Socket, channel: string, cursor: string | undefined, reply: (ack: JoinAck) => void): Promise<void> {
    const sub: Subscription = { buffer: [], last: cursor ?? '0' };
    this.#set(socket, channel, sub);
    void socket.join(channel);
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
      const latest = await this.#store.latest().catch(() => undefined);
      const message = isServerError(error, 'CURSOR_EXPIRED')
        ? error.message
        : `Cursor ${JSON.stringify(cursor)} cannot be read from the log: join again without a cursor.`;
      reply({ ok: false, code: 'CURSOR_EXPIRED', message, ...(latest === undefined ? {} : { cursor: latest }) });
      return;
    }
    if (!current()) return reply({ ok: true, cursor: sub.last }); // left or re-joined meanwhile
    for (const e of replay) {
      socket.emit(EVENT, e);
      sub.last = e.id;
    }
    reply({ ok: true, cursor: sub.last });
    this.#goLive(socket, sub);
  }

  #goLive(socket: Socket, sub: Subscription): void {
    const buffered = sub.buffer ?? [];
    sub.buffer = null;
    for (const e of buffered) {
      if (compareIds(e.id, sub.last) > 0) {
        sub.last = e.id;
        socket.emit(EVENT, e);
      }
    }
  }

  leave(socket: Socket, channel: string): void {
    const subs = this.#bySocket.get(socket);
    subs?.delete(channel);
    if (subs?.size === 0) this.#bySocket.delete(socket);
    const sockets = this.#byChannel.get(channel);
    sockets?.delete(socket);
    if (sockets?.size === 0) this.#byChannel.delete(channel);
    void socket.leave(channel);
  }

  /** Forgets a disconnected socket. */
  drop(socket: Socket): void {
    for (const channel of this.#bySocket.get(socket)?.keys() ?? []) {
      const sockets = this.#byChannel.get(channel);
      sockets?.delete(socket);
      if (sockets?.size === 0) this.#byChannel.delete(channel);
    }
    this.#bySocket.delete(socket);
  }

  /** Socket × channel subscriptions held right now. */
  get size(): number {
    let n = 0;
    for (const subs of this.#bySocket.values()) n += subs.size;
    return n;
  }

  clear(): void {
    this.#bySocket.clear();
    this.#byChannel.clear();
  }

  #set(socket: Socket, channel: string, sub: Subscription): void {
    let subs = this.#bySocket.get(socket);
    if (!subs) this.#bySocket.set(socket, (subs = new Map()));
    subs.set(channel, sub);
    let sockets = this.#byChannel.get(channel);
    if (!sockets) this.#byChannel.set(channel, (sockets = new Set()));
    sockets.add(socket);
  }
}
