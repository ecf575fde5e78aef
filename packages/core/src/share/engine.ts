/**
 * `share`: what a tab runs instead of the ladder (loaded as its own chunk by `./lazy`).
 *
 * Every tab — the leader's too — is a client of the leader's `Hub` over BroadcastChannel: while
 * linked, the tab's client sees a transport (`TabLink`) whose `join`/`leave`/`send` go to the
 * hub and whose incoming events come from it, so the client's own machinery keeps working
 * unchanged per tab: ref-counted channels with cursors and dedupe (which makes a hand-off exactly
 * once), the outbox while no leader is reachable, ack timeouts, validation with the tab's own
 * schemas. The tab's state mirrors the leader's connection, plus its own `role`.
 *
 * Election: each tab asks for the Web Lock `<name>` and holds it while it leads; the browser
 * hands it to the next waiting tab when the leader closes or crashes. Each tab also holds
 * `<name>:tab:<id>` for its whole life, which lets the hub notice dead tabs without heartbeats.
 *
 * A lock held by a page that cannot run is not released by the browser: a frozen page keeps
 * the lock it holds, and a lock granted to a frozen page waits there until the page resumes. So
 * a follower that hears nothing from the leader for `SILENT_MS` asks (`probe`); when no leader
 * answers within `ANSWER_MS` and someone holds the lock, the tab first in line for it takes it
 * (`steal`; the next ones after one more round each, in case the first is frozen too). A page
 * that finds its lock taken steps down (the browser rejects its request).
 * @internal
 */
import type { Engine } from '../client';
import { Emitter } from '../emitter';
import { LifelineError } from '../errors';
import { Ladder, type LadderDeps } from '../ladder';
import type { ShareSettings } from '../options';
import type { AckCallback, ChannelParams, IncomingEvent, JoinResult, Transport, TransportEvents, TransportName } from '../transports/types';
import { Hub, randomId } from './hub';
import { ANSWER_MS, fromWireError, mirror, newerLeader, shareName, SILENT_MS, type HubMessage, type ShareMessage, type TabMessage, type WireState } from './wire';

interface Pending {
  readonly ev: string;
  readonly data: unknown;
  readonly ack: AckCallback | undefined;
}

/** The tab's transport while linked to a hub: what the client joins, leaves and sends through. */
class TabLink implements Transport {
  readonly name: TransportName;
  readonly hub: string;
  /** Channels joined through this link: the hub relays every channel any tab holds, a tab takes its own. */
  readonly joined = new Set<string>();
  readonly events = new Emitter<TransportEvents>();
  readonly #engine: TabEngine;
  readonly #joins = new Map<number, (r: JoinResult, replay?: readonly IncomingEvent[]) => void>();
  readonly #pages = new Map<number, (r: unknown) => void>();
  #closed = false;

  constructor(engine: TabEngine, hub: string, name: TransportName) {
    this.#engine = engine;
    this.hub = hub;
    this.name = name;
  }

  connect(): void {}

  send(event: string, data: unknown, ack?: AckCallback, volatile?: boolean): void {
    this.#engine.send(event, data, ack, volatile === true);
  }

