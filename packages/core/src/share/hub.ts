/**
 * The leader tab's side of sharing: one real client (the ordinary ladder, the leader's `auth`)
 * and the bookkeeping of every tab it serves — which tab holds which channel (joins ref-counted
 * across tabs), emits to forward and acks to send back, and which tabs are still alive (a tab
 * holds a Web Lock of its own for its whole life; the browser releases it when the tab closes or
 * crashes, which grants the hub's waiting request on it).
 *
 * Hand-off: a new hub first asks every live tab (found with `navigator.locks.query()`) which
 * channels it holds and the last id it saw of each, for at most `COLLECT_MS`; it then joins each
 * channel from the OLDEST of those cursors (so the tab that is furthest behind misses nothing;
 * each tab drops what it already saw by its own cursor) and only then connects.
 * @internal
 */
import { lifelineChannelProtocol } from '../channelProtocol';
import { Client } from '../client';
import { WIRE } from '../constants';
import { isAfter, isWellFormedId } from '../protocol/ids';
import { LifelineError } from '../errors';
import { INSPECTORS } from '../internals';
import type { LadderDeps } from '../ladder';
import type { ChannelParams, IncomingEvent, JoinResult, TransportName } from '../transports/types';
import type { Channel, EventSchemas, LifelineClient } from '../types';
import { COLLECT_MS, toWireError, type HubMessage, type ShareMessage, type WireState } from './wire';

interface TabEntry {
  linked: boolean;
  readonly channels: Set<string>;
  readonly watch: AbortController;
}

/** How long the leader waits for the server's ack of a follower's emit; the follower's own `timeoutMs` decides first. */
const HUB_ACK_MS = 120_000;
/** A catch-up reads the log in pages of the most one history request may ask for (history.ts MAX_HISTORY, not imported: it would pull that chunk in), at most `CATCH_UP_PAGES` of them. */
const MAX_HISTORY = 1000;
const CATCH_UP_PAGES = 10;

export const randomId = (): string => Math.random().toString(36).slice(2, 10) + Date.now().toString(36);

/** @internal */
export class Hub {
  readonly id = randomId();
  readonly #name: string;
  readonly #locks: LockManager;
  readonly #bc: BroadcastChannel;
  readonly #inner: Client<EventSchemas>;
  readonly #d: LadderDeps;
  readonly #tabs = new Map<string, TabEntry>();
  readonly #holders = new Map<string, Set<string>>();
  readonly #handles = new Map<string, Channel>();
  /** Oldest cursor a tab reported per channel, used when the channel is first joined. */
  readonly #seeds = new Map<string, string>();
  /** Per channel, the id after which the hub relays everything (its join's cursor, then each event relayed). */
  readonly #pos = new Map<string, string>();
  /** Per channel, the events relayed while tabs that joined behind `#pos` are being caught up. */
  readonly #catching = new Map<string, Set<IncomingEvent[]>>();
  /** The channel params the first tab joining a channel gave (a channel is joined once, with one set). */
  readonly #params = new Map<string, ChannelParams>();
  #waiting: Array<() => void> = [];
  /** Tabs whose channels the hub still waits for before it connects; null once done. */
  #expected: Set<string> | null = new Set();
  #collectTimer: ReturnType<LadderDeps['clock']['setTimeout']> | undefined;
  #reason = 'connecting';
  #closed = false;
  /** The id of the tab this hub runs in (its tab lock tells this page's `clientId`). */
  readonly #self: string;
  /** Answers `probe` (see `#alive`); made on the first one. */
  #bounce: MessageChannel | null = null;
  #answering = false;

  /** This leader's term: one more than the highest its tab had seen (see `newerLeader`). */
  readonly #term: number;

  constructor(d: LadderDeps, name: string, locks: LockManager, self: string, term: number) {
    this.#d = d;
    this.#term = term;
    this.#name = name;
    this.#locks = locks;
    this.#self = self;
    this.#bc = new BroadcastChannel(name);
    this.#bc.onmessage = (e: MessageEvent<ShareMessage>) => this.#receive(e.data);
    this.#inner = new Client<EventSchemas>(
      { ...d.options, events: {}, share: null, autoConnect: false },
      {
        factories: d.factories,
        tap: (m, tr) => {
          this.#relayed(m);
          this.#post({ t: 'msg', hub: this.id, m, tr });
        },
      },
    );
    const inner: LifelineClient = this.#inner;
    inner.on('transport', (c) => void (this.#reason = c.reason));
    inner.on('error', (e) => {
      const ch = typeof e.details.channel === 'string' ? e.details.channel : undefined;
      if (e.code === 'CURSOR_EXPIRED' && ch !== undefined) this.#post({ t: 'expired', hub: this.id, ch, msg: e.details.serverMessage ?? e.message });
      else this.#post({ t: 'error', hub: this.id, e: toWireError(e), ch });
    });
    this.#inner.subscribeState((s) => {
      this.#post({ t: 'state', hub: this.id, s: this.#state() });
      if (s.status === 'connected') for (const run of this.#waiting.splice(0)) run();
    });
  }

