/**
 * The ladder: runs connection attempts rung by rung, applies `ladderPolicy.step()`, races a stalled
 * WebSocket (head start), verifies WebSocket-specific failures against the next rung, and climbs
 * back with a separate probe connection (make-before-break). Pure decisions live in
 * `ladderPolicy.ts` and `backoff.ts`; this file is the I/O around them.
 * @internal
 */
import { delayAfterLoss, delayFor } from './backoff';
import type { Clock } from './clock';
import { DEFAULTS } from './constants';
import { Disposables } from './disposables';
import type { Environment } from './environment';
import type { HeartbeatShared } from './heartbeat';
import { chunkFailed, LifelineError, messageOf } from './errors';
import type { Climb } from './climb';
import { askNext, headStart, roundFailure, serverAnswered, shouldVerify, step, type LadderEvent, type LadderState } from './ladderPolicy';
import type { NormalizedOptions } from './options';
import type { RungMemory } from './rungMemory';
import type { StateStore } from './store';
import { Timer } from './timer';
import type { IncomingEvent, SessionMemory, Transport, TransportContext, TransportFactory, TransportFailure, TransportName } from './transports/types';

/** What the ladder asks of the client. @internal */
export interface LadderHooks {
  /** Join every channel on `transport` (used before a probe takes over). */
  join(transport: Transport): Promise<boolean>;
  /** `transport` now carries traffic; `joined` says whether channels were already joined on it. */
  activated(transport: Transport, joined: boolean): void;
  message(message: IncomingEvent, transport: TransportName): void;
  error(error: LifelineError): void;
}

/** @internal */
export interface LadderDeps {
  readonly options: NormalizedOptions;
  readonly clock: Clock;
  readonly random: () => number;
  readonly factories: Readonly<Record<TransportName, TransportFactory>>;
  readonly environment: Environment;
  readonly memory: RungMemory;
  readonly store: StateStore;
  /** The channels the client will join on a transport once it opens (`TransportContext.joins`). */
  readonly joins: () => readonly string[];
  /** What the client carries from one attempt's transport to the next (recovery, cursor, dedupe). */
  readonly session?: SessionMemory;
  readonly hooks: LadderHooks;
  readonly headStartMs?: number;
  readonly probationMs?: number;
}

/** @internal */
export interface Round {
  readonly gen: number;
  readonly auth: Readonly<Record<string, unknown>>;
  readonly pending: Set<Live>;
  primaryFailure: TransportFailure | null;
  /** Failure of the last rung raced below the primary one. */
  racerFailure: TransportFailure | null;
  raced: boolean;
  /** Lowest rung launched in this round (the primary rung until a race starts). */
  asked: number;
}

/** @internal */
export interface Live {
  readonly transport: Transport;
  readonly name: TransportName;
  readonly rung: number;
  readonly round: Round | null;
  readonly bag: Disposables;
  openedAt: number;
  /** A packet arrived after `open` (transport `heard`). */
  heard: boolean;
  /** A probe whose channels are joined, waiting for `heard` before it takes over. */
  joined: boolean;
  /** Opened while the climb chunk was still loading: what arrived meanwhile, delivered once it is active. */
  held?: IncomingEvent[];
}

let climbChunk: typeof import('./climb') | undefined;
let climbLoading: Promise<typeof import('./climb')> | undefined;

/**
 * Loads what the ladder needs below the top rung (climb.ts: the fall notice, the climb back), one
 * download at a time. The ladder starts it when it first launches a lower rung, which then
 * connects with it loaded: an attempt takes a handshake, the chunk one download. Rejects with a
 * typed `UNREACHABLE`; the next call tries again.
 * @internal
 */
export function loadClimb(): Promise<typeof import('./climb')> {
  return (climbLoading ??= import('./climb').then(
    (m) => (climbChunk = m),
    (e) => {
      climbLoading = undefined;
      throw chunkFailed('fallback', e);
    },
  ));
}