  /**
   * The channel's events reach this tab from the hub's answer on (the answer brings what the tab
   * missed, when it joined behind the hub): an event relayed before it is one the tab had, or one
   * the answer carries again.
   */
  join(channel: string, cursor: string | undefined, params?: ChannelParams): Promise<JoinResult> {
    if (this.#closed) return Promise.resolve({ ok: false, code: 'TIMEOUT' });
    const id = this.#engine.nextId();
    return new Promise<JoinResult>((resolve) => {
      this.#joins.set(id, (r, replay) => {
        if (r.ok) this.joined.add(channel);
        for (const m of replay ?? []) this.#engine.deliver(m, this.name);
        resolve(r);
      });
      this.#engine.post({ t: 'join', tab: this.#engine.tab, hub: this.hub, id, ch: channel, cursor, params });
    });
  }

  joinedAnswer(id: number, r: JoinResult, replay: readonly IncomingEvent[] | undefined): void {
    this.#joins.get(id)?.(r, replay);
    this.#joins.delete(id);
  }

  /** `channel.history()` and `rewind`: read by the leader's connection. */
  history(channel: string, q: { readonly limit: number; readonly before?: string | undefined }, timeoutMs: number): Promise<unknown> {
    const id = this.#engine.nextId();
    return new Promise<unknown>((resolve, reject) => {
      const clock = this.#engine.clock;
      const timer = clock.setTimeout(() => {
        this.#pages.delete(id);
        reject(new Error(`no answer from the leader tab within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pages.set(id, (r) => {
        clock.clearTimeout(timer);
        resolve(r);
      });
      this.#engine.post({ t: 'history', tab: this.#engine.tab, hub: this.hub, id, ch: channel, q });
    });
  }

  pagedAnswer(id: number, r: unknown): void {
    this.#pages.get(id)?.(r);
    this.#pages.delete(id);
  }

  leave(channel: string): Promise<void> {
    this.joined.delete(channel);
    if (!this.#closed) this.#engine.post({ t: 'leave', tab: this.#engine.tab, hub: this.hub, ch: channel });
    return Promise.resolve();
  }

  /** Joins the hub never answered (it went away) end as timeouts: the client re-joins on the next link. */
  close(): void {
    this.#closed = true;
    for (const resolve of this.#joins.values()) resolve({ ok: false, code: 'TIMEOUT' });
    this.#joins.clear();
    for (const settle of this.#pages.values()) settle({ ok: false, code: 'UNREACHABLE', message: 'the leader tab went away' });
    this.#pages.clear();
    this.events.removeAll();
  }

  on<K extends keyof TransportEvents>(event: K, listener: TransportEvents[K]): () => void {
    return this.events.on(event, listener);
  }
}

/** @internal */
export class TabEngine implements Engine {
  readonly tab = randomId();
  readonly #d: LadderDeps;
  readonly #name: string;
  readonly #locks: LockManager;
  readonly #bc: BroadcastChannel;
  /** Emits (and their acks) the hub has not confirmed: re-sent to the next leader. */
  readonly #pending = new Map<number, Pending>();
  readonly #abort = new AbortController();
  #seq = 0;
  #hub: string | null = null;
  /** The term of the leader this tab follows, or of the newest it has seen (see `newerLeader`). */
  #term = 0;
  #hubState: WireState | null = null;
  #rtt: number | null = null;
  /** Pings waiting for the leader's answer (settled with an error when the link goes). */
  readonly #pongs = new Map<number, (e: LifelineError | null, v?: number) => void>();
  #link: TabLink | null = null;
  #want = false;
  #ready = false;
  #closed = false;
  #leader: Hub | null = null;
  /** Counts this tab's requests for the leader lock: a settled request that is not the latest one is history. */
  #gen = 0;
  /** Cancels the queued request for the leader lock (a steal replaces it). */
  #queued: AbortController | null = null;
  /** When a leader last spoke (any hub message), and when this tab asked whether one is alive. */
  #heard = 0;
  #probedAt: number | null = null;
  /** Rounds in a row no leader answered (see `#suspect`). */
  #strikes = 0;
  #watch: ReturnType<LadderDeps['clock']['setTimeout']> | undefined;
  /** Releases the tab lock. */
  #release: () => void = () => {};
  /** Closes the hub and releases the leader lock. */
  #abdicate: () => void = () => {};
  readonly #doc = (globalThis as { document?: EventTarget }).document;
  readonly #offStore: () => void;

  constructor(d: LadderDeps, share: ShareSettings, locks: LockManager) {
    this.#d = d;
    this.#locks = locks;
    this.#name = shareName(d.options, share);
    this.#bc = new BroadcastChannel(this.#name);
    this.#bc.onmessage = (e: MessageEvent<ShareMessage>) => this.#receive(e.data);
    this.#offStore = d.store.subscribe((s) => {
      if (s.status === 'closed') this.#teardown();
    });
    this.#dispatchRole('follower', 'sharing the connection of another tab');
    const held = new Promise<void>((resolve) => (this.#release = resolve));
    // This lock says "this tab is alive" for as long as the client is open.
    locks
      .request(`${this.#name}:tab:${this.tab}`, { signal: this.#abort.signal }, () => {
        if (this.#closed) return;
        this.#ready = true;
        if (this.#want) this.post({ t: 'hello', tab: this.tab });
        this.#stand(false);
        this.#heard = d.clock.now();
        this.#watchdog();
        return held;
      })
      .catch(() => {});
    this.#doc?.addEventListener('freeze', this.#onFreeze);
  }

  /**
   * Asks for the Web Lock a leader holds: queued (standing as a candidate) or, `steal`, taken from
   * a holder that does not answer. However the request ends (this tab stepped down, or the lock
   * was taken from it), the tab stands again at the back of the queue.
   */
  #stand(steal: boolean): void {
    if (this.#closed) return;
    const gen = ++this.#gen;
    this.#queued?.abort();
    const queued = steal ? null : new AbortController();
    this.#queued = queued;
    const again = () => {
      if (gen !== this.#gen || this.#closed) return;
      this.#stepDown('another tab took the lead: this page did not answer (frozen or busy)');
      this.#stand(false);
    };
    this.#locks.request(this.#name, queued ? { signal: queued.signal } : { steal: true }, () => this.#lead(gen)).then(again, again);
  }

  #stepDown(reason: string): void {
    if (!this.#leader) return;
    this.#abdicate();
    this.#dispatchRole('follower', reason);
  }

  /**
   * The browser freezes this page (a background tab, Page Lifecycle API): a frozen leader would
   * relay nothing, so it hands the lead to another tab now (the request ends: it stands again).
   */
  readonly #onFreeze = (): void => {
    if (!this.#closed) this.#stepDown('this page was frozen: another tab holds the connection');
  };

  /** A follower's check that some leader is alive (see the file comment). */
  readonly #watchdog = (): void => {
    if (this.#closed) return;
    this.#watch = this.#d.clock.setTimeout(this.#watchdog, SILENT_MS);
    const now = this.#d.clock.now();
    if (this.#leader || !this.#want || now - this.#heard < SILENT_MS) return;
    if (this.#probedAt === null) {
      this.#probedAt = now;
      return this.post({ t: 'probe', tab: this.tab });
    }
    if (now - this.#probedAt < ANSWER_MS) return;
    this.#probedAt = null;
    void this.#suspect();
  };

  /**
   * No leader answered. If a page holds the leader lock, it is frozen or hung: the tab first in
   * line takes the lock now; the tab n-th in line after n more silent rounds (the ones before it
   * may be frozen too). Without `query()` every tab takes it at once: the last one keeps it.
   */
  async #suspect(): Promise<void> {
    let rank = 0;
    try {
      const { held = [], pending = [] } = await this.#locks.query();
      if (!held.some((l) => l.name === this.#name)) return void (this.#strikes = 0); // on its way to the next tab
      const page = held.find((l) => l.name === `${this.#name}:tab:${this.tab}`)?.clientId;
      const line = pending.filter((l) => l.name === this.#name).map((l) => l.clientId);
      rank = page === undefined || !line.includes(page) ? line.length : line.indexOf(page);
    } catch {
      // No query(): rank 0.
    }
    if (this.#closed || this.#leader || this.#d.clock.now() - this.#heard < SILENT_MS) return;
    if (this.#strikes++ < rank) return;
    this.#strikes = 0;
    this.#stand(true);
  }

  get active(): Transport | null {
    return this.#link;
  }

  get liveTransports(): TransportName[] {
    return this.#leader?.liveTransports ?? [];
  }

  get running(): boolean {
    return this.#want;
  }

  /** The last round trip this tab measured (`ping()`), else the leader's. */
  get rtt(): number | null {
    return this.#rtt ?? this.#hubState?.rtt ?? null;
  }

  /** A round trip through the leader tab to the server and back, ms. */
  ping(timeoutMs: number | undefined): Promise<number> {
    const hub = this.#link?.hub;
    if (hub === undefined) return Promise.reject(new LifelineError('TIMEOUT', 'Cannot ping: no tab holds a connection right now.', { timeoutMs }));
    const id = this.nextId();
    const started = this.#d.clock.now();
    return new Promise<number>((resolve, reject) => {
      this.#pongs.set(id, (e, v) => {
        if (e) return reject(e);
        resolve((this.#rtt = Math.max(v ?? 0, this.#d.clock.now() - started)));
      });
      this.post({ t: 'ping', tab: this.tab, hub, id, ms: timeoutMs });
    });
  }

  get clock(): LadderDeps['clock'] {
    return this.#d.clock;
  }

  /** An event for this tab's client, as if it had arrived over its own connection. */
  deliver(m: IncomingEvent, transport: TransportName): void {
    this.#d.hooks.message(m, transport);
  }

  nextId(): number {
    return ++this.#seq;
  }

  start(): void {
    if (this.#want || this.#closed) return;
    this.#want = true;
    this.#d.store.dispatch({ type: 'attempt', at: this.#d.clock.now(), reason: 'connect() called' });
    if (this.#hub !== null) this.#linkTo(this.#hub);
    else if (this.#ready) this.post({ t: 'hello', tab: this.tab });
  }

  stop(reason: string, error: LifelineError | null = null): void {
    this.#want = false;
    this.#unlink(true);
    this.#d.store.dispatch({ type: 'stopped', at: this.#d.clock.now(), reason, error });
  }

  post(m: TabMessage): void {
    if (!this.#closed || m.t === 'bye') this.#bc.postMessage(m);
  }

  /** From the client (through `TabLink.send`): kept until the hub confirms, re-sent on hand-off. */
  send(ev: string, data: unknown, ack: AckCallback | undefined, volatile: boolean): void {
    const id = this.nextId();
    const hub = this.#link?.hub;
    if (hub === undefined) return; // no leader right now: a volatile emit is dropped (the client queues the others)
    // Throws when the browser cannot clone `data`: the client reports it as BAD_INPUT.
    if (volatile) return this.post({ t: 'emit', tab: this.tab, hub, id, ev, data, ack: false, vol: true }); // now or never: not kept for a hand-off
    this.post({ t: 'emit', tab: this.tab, hub, id, ev, data, ack: ack !== undefined });
    this.#pending.set(id, { ev, data, ack });
  }

  #dispatchRole(role: 'leader' | 'follower', reason: string): void {
    this.#d.store.dispatch({ type: 'role', at: this.#d.clock.now(), reason, role });
  }

  /** Granted the leader lock: run the hub until this client closes, steps down or loses the lock. */
  #lead(gen: number): Promise<void> | undefined {
    if (this.#closed || gen !== this.#gen) return undefined;
    const hub = new Hub(this.#d, this.#name, this.#locks, this.tab, this.#term + 1);
    this.#leader = hub;
    const held = new Promise<void>((resolve) => {
      this.#abdicate = () => {
        this.#abdicate = () => {};
        this.#leader = null;
        hub.close();
        resolve();
      };
    });
    void hub.start().then((holds) => {
      if (this.#leader !== hub) return;
      if (holds) this.#dispatchRole('leader', 'this tab holds the connection the tabs share');
      else this.#abdicate(); // granted while frozen, taken since: the request's rejection makes it stand again
    });
    return held;
  }

  #linkTo(hub: string): void {
    this.#unlink(false);
    const link = new TabLink(this, hub, this.#hubState?.transport ?? this.#d.options.transports[0] ?? 'websocket');
    this.#link = link;
    this.post({ t: 'link', tab: this.tab, hub });
    for (const [id, p] of this.#pending) this.post({ t: 'emit', tab: this.tab, hub, id, ev: p.ev, data: p.data, ack: p.ack !== undefined });
    if (this.#hubState) this.#d.store.dispatch(mirror(this.#hubState, this.#d.clock.now()));
    this.#d.hooks.activated(link, false); // joins every channel with its cursor, flushes the outbox
    this.post({ t: 'synced', tab: this.tab, hub });
  }

  #unlink(tell: boolean): void {
    const link = this.#link;
    if (!link) return;
    for (const settle of this.#pongs.values()) settle(new LifelineError('TIMEOUT', 'The ping got no answer: the leader tab went away.'));
    this.#pongs.clear();
    this.#link = null;
    if (tell) this.post({ t: 'unlink', tab: this.tab, hub: link.hub });
    link.close();
  }

  #receive(m: ShareMessage): void {
    if (this.#closed || isTabMessage(m)) return;
    const h: HubMessage = m;
    const fresh = (h.t === 'lead' || h.t === 'welcome') && (!('tab' in h) || h.tab === this.tab) && newerLeader(h.n, h.hub, this.#term, this.#hub);
    // The leader this tab follows is alive (what an older one says does not count).
    if (fresh || h.hub === this.#hub || this.#hub === null) {
      this.#heard = this.#d.clock.now();
      this.#probedAt = null;
      this.#strikes = 0;
    }
    if ('tab' in h && h.tab !== this.tab) return;
    if (h.t === 'lead' || h.t === 'welcome') {
      if (!fresh) return;
      this.#term = h.n;
      this.#hub = h.hub;
      this.#hubState = h.s;
      if (this.#want) this.#linkTo(h.hub);
      else this.post({ t: 'synced', tab: this.tab, hub: h.hub });
      return;
    }
    if (h.hub !== this.#hub) return;
    const link = this.#link;
    switch (h.t) {
      case 'state':
        this.#hubState = h.s;
        if (link) this.#d.store.dispatch(mirror(h.s, this.#d.clock.now()));
        return;
      case 'msg':
        if (link && (h.m.channel === undefined || link.joined.has(h.m.channel))) this.#d.hooks.message(h.m, h.tr);
        return;
      case 'joined':
        return link?.joinedAnswer(h.id, h.r, h.replay);
      case 'paged':
        return link?.pagedAnswer(h.id, h.r);
      case 'pong': {
        const settle = this.#pongs.get(h.id);
        this.#pongs.delete(h.id);
        return settle?.(h.e ? fromWireError(h.e) : null, h.v);
      }
      case 'acked': {
        const p = this.#pending.get(h.id);
        if (!p) return;
        this.#pending.delete(h.id);
        const error = h.e ? fromWireError(h.e) : null;
        if (p.ack) p.ack(error, h.v);
        else if (error) this.#d.hooks.error(error);
        return;
      }
      case 'error':
        if (link && (h.ch === undefined || link.joined.has(h.ch))) this.#d.hooks.error(fromWireError(h.e));
        return;
      case 'expired':
        if (link?.joined.has(h.ch)) link.events.emit('expired', h.ch, h.msg);
        return;
      case 'gone':
        this.#hub = null;
        this.#hubState = null;
        if (link) {
          this.#unlink(false);
          this.#d.store.dispatch({ type: 'lost', at: this.#d.clock.now(), reason: 'the leader tab closed: another tab takes over', error: null });
        }
        // Another leader may already be running (it took the lead from this one): it welcomes us.
        if (this.#want) this.post({ t: 'hello', tab: this.tab });
        return;
    }
  }

  #teardown(): void {
    if (this.#closed) return;
    this.#unlink(true);
    this.post({ t: 'bye', tab: this.tab });
    this.#closed = true;
    this.#pending.clear();
    this.#offStore();
    if (this.#watch !== undefined) this.#d.clock.clearTimeout(this.#watch);
    this.#queued?.abort();
    this.#abort.abort();
    this.#abdicate();
    this.#release();
    this.#doc?.removeEventListener('freeze', this.#onFreeze);
    this.#bc.close();
  }
}

const isTabMessage = (m: ShareMessage): m is TabMessage => m.t === 'hello' || m.t === 'link' || m.t === 'synced' || m.t === 'unlink' || m.t === 'join' || m.t === 'leave' || m.t === 'emit' || m.t === 'history' || m.t === 'ping' || m.t === 'bye' || m.t === 'probe';

/**
 * The tab's engine; the ordinary ladder where a tab cannot share (no Web Locks or BroadcastChannel).
 * @internal
 */
export function createShareEngine(d: LadderDeps, share: ShareSettings): Engine {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  // A client closed while this chunk loaded opens nothing (its close() could not reach a TabEngine).
  const closed = d.store.getState().status === 'closed';
  return !closed && typeof BroadcastChannel === 'function' && typeof locks?.request === 'function' ? new TabEngine(d, share, locks) : new Ladder(d);
}
