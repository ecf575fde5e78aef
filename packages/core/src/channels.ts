/**
 * ChannelRegistry: ref-counted joins with a deferred leave, one cursor per channel, dedupe by
 * id, and re-joins with the cursor on every (re)connect and transport switch.
 * @internal
 */
import type { Clock } from './clock';
import { compareWellFormed, isWellFormedId } from './protocol/ids';
import { Emitter } from './emitter';
import { chunkFailed, messageOf, reported, type LifelineError } from './errors';
import { Timer } from './timer';
import type { ChannelOptions, ConnectionState, EventMeta, EventSchemas, PresenceMember } from './types';
import type { ChannelParams, ChannelProtocol, IncomingEvent, Transport, TransportName } from './transports/types';

/** Handlers of one channel, by event name (the event's arguments, then its meta). @internal */
export type ChannelEvents = Record<string, (...args: unknown[]) => void>;

/** Text of params, to tell new params from the same ones in a fresh object (a re-render). */
const keyOf = (params: ChannelParams | undefined): string | undefined => params && JSON.stringify(params);

/** @internal */
export interface ChannelEntry {
  readonly name: string;
  refs: number;
  cursor: string | undefined;
  /** Events to replay before the first join (`rewind`), 0 once done. */
  rewind: number;
  params: ChannelParams | undefined;
  /** Presence members, as the server last said (`lifeline:presence`). */
  members?: readonly PresenceMember[];
  /** Their version (`v`), when the server versions presence. */
  presenceV?: string | undefined;
  /** A snapshot was asked for (a change did not follow the version held) and has not come yet. */
  presenceAsked?: boolean;
  readonly handlers: Emitter<ChannelEvents>;
  /** The deferred server leave, pending while the count is 0. */
  readonly leave: Timer;
}

/** @internal */
export interface ChannelRegistryDeps {
  readonly clock: Clock;
  /** Delay before a released channel is left on the server, ms (StrictMode remounts within it). */
  readonly leaveDelayMs: number;
  /** The transport carrying traffic, or null while down. */
  readonly active: () => Transport | null;
  readonly error: (error: LifelineError) => void;
  /** The Socket.IO namespace, for the hint of a join nobody answers. */
  readonly namespace: string;
  /** Hands an event to the client as if it had arrived live (history replayed by `rewind`). */
  readonly deliver: (message: IncomingEvent, transport: TransportName) => void;
  /** Called on every connection state change; returns `off` (history waits for a carrier). */
  readonly onState: (listener: (state: ConnectionState) => void) => () => void;
  /** The client's event schemas (history is validated like live events). */
  readonly schemas: EventSchemas;
  /** Says which channel an event without one belongs to (`ChannelProtocol.channelOf`). */
  readonly channelOf?: ChannelProtocol['channelOf'] | undefined;
}

/** @internal */
export class ChannelRegistry {
  readonly #d: ChannelRegistryDeps;
  readonly #entries = new Map<string, ChannelEntry>();
  /** What `channelOf` is given as `joined`, built on first use after a change (not per event). */
  #joined: ReadonlyMap<string, ChannelParams | undefined> | undefined;
  /** Events already reported as unroutable (see `channelOf`). */
  readonly #unrouted = new Set<string>();

  constructor(deps: ChannelRegistryDeps) {
    this.#d = deps;
  }