/** @internal */
export class Ladder {
  readonly #d: LadderDeps;
  readonly #rungs: readonly TransportName[];
  readonly #retry: Timer;
  readonly #headStart: Timer;
  readonly #live = new Set<Live>();
  #running = false;
  #gen = 0;
  #rung = 0;
  #failures = 0;
  #refusals = 0;
  #attempt = 0;
  #round: Round | null = null;
  #active: Live | null = null;
  /** Fall notice and climb back (climb.ts), once its chunk is loaded. */
  #climber: Climb | null = null;
  #notice: LifelineError | null = null;
  /** Why we are on the current rung, for the `transport` event of the next connect. */
  #why: string | null = null;
  #offEnv: (() => void) | null = null;
  /** The rung the active connection climbed back from, until it has passed its probation. */
  #climbedFrom: number | null = null;
  /** A climb went silent: probes must also hear from the server before taking over. */
  #mustHear = false;
  /** The rung's healthy connection was lost (ladderPolicy `proven`): reconnects are a herd. */
  #proven = false;
  /** What heartbeats learned across this client's connections, and the live ones' wake-up checks. */
  readonly #hb: HeartbeatShared = { answered: false, rtt: null, wakes: new Set() };

  constructor(deps: LadderDeps) {
    this.#d = deps;
    this.#rungs = deps.options.transports;
    this.#retry = new Timer(deps.clock, () => void this.#attemptNow('retry'));
    this.#headStart = new Timer(deps.clock, () => this.#race(), true);
  }

  /** The last round trip measured (heartbeat answer or `ping()`), ms. */
  get rtt(): number | null {
    return this.#hb.rtt;
  }