  /** Names of the live transports of the real connection. */
  get liveTransports(): TransportName[] {
    return [...(INSPECTORS.get(this.#inner)?.().transports ?? [])];
  }

  /**
   * Announces the new leader and gathers the tabs' channels (see the file comment). False, with
   * nothing announced, when this page no longer holds the leader lock: the browser granted it while
   * the page was frozen and another tab has taken it since (`steal`); the page learns that only now.
   */
  async start(): Promise<boolean> {
    const prefix = `${this.#name}:tab:`;
    try {
      const { held = [] } = await this.#locks.query();
      const page = held.find((l) => l.name === prefix + this.#self)?.clientId;
      const holder = held.find((l) => l.name === this.#name)?.clientId;
      if (page !== undefined && holder !== page) return false;
      for (const l of held) if (l.name?.startsWith(prefix) && !this.#tabs.get(l.name.slice(prefix.length))?.linked) this.#expected?.add(l.name.slice(prefix.length));
    } catch {
      // No query(): wait out COLLECT_MS.
    }
    if (this.#closed) return true;
    this.#post({ t: 'lead', hub: this.id, n: this.#term, s: this.#state() });
    this.#collectTimer = this.#d.clock.setTimeout(() => this.#collected(), COLLECT_MS);
    if (this.#expected?.size === 0) this.#collected();
    return true;
  }

  /**
   * Answers a `probe` through a MessageChannel round trip: Chromium still delivers BroadcastChannel
   * messages to a frozen page (its timers, sockets and MessageChannels stop), so an answer sent
   * straight from the BroadcastChannel handler would vouch for a leader that relays nothing.
   */
  #alive(): void {
    if (this.#answering) return;
    this.#answering = true;
    if (!this.#bounce) {
      const bounce = new MessageChannel();
      bounce.port1.onmessage = () => {
        this.#answering = false;
        this.#post({ t: 'alive', hub: this.id });
      };
      this.#bounce = bounce;
    }
    this.#bounce.port2.postMessage(null);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#collectTimer !== undefined) this.#d.clock.clearTimeout(this.#collectTimer);
    for (const tab of this.#tabs.values()) tab.watch.abort();
    this.#tabs.clear();
    this.#waiting = [];
    this.#inner.close();
    this.#post({ t: 'gone', hub: this.id });
    this.#bc.close();
    this.#bounce?.port1.close();
    this.#bounce?.port2.close();
  }

  #state(): WireState {
    const s = this.#inner.getState();
    return { status: s.status, transport: s.transport, attempt: s.attempt, fallback: s.fallback, lastError: s.lastError && toWireError(s.lastError), reason: this.#reason, rtt: this.#inner.rtt };
  }

  #post(m: HubMessage): void {
    if (this.#closed && m.t !== 'gone') return;
    try {
      this.#bc.postMessage(m);
    } catch (e) {
      // A payload the browser cannot clone: tell the tabs instead of dropping it silently.
      if (m.t === 'msg') this.#post({ t: 'error', hub: this.id, e: toWireError(new LifelineError('PROTOCOL', `Event "${m.m.event}" could not be relayed to the other tabs: ${String(e)}.`, { event: m.m.event }, { hint: 'Send JSON (plus binary) payloads; the browser cannot pass this one between tabs.' })), ch: m.m.channel });
    }
  }

  #collected(): void {
    if (this.#expected === null || this.#closed) return;
    this.#expected = null;
    if (this.#collectTimer !== undefined) this.#d.clock.clearTimeout(this.#collectTimer);
    for (const ch of this.#holders.keys()) this.#acquire(ch);
    this.#connectIfWanted();
  }

  #acquire(ch: string): void {
    if (this.#expected !== null || this.#handles.has(ch)) return;
    const since = this.#seeds.get(ch);
    const params = this.#params.get(ch);
    this.#handles.set(ch, this.#inner.channel(ch, { ...(since === undefined ? {} : { since }), ...(params === undefined ? {} : { params }) }));
    if (since !== undefined) this.#pos.set(ch, since);
    this.#seeds.delete(ch);
  }

  #relayed(m: IncomingEvent): void {
    if (m.channel === undefined || m.id === undefined || !isWellFormedId(m.id)) return;
    const pos = this.#pos.get(m.channel);
    if (pos === undefined || isAfter(m.id, pos)) this.#pos.set(m.channel, m.id);
    for (const kept of this.#catching.get(m.channel) ?? []) kept.push(m);
  }

  /**
   * A tab joins `handle`'s channel from `after`, an id before what the hub relays: it gets the
   * events since then (the log's history, newest pages first, plus what is relayed meanwhile)
   * with its join answer, or `CURSOR_EXPIRED` from the hub's position when the log no longer goes
   * back that far (or cannot be read): reported, never a silent gap.
   */
  #catchUp(handle: Channel, after: string, answer: (r: JoinResult, replay?: IncomingEvent[]) => void): void {
    const ch = handle.name;
    const kept: IncomingEvent[] = [];
    let set = this.#catching.get(ch);
    if (!set) this.#catching.set(ch, (set = new Set()));
    set.add(kept);
    const read = async (): Promise<IncomingEvent[] | null> => {
      const out: IncomingEvent[] = [];
      let before: string | undefined;
      for (let pages = 0; pages < CATCH_UP_PAGES; pages++) {
        const events = await handle.history<{ id: string; event: string; data: unknown }>({ limit: MAX_HISTORY, ...(before === undefined ? {} : { before }) });
        const newer = events.filter((e) => isAfter(e.id, after));
        out.unshift(...newer.map((e) => ({ id: e.id, channel: ch, event: e.event, data: e.data })));
        if (newer.length < events.length || events.length < MAX_HISTORY) return out;
        before = events[0]!.id;
      }
      return null;
    };
    void read()
      .catch(() => null)
      .then((events) => {
        set.delete(kept);
        if (set.size === 0) this.#catching.delete(ch);
        if (this.#closed) return;
        if (events) return answer({ ok: true }, [...events, ...kept]);
        answer({ ok: false, code: 'CURSOR_EXPIRED', message: `the tab's cursor is older than the log of "${ch}" the leader can read`, cursor: this.#pos.get(ch) });
      });
  }

  #connectIfWanted(): void {
    if (this.#expected !== null) return;
    const wanted = [...this.#tabs.values()].some((t) => t.linked);
    if (wanted) this.#inner.connect();
    else if (this.#inner.getState().status !== 'idle') this.#inner.disconnect();
  }

  #tab(id: string): TabEntry {
    let tab = this.#tabs.get(id);
    if (!tab) {
      const entry: TabEntry = { linked: false, channels: new Set(), watch: new AbortController() };
      tab = entry;
      this.#tabs.set(id, entry);
      // Granted only once the tab is gone (closed, crashed, navigated away): its lock was released.
      this.#locks.request(`${this.#name}:tab:${id}`, { signal: entry.watch.signal }, () => this.#drop(id)).catch(() => {});
    }
    return tab;
  }

  #drop(id: string): void {
    const tab = this.#tabs.get(id);
    if (!tab || this.#closed) return;
    tab.watch.abort();
    this.#tabs.delete(id);
    for (const ch of tab.channels) this.#leave(id, ch);
    this.#expected?.delete(id);
    if (this.#expected?.size === 0) this.#collected();
    else this.#connectIfWanted();
  }

  #leave(tab: string, ch: string): void {
    this.#tabs.get(tab)?.channels.delete(ch);
    const holders = this.#holders.get(ch);
    if (!holders?.delete(tab) || holders.size > 0) return;
    this.#holders.delete(ch);
    this.#seeds.delete(ch);
    this.#params.delete(ch);
    this.#pos.delete(ch);
    this.#handles.get(ch)?.leave();
    this.#handles.delete(ch);
  }

  #receive(m: ShareMessage): void {
    if (this.#closed || !('tab' in m)) return;
    if (m.t === 'bye') return this.#drop(m.tab);
    if (m.t === 'probe') return this.#alive();
    if (m.t === 'hello') {
      this.#tab(m.tab);
      return this.#post({ t: 'welcome', hub: this.id, n: this.#term, tab: m.tab, s: this.#state() });
    }
    if (!('hub' in m) || m.hub !== this.id) return;
    const tab = this.#tab(m.tab);
    switch (m.t) {
      case 'link':
        tab.linked = true;
        return;
      case 'unlink':
        tab.linked = false;
        for (const ch of [...tab.channels]) this.#leave(m.tab, ch);
        return this.#connectIfWanted();
      case 'synced':
        if (this.#expected?.delete(m.tab) && this.#expected.size === 0) return this.#collected();
        return this.#connectIfWanted();
      case 'join': {
        tab.channels.add(m.ch);
        let holders = this.#holders.get(m.ch);
        if (!holders) this.#holders.set(m.ch, (holders = new Set()));
        holders.add(m.tab);
        const seed = this.#seeds.get(m.ch);
        if (m.params !== undefined && JSON.stringify(m.params) !== JSON.stringify(this.#params.get(m.ch))) {
          // New params re-join the channel with them (as a handle with other params does in one tab).
          this.#params.set(m.ch, m.params);
          const old = this.#handles.get(m.ch);
          if (old) {
            this.#handles.set(m.ch, this.#inner.channel(m.ch, { params: m.params }));
            old.leave();
          }
        }
        if (m.cursor !== undefined && !this.#handles.has(m.ch) && (seed === undefined || isAfter(seed, m.cursor))) this.#seeds.set(m.ch, m.cursor);
        const held = this.#handles.get(m.ch);
        this.#acquire(m.ch);
        const answer = (r: JoinResult, replay?: IncomingEvent[]) => {
          this.#post({ t: 'joined', hub: this.id, tab: m.tab, id: m.id, r, ...(replay?.length ? { replay } : {}) });
          // A tab joining a channel the hub already holds gets who is there (the server sends only changes now).
          const members = held?.presence.get();
          if (members?.length) this.#post({ t: 'msg', hub: this.id, m: { event: WIRE.presence, data: { channel: m.ch, members } }, tr: this.#inner.getState().transport ?? 'websocket' });
        };
        const pos = this.#pos.get(m.ch);
        // Behind what the hub relays (it was away: unlinked, frozen, too slow for the hand-off): caught up first.
        if (held && m.cursor !== undefined && (pos === undefined || isAfter(pos, m.cursor))) return this.#catchUp(held, m.cursor, answer);
        return answer({ ok: true });
      }
      case 'leave':
        return this.#leave(m.tab, m.ch);
      case 'ping':
        this.#inner.ping(m.ms === undefined ? undefined : { timeoutMs: m.ms }).then(
          (v) => this.#post({ t: 'pong', hub: this.id, tab: m.tab, id: m.id, v }),
          (e: unknown) => this.#post({ t: 'pong', hub: this.id, tab: m.tab, id: m.id, e: toWireError(e instanceof LifelineError ? e : new LifelineError('TIMEOUT', String(e))) }),
        );
        return;
      case 'history': {
        // Through a handle of the channel (the one the tabs hold, else one for this read only).
        const own = this.#handles.has(m.ch) ? undefined : this.#inner.channel(m.ch);
        const reply = (r: unknown) => this.#post({ t: 'paged', hub: this.id, tab: m.tab, id: m.id, r });
        void (own ?? this.#handles.get(m.ch)!)
          .history(m.q)
          .then(
            (events) => reply({ ok: true, events }),
            (e: unknown) => reply({ ok: false, code: e instanceof LifelineError ? e.code : 'PROTOCOL', message: e instanceof Error ? e.message : String(e) }),
          )
          .finally(() => own?.leave());
        return;
      }
      case 'emit':
        if (m.vol) return void (this.#inner.getState().status === 'connected' && this.#inner.emit(m.ev, m.data, { volatile: true }));
        return this.#emit(m.tab, m.id, m.ev, m.data, m.ack);
    }
  }

  #emit(tab: string, id: number, event: string, data: unknown, ack: boolean): void {
    const reply = (e: unknown, v?: unknown) => {
      const error = e === null ? undefined : e instanceof LifelineError ? e : new LifelineError('BAD_INPUT', `The "${event}" payload cannot be sent: ${String(e)}.`, { event });
      this.#post({ t: 'acked', hub: this.id, tab, id, ...(error ? { e: toWireError(error) } : { v }) });
    };
    const run = () => {
      if (!this.#tabs.get(tab)?.linked) return; // the tab is gone or unlinked: it re-sends to whoever leads
      if (!ack) {
        try {
          this.#inner.emit(event, data);
          reply(null);
        } catch (e) {
          reply(e);
        }
        return;
      }
      // With the companion, an emit with an ack carries the tab's id for it (`lifeline:emit`): the tab sends
      // it again to the next leader until answered, and the server runs the handler once per id.
      const sent = this.#d.options.channels === lifelineChannelProtocol ? this.#inner.emit(WIRE.emit, { event, data, id: `${tab}.${id}` }, { ack: true, timeoutMs: HUB_ACK_MS }) : this.#inner.emit(event, data, { ack: true, timeoutMs: HUB_ACK_MS });
      sent.then(
        (v) => reply(null, v),
        (e: unknown) => reply(e),
      );
    };
    if (this.#inner.getState().status === 'connected') return run();
    if (this.#waiting.length >= this.#d.options.outbox.maxSize) return reply(new LifelineError('OUTBOX_FULL', `The outbox is full: "${event}" was not queued.`, { event }));
    this.#waiting.push(run);
  }
}