  /** Runs `use` with the history chunk (`channel.history()`, `rewind`); rejects with `UNREACHABLE` when it cannot load. */
  history<T>(use: (m: typeof import('./history'), deps: ChannelRegistryDeps) => T): Promise<Awaited<T>> {
    return import('./history').then(
      (m) => use(m, this.#d),
      (e) => Promise.reject(chunkFailed('history', e)),
    ) as Promise<Awaited<T>>;
  }

  listenerCount(): number {
    let n = 0;
    for (const e of this.#entries.values()) n += e.handlers.listenerCount();
    return n;
  }

  /** The channels held now, by name (`TransportContext.joins`: joined on a transport once it opens). */
  names = (): readonly string[] => [...this.#entries.keys()];

  get(name: string): ChannelEntry | undefined {
    return this.#entries.get(name);
  }

  /**
   * The channel of an event that carries none, as the protocol's `channelOf` says (a throwing
   * `channelOf` is reported as `PROTOCOL`; the event reaches `client.on` only). A protocol
   * without `channelOf` cannot tell: the first such event a `room.on` listens for is reported
   * once as `BAD_INPUT`, never dropped silently.
   */
  channelOf({ event, data, args }: IncomingEvent): string | undefined {
    const channelOf = this.#d.channelOf;
    if (!channelOf) {
      if (!this.#unrouted.has(event) && [...this.#entries.values()].some((e) => e.handlers.listenerCount(event))) {
        this.#unrouted.add(event);
        this.#d.error(reported('BAD_INPUT', 'channelOf', { event }));
      }
      return undefined;
    }
    if (this.#entries.size === 0) return undefined;
    try {
      const c = channelOf(event, args ?? [data], (this.#joined ??= new Map([...this.#entries.values()].map((e) => [e.name, e.params]))));
      return typeof c === 'string' ? c : undefined;
    } catch (e) {
      this.#d.error(reported('PROTOCOL', 'channelOfThrew', { event, serverMessage: messageOf(e) }));
      return undefined;
    }
  }

  /**
   * A handle on `name`. `since` and `rewind` count only for the handle that creates the channel;
   * `params` given and different from the channel's re-join it with them.
   */
  acquire(name: string, options?: ChannelOptions): ChannelEntry {
    const params = options?.params;
    const existing = this.#entries.get(name);
    if (existing) {
      existing.refs++;
      existing.leave.cancel();
      if (params !== undefined && keyOf(params) !== keyOf(existing.params)) {
        existing.params = params;
        this.#joined = undefined;
        const active = this.#d.active();
        if (active) void this.join(active, existing);
      }
      return existing;
    }
    const entry: ChannelEntry = {
      name,
      refs: 1,
      cursor: options?.since,
      rewind: options?.since === undefined ? (options?.rewind ?? 0) : 0,
      params,
      handlers: new Emitter<ChannelEvents>(),
      leave: new Timer(this.#d.clock, () => {
        if (entry.refs > 0) return;
        this.#entries.delete(name);
        this.#joined = undefined;
        entry.handlers.removeAll();
        void this.#d.active()?.leave(name, entry.params);
      }),
    };
    this.#entries.set(name, entry);
    this.#joined = undefined;
    const active = this.#d.active();
    if (active) void this.join(active, entry);
    return entry;
  }

  release(name: string): void {
    const entry = this.#entries.get(name);
    if (!entry || entry.refs <= 0) return;
    entry.refs--;
    if (entry.refs > 0 || entry.leave.pending) return;
    entry.leave.schedule(this.#d.leaveDelayMs);
  }

  /**
   * Join every channel on `transport` with its cursor; resolves when every answer is in, with
   * true when the server answered every join (a refusal is an answer; a timeout is not).
   *
   * Runs once per transport that carries channels (when it becomes active, or for a probe before
   * it takes over), so this is where its `expired` reports are listened to: channels it had
   * joined whose cursor the server dropped. The transport drops the listener when it is closed.
   */
  joinAll = async (transport: Transport): Promise<boolean> => {
    transport.on('expired', this.expired);
    const answered = await Promise.all([...this.#entries.values()].map((e) => this.join(transport, e)));
    return answered.every(Boolean);
  };

  /** `resumed`: this join asks from the latest id an expiry answer gave (at most once in a row). */
  async join(transport: Transport, entry: ChannelEntry, resumed = false): Promise<boolean> {
    let result: Awaited<ReturnType<Transport['join']>>;
    if (entry.rewind) {
      // A history chunk that cannot load: reported, and the channel joins from now.
      const ok = await this.history((m, d) => m.rewind(transport, entry, d)).catch((e: LifelineError) => {
        entry.rewind = 0;
        this.#d.error(e);
        return true;
      });
      if (this.#entries.get(entry.name) !== entry) return true;
      if (!ok) return false;
    }
    try {
      result = await transport.join(entry.name, entry.cursor, entry.params);
    } catch (e) {
      // A custom ChannelProtocol may throw: report it, never leave an unhandled rejection.
      result = { ok: false, code: 'PROTOCOL', message: messageOf(e) };
    }
    if (this.#entries.get(entry.name) !== entry) return true;
    if (result.ok) {
      // Keep our own cursor when we have one: the server replays after it, and adopting its
      // newer cursor would make dedupe drop the replay.
      if (entry.cursor === undefined && isWellFormedId(result.cursor)) entry.cursor = result.cursor;
      return true;
    }
    // Expiry of a join that asked for no cursor would be a loop of re-joins: a PROTOCOL error below.
    // (A channel without a cursor gets none during such a join: the server did not join it.)
    if (result.code === 'CURSOR_EXPIRED' && entry.cursor !== undefined) {
      if (resumed) entry.cursor = undefined; // refused the latest id it gave: join from now
      else {
        this.expired(entry.name, result.message);
        // Resume from the server's latest id: what is published before this re-join is answered
        // is replayed, not lost in between.
        if (isWellFormedId(result.cursor)) entry.cursor = result.cursor;
      }
      return this.join(transport, entry, true);
    }
    // Only the transport carrying traffic speaks for the channel. A join cut short because its
    // transport closed (disconnect(), a switch) or one made by a background probe is joined again
    // on the next transport: not an error a person must act on.
    if (transport !== this.#d.active()) return result.code !== 'TIMEOUT' && result.code !== 'PROTOCOL' && result.code !== 'CURSOR_EXPIRED';
    const details = { channel: entry.name, serverMessage: result.message };
    if (result.code === 'FORBIDDEN') {
      this.#d.error(reported('FORBIDDEN', 'joinRefused', details));
      return true;
    }
    if (result.code === 'LIMIT' || result.code === 'BAD_REQUEST') {
      // The server will not hold this channel (its name, or one channel too many); its message says why (the hint shows it).
      this.#d.error(reported('BAD_INPUT', 'joinBad', details));
      return true;
    }
    if (result.code === 'TIMEOUT') {
      const ns = this.#d.namespace;
      this.#d.error(reported('TIMEOUT', 'joinTimeout', { ...details, namespace: ns }));
    }
    else this.#d.error(reported('PROTOCOL', 'joinUnexpected', details));
    return false;
  }

  /**
   * The server no longer has this channel's cursor: report it (one `CURSOR_EXPIRED` error naming
   * the channel) and resume from now. Join answers and transport `expired` reports both end here.
   */
  expired = (channel: string, message: string | undefined): void => {
    const entry = this.#entries.get(channel);
    if (!entry) return;
    entry.cursor = undefined;
    this.#d.error(reported('CURSOR_EXPIRED', 'expired', { channel, serverMessage: message }));
  };

  /**
   * Dedupe and advance the cursor. False when the event was already seen (id not after the
   * channel's cursor). A malformed id (see `cursor.ts`) cannot be placed in the log: its event is
   * delivered like one without an id and never becomes the cursor (a server would refuse it as
   * CURSOR_EXPIRED on the next join, and every later well-formed id would sort before it).
   */
  accept(message: IncomingEvent): boolean {
    if (message.id === undefined || message.channel === undefined) return true;
    const entry = this.#entries.get(message.channel);
    if (!entry || !isWellFormedId(message.id)) return true;
    // The id was checked once just above, and a cursor is only ever a well-formed id.
    if (entry.cursor !== undefined && compareWellFormed(message.id, entry.cursor) <= 0) return false;
    entry.cursor = message.id;
    return true;
  }

  clear(): void {
    for (const e of this.#entries.values()) {
      e.leave.cancel();
      e.handlers.removeAll();
    }
    this.#entries.clear();
    this.#joined = undefined;
  }
}