  /** One round trip over the transport carrying traffic, ms (`client.ping()`; liveness.ts). */
  ping(timeoutMs: number | undefined): Promise<number> {
    return import('./transports/liveness').then(
      (m) => m.pingOver(this.active, timeoutMs, this.#d.options.heartbeat, this.#hb),
      (e) => Promise.reject(chunkFailed('liveness', e)),
    );
  }

  /** The transport carrying traffic, or null. */
  get active(): Transport | null {
    return this.#active?.transport ?? null;
  }

  /** Names of every transport alive right now (attempts, active, probe). */
  get liveTransports(): TransportName[] {
    return [...this.#live].map((l) => l.name);
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    const remembered = this.#d.memory.recall();
    const idx = remembered ? this.#rungs.indexOf(remembered) : -1;
    this.#rung = idx > 0 ? idx : 0;
    this.#why = idx > 0 ? `${remembered} worked here recently: starting there` : null;
    this.#failures = this.#refusals = this.#attempt = 0;
    this.#climbedFrom = null;
    this.#mustHear = this.#proven = false;
    this.#offEnv = this.#d.environment.watch(() => {
      // Back online or visible again: the live connections may have died meanwhile (a laptop
      // that slept): verify them now, not at the next heartbeat.
      for (const check of [...this.#hb.wakes]) check();
      // Retry at once instead of waiting out the backoff.
      if (this.#running && !this.#active && (this.#retry.pending || !this.#round)) void this.#attemptNow('resume');
    });
    void this.#attemptNow('connect');
  }

  /** Stops retrying and releases every transport and timer. */
  stop(reason: string, error: LifelineError | null = null): void {
    this.#running = false;
    this.#gen++;
    this.#round = null;
    this.#retry.cancel();
    this.#headStart.cancel();
    this.#climber?.stop();
    this.#offEnv?.();
    this.#offEnv = null;
    for (const live of [...this.#live]) this.#dispose(live);
    this.#active = null;
    this.#d.store.dispatch({ type: 'stopped', at: this.#d.clock.now(), reason, error });
  }

  #context(auth: Readonly<Record<string, unknown>>): TransportContext {
    const o = this.#d.options;
    return { url: o.url, namespace: o.namespace, path: o.path, auth, timeoutMs: o.reconnect.timeoutMs, channelProtocol: o.channels, isAuthError: o.isAuthError, http: o.http, joins: this.#d.joins, socketOptions: o.socketOptions, session: this.#d.session, query: o.query, withCredentials: o.withCredentials, heartbeat: o.heartbeat ? { ...o.heartbeat, shared: this.#hb } : undefined };
  }

  async #attemptNow(why: string): Promise<void> {
    if (!this.#running) return;
    this.#retry.cancel();
    if (!this.#d.environment.isOnline()) {
      // Paused until `online`. Say so: a client started offline must not look `idle` (stopped).
      this.#d.store.dispatch({ type: 'attempt', at: this.#d.clock.now(), reason: `offline: waiting for the network before trying ${this.#rungs[this.#rung]}` });
      return;
    }
    const gen = ++this.#gen;
    for (const live of [...this.#live]) if (live !== this.#active && live !== this.#climber?.probe) this.#dispose(live);
    this.#d.store.dispatch({ type: 'attempt', at: this.#d.clock.now(), reason: `${why}: trying ${this.#rungs[this.#rung]}` });
    let auth: Readonly<Record<string, unknown>>;
    try {
      auth = await this.#d.options.auth();
    } catch (e) {
      if (gen !== this.#gen) return;
      const error = new LifelineError('UNAUTHORIZED', `auth() threw: ${messageOf(e)}`, { serverMessage: String(e) }, { cause: e });
      this.#roundFailed((this.#round = this.#newRound(gen, {}, { kind: 'unauthorized', reason: 'auth() failed', error, opened: false })));
      return;
    }
    if (gen !== this.#gen || !this.#running) return;
    const round = (this.#round = this.#newRound(gen, auth));
    this.#launch(round, this.#rung);
    if (this.#rungs[this.#rung] === 'websocket' && this.#rung + 1 < this.#rungs.length) {
      this.#headStart.schedule(this.#headStartMs());
    }
  }

  #newRound(gen: number, auth: Readonly<Record<string, unknown>>, primaryFailure: TransportFailure | null = null): Round {
    return { gen, auth, pending: new Set(), primaryFailure, racerFailure: null, raced: false, asked: this.#rung };
  }

  /** The head start (ladderPolicy `headStart`): never over half the attempt timeout, so the race starts before it fails. */
  #headStartMs(): number {
    return headStart(this.#proven, this.#d.headStartMs ?? DEFAULTS.headStartMs, this.#d.options.reconnect.timeoutMs);
  }

  #launch(round: Round | null, rung: number, auth = round?.auth ?? {}): Live | null {
    const name = this.#rungs[rung]!;
    let transport: Transport;
    try {
      transport = this.#d.factories[name](this.#context(auth));
    } catch (e) {
      const error = e instanceof LifelineError ? e : new LifelineError('PROTOCOL', `Cannot create the ${name} transport: ${String(e)}`, { transport: name });
      if (round) this.#onFail(round, rung, { kind: 'protocol', reason: `${name} transport unavailable`, error, opened: false });
      return null;
    }
    const live: Live = { transport, name, rung, round, bag: new Disposables(), openedAt: 0, heard: false, joined: false };
    // Below the top rung: the climb chunk loads while this attempt connects.
    if (rung > 0 && !climbChunk) loadClimb().catch(() => {});
    this.#live.add(live);
    round?.pending.add(live);
    live.bag.add(transport.on('open', () => this.#onOpen(live)));
    live.bag.add(transport.on('close', (f) => this.#onClose(live, f)));
    live.bag.add(transport.on('message', (m) => this.#onMessage(live, m)));
    live.bag.add(transport.on('heard', () => this.#onHeard(live)));
    transport.connect();
    return live;
  }

  #dispose(live: Live): void {
    this.#live.delete(live);
    live.round?.pending.delete(live);
    live.bag.dispose();
    live.transport.close();
  }

  /** Race the next rung now (head start or verification of a WebSocket-specific failure). */
  #race(): void {
    const round = this.#round;
    if (!round || round.gen !== this.#gen || round.raced || this.#active || this.#rung + 1 >= this.#rungs.length) return;
    round.raced = true;
    round.asked = this.#rung + 1;
    this.#launch(round, this.#rung + 1);
  }

  #onMessage(live: Live, message: IncomingEvent): void {
    if (live === this.#active) this.#d.hooks.message(message, live.name);
    else if (live.held) live.held.push(message);
    // During a probe's overlap only logged events pass: channel dedupe drops what the old one had.
    else if (live === this.#climber?.probe && message.id !== undefined && message.channel !== undefined) this.#d.hooks.message(message, live.name);
  }

  /** The climb (fall notice, climb back) once its chunk is loaded, else null. */
  #climb(): Climb | null {
    return (this.#climber ??= climbChunk ? new climbChunk.Climb(this.#host()) : null);
  }

  #host(): import('./climb').ClimbHost {
    return {
      deps: this.#d,
      rungs: this.#rungs,
      active: () => (this.#running ? this.#active : null),
      gen: () => this.#gen,
      mustHear: () => this.#mustHear,
      launch: (auth) => this.#launch(null, 0, auth),
      dispose: (live) => this.#dispose(live),
      switchTo: (probe) => this.#switchTo(probe),
      told: (reason, notice) => {
        this.#notice = notice;
        // Same carrier, so no `transport` event: the state now says why it is on this rung.
        this.#d.store.dispatch({ type: 'connected', at: this.#d.clock.now(), reason, transport: this.#active!.name, fallback: true, notice });
        this.#d.memory.remember(this.#active!.name);
        this.#d.hooks.error(notice);
      },
    };
  }

  /**
   * A rung below the top opened before the climb chunk loaded: it waits for the chunk (what arrives
   * meanwhile is held), then opens. A chunk that cannot load fails the attempt as `UNREACHABLE`.
   */
  #openLater(live: Live, round: Round): void {
    live.held = [];
    loadClimb().then(
      () => {
        if (this.#live.has(live)) this.#onOpen(live);
      },
      (error: LifelineError) => {
        if (!this.#live.has(live)) return;
        this.#dispose(live);
        if (round.gen !== this.#gen || !this.#running) return;
        const failure: TransportFailure = { kind: 'unreachable', reason: error.message, error, opened: false };
        if (round.pending.size > 0) return this.#onFail(round, live.rung, failure); // another attempt may still connect
        // The round's answer (not "everything is down"): retried on the ladder's rung like any unreachable one.
        this.#endRound(failure, true);
      },
    );
  }

  #onOpen(live: Live): void {
    const climb = this.#climb();
    if (live === climb?.probe) return void climb.opened(live);
    const round = live.round;
    if (!round || round.gen !== this.#gen || !this.#running) return this.#dispose(live);
    if (live.rung > 0 && !climb) return this.#openLater(live, round);
    this.#headStart.cancel();
    round.pending.delete(live);
    // Happy Eyeballs: a lower rung won the race while the top attempt is still trying (slow, not
    // failed). Keep that attempt: if it opens, it takes over make-before-break (as a probe does).
    const top = live.rung > this.#rung ? [...round.pending].find((l) => l.rung === this.#rung) : undefined;
    for (const loser of [...round.pending]) if (loser !== top) this.#dispose(loser);
    this.#round = null;
    live.openedAt = this.#d.clock.now();
    this.#active = live;
    this.#climbedFrom = null;
    let reason = this.#why ?? `connected over ${live.name}`;
    this.#why = null;
    if (live.rung > this.#rung) {
      // What this round waited (#proven is reset below); a kept top attempt is not a failure yet.
      const fallback = climb!.fell(live, round, this.#rung, this.#headStartMs(), top);
      reason = fallback.reason;
      this.#rung = live.rung;
      this.#failures = 0;
      this.#proven = false;
      if (fallback.notice) this.#d.hooks.error((this.#notice = fallback.notice));
    } else if (this.#rung === 0) this.#notice = null;
    // Failures reset only once the connection outlives its probation (see #onActiveLost), so a
    // connection that opens and dies at once still counts against its rung.
    this.#refusals = 0;
    this.#d.store.dispatch({ type: 'connected', at: live.openedAt, reason, transport: live.name, fallback: live.rung > 0, notice: this.#notice, recovered: live.transport.recovered });
    // A rung that only won a head-start race is not remembered: the top one may just be slow.
    if (live.rung > 0 && !top) this.#d.memory.remember(live.name);
    else if (live.rung === 0) this.#d.memory.forget();
    this.#d.hooks.activated(live.transport, false);
    const held = live.held;
    live.held = undefined;
    for (const message of held ?? []) this.#onMessage(live, message);
    climb?.schedule();
  }

  #onClose(live: Live, failure: TransportFailure): void {
    this.#live.delete(live);
    live.bag.dispose();
    // The top attempt kept from the race failed after all (tells the fall), or a probe failed.
    if (live === this.#climber?.probe) return this.#climber.lost(live, failure);
    if (live === this.#active) return this.#onActiveLost(live, failure);
    const round = live.round;
    if (!round || round.gen !== this.#gen || !this.#running) return;
    round.pending.delete(live);
    this.#onFail(round, live.rung, failure);
  }

  #onFail(round: Round, rung: number, failure: TransportFailure): void {
    if (rung === this.#rung) {
      round.primaryFailure = failure;
      // The server itself refused: a racing carrier would get the same answer.
      if (serverAnswered(failure.kind)) for (const other of [...round.pending]) this.#dispose(other);
      if (shouldVerify(failure, this.#policy(), this.#config())) this.#race();
    } else {
      round.racerFailure = failure;
      // Not "everything is down" yet while a rung further down has not been asked (http).
      const next = askNext(failure, rung, this.#rungs.length);
      if (next !== null && next > round.asked) {
        round.asked = next;
        this.#launch(round, next);
        if (this.#round !== round) return; // its factory threw and that already ended the round
      }
    }
    if (round.pending.size > 0) return; // the other candidate may still connect
    this.#roundFailed(round);
  }

  #roundFailed(round: Round): void {
    const url = this.#d.options.url + this.#d.options.path;
    const { failure, verified } = roundFailure(round.primaryFailure, round.racerFailure, this.#rungs.slice(this.#rung, Math.max(round.asked, this.#rung + 1) + 1), url);
    this.#endRound(failure, verified);
  }

  /** The round is over without a connection: its failure goes to the policy. */
  #endRound(failure: TransportFailure, verified: boolean): void {
    this.#headStart.cancel();
    this.#round = null;
    this.#failed({ type: 'failed', failure, verified });
  }

  #policy(): LadderState {
    return { rung: this.#rung, failures: this.#failures, refusals: this.#refusals, attempt: this.#attempt, mustHear: this.#mustHear, proven: this.#proven };
  }

  #config() {
    return { rungs: this.#rungs, attempts: this.#d.options.reconnect.attempts };
  }

  /** Applies one `ladderPolicy.step`: the counters it returns, then the I/O its decision asks for. */
  #failed(event: LadderEvent): void {
    const r = step(this.#policy(), event, this.#config());
    ({ rung: this.#rung, failures: this.#failures, refusals: this.#refusals, attempt: this.#attempt, mustHear: this.#mustHear, proven: this.#proven } = r.state);
    const { failure, decision: d } = r;
    // A mute connection: until one answers again, an unanswered first heartbeat is verified before it counts.
    if (r.mute) this.#hb.answered = false;
    const at = this.#d.clock.now();
    const error = failure.error ?? null;
    if (event.type === 'lost') this.#d.store.dispatch({ type: 'lost', at, reason: d.type === 'return' ? d.why : failure.reason, error });
    if (d.type === 'return') {
      this.#notice = error;
      this.#why = d.why;
      return void this.#attemptNow(d.why);
    }
    if (d.type === 'stop') {
      if (error) this.#d.hooks.error(error);
      return this.stop(`stopped: ${failure.reason}`, error);
    }
    this.#d.store.dispatch({ type: 'failed', at, reason: failure.reason, attempt: this.#attempt, error });
    if (d.type === 'escalate') {
      this.#climber?.reset();
      this.#notice = error;
      this.#why = d.why;
      return void this.#attemptNow(d.why);
    }
    if (d.restart) this.#why = null;
    const { reconnect } = this.#d.options;
    this.#retry.schedule(d.delay === 'loss' ? delayAfterLoss(reconnect, this.#d.random) : delayFor(this.#attempt, reconnect, this.#d.random, d.delay === 'spread'));
  }

  #onActiveLost(live: Live, failure: TransportFailure): void {
    this.#active = null;
    this.#climber?.stop();
    if (!this.#running) return;
    const early = this.#d.clock.now() - live.openedAt < (this.#d.probationMs ?? DEFAULTS.probationMs);
    const climbedFrom = this.#climbedFrom;
    this.#climbedFrom = null;
    this.#failed({ type: 'lost', failure, rung: live.rung, early, heard: live.heard, climbedFrom });
  }

  #onHeard(live: Live): void {
    live.heard = true;
    this.#climber?.heard(live);
  }

  /** Make-before-break: the probe (channels joined) becomes the active transport. */
  #switchTo(probe: Live): void {
    const old = this.#active!;
    probe.openedAt = this.#d.clock.now();
    this.#active = probe;
    this.#rung = 0;
    this.#failures = this.#refusals = this.#attempt = 0;
    this.#proven = false;
    this.#notice = null;
    this.#d.store.dispatch({ type: 'connected', at: probe.openedAt, reason: `${probe.name} works again: climbed back from ${old.name}`, transport: probe.name, fallback: false, notice: null, recovered: probe.transport.recovered });
    this.#dispose(old);
    this.#climbedFrom = old.rung;
    this.#d.memory.forget();
    this.#d.hooks.activated(probe.transport, true);
  }
}
