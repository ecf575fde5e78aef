/**
 * The `http` rung: the Lifeline HTTP protocol (PROTOCOL.md) — long-poll `GET {base}/poll`
 * (interval polling when `wait` is 0 or the host cuts long requests) and `POST {base}/emit` —
 * or a user-supplied `http.poll` adapter for an existing REST endpoint.
 *
 * Cursor: ids are global per namespace, so one poll covers every channel from the earliest
 * cursor known (the server's last answer, or an older cursor a join asked for). Such a rewound
 * poll repeats events of channels already past that cursor: this transport delivers them as
 * they come and the client's channel registry drops what it has seen (one dedupe, by id against
 * each channel's cursor, for every rung and across transport switches). A cursor the server no longer has (410) fails a join that asked for
 * it with `CURSOR_EXPIRED`; for channels already joined it is reported as an `expired` event
 * `(channel, message)` (never as a message: a server event may have any name) and polling
 * resumes from the server's latest id.
 */
import { DEFAULTS, WIRE } from '../constants';
import { LifelineError, messageOf } from '../errors';
import { deadline } from '../deadline';
import { HTTP } from '../protocol/http';
import { compareIds } from '../protocol/ids';
import { authHeaders, earliest, emitUrl, parsePollBody, pollUrl } from './httpProtocol';
import { adapterExchange, adapterFailure, randomId, seenBefore, type AdapterAnswer } from './httpAdapter';
import { postEmit } from './httpEmit';
import { TransportLifecycle } from './lifecycle';
import { exchange, type Exchange } from './httpRequest';
import type { AckCallback, IncomingEvent, JoinResult, PollCursor, SessionMemory, Transport, TransportContext, TransportEvents, TransportFactory, TransportFailure, TransportFailureKind } from './types';

/** A long-poll answered empty faster than this counts as "cut short" by the host. */
const QUICK_MS = 1000;
/** After this many such answers in a row the transport switches to interval polling. */
const QUICK_LIMIT = 3;

interface PendingJoin {
  readonly cursor: string | undefined;
  readonly resolve: (result: JoinResult) => void;
}

/**
 * Creates the `http` transport for one attempt. Needs `ctx.http.url` or `ctx.http.poll`.
 *
 * @example
 * ```ts
 * const t = createHttpTransport({ ...ctx, http: { url: 'https://api.example.com/lifeline', wait: 25 } });
 * t.on('open', () => void t.join('ticket:42', undefined));
 * t.on('message', (m) => console.log(m.channel, m.event, m.data));
 * t.connect();
 * ```
 */
export const createHttpTransport: TransportFactory = (ctx) => {
  if (!ctx.http?.url && !ctx.http?.poll) {
    throw new LifelineError('BAD_INPUT', 'The http transport needs `http.url` (the Lifeline endpoint) or `http.poll` (an adapter).', {
      transport: 'http',
      serverMessage: 'Pass `http: { url: "https://api.example.com/lifeline" }` or `http: { poll }` to createClient.',
    });
  }
  return new HttpTransport(ctx);
};

class HttpTransport implements Transport {
  readonly name = 'http' as const;
  /** An adapter without `send` cannot carry emits: they wait in the outbox for a socket rung. */
  readonly receiveOnly: boolean;
  readonly #ctx: TransportContext;
  readonly #session: SessionMemory;
  readonly #seen: Set<string>;
  readonly #flushes: Array<() => void> = [];
  readonly #fetch: typeof fetch;
  readonly #wait: number;
  readonly #intervalMs: number;
  readonly #headers: Record<string, string>;
  readonly #lifecycle = new TransportLifecycle(() => this.#shutdown());
  readonly #life = new AbortController();
  readonly #joined = new Set<string>();
  readonly #pending = new Map<string, PendingJoin>();
  readonly #sleeps = new Set<{ timer: ReturnType<typeof setTimeout>; wake: () => void; onJoin: boolean }>();
  readonly #acks = new Set<AckCallback>();
  #state: 'idle' | 'connecting' | 'open' | 'dead' = 'idle';
  #cursor: string | undefined;
  #poll: { controller: AbortController; long: boolean } | undefined;
  #interval: boolean;
  #quick = 0;
  #expiredRun = 0;
  #emits: Promise<void> = Promise.resolve();
  /**
   * The poller's id: its polls keep its user present in the channels it polls. One per client
   * (kept in the client's session memory), not per attempt, so a reconnect on this rung
   * refreshes the same presence connection instead of adding one that lingers until it expires.
   */
  readonly #sid: string;
  /** The last presence snapshot per channel (JSON), to tell a change from a repeat. */
  readonly #seenPresence = new Map<string, string>();

  constructor(ctx: TransportContext) {
    this.#ctx = ctx;
    this.#session = ctx.session ?? { report: () => {} };
    this.#seen = this.#session.seen ??= new Set();
    this.receiveOnly = !ctx.http?.url && !ctx.http?.send;
    const f = ctx.http?.fetch;
    // withCredentials: cookies go with every poll and emit to an API on another origin.
    const credentials: RequestInit = ctx.withCredentials ? { credentials: 'include' } : {};
    this.#fetch = (input, init) => (f ?? globalThis.fetch)(input, { ...init, ...credentials });
    this.#wait = Math.min(30, Math.max(0, ctx.http?.wait ?? HTTP.defaultWaitSeconds));
    this.#intervalMs = Math.max(0, ctx.http?.intervalMs ?? DEFAULTS.httpIntervalMs);
    this.#interval = this.#wait === 0 || !ctx.http?.url;
    this.#headers = { accept: 'application/json', ...authHeaders(ctx.auth) };
    this.#sid = this.#session.sid ??= randomId();
  }

  on<K extends keyof TransportEvents>(event: K, listener: TransportEvents[K]): () => void {
    return this.#lifecycle.on(event, listener);
  }

  connect(): void {
    if (this.#state !== 'idle') return;
    this.#state = 'connecting';
    void this.#run();
  }

  join(channel: string, cursor: string | undefined): Promise<JoinResult> {
    if (this.#state === 'dead') return Promise.resolve({ ok: false, code: 'TIMEOUT', message: 'The http transport is closed.' });
    return new Promise<JoinResult>((resolve) => {
      this.#pending.get(channel)?.resolve({ ok: false, code: 'TIMEOUT', message: `Superseded by a newer join of "${channel}".` });
      this.#pending.set(channel, { cursor, resolve });
      this.#interrupt();
    });
  }

  leave(channel: string): Promise<void> {
    this.#joined.delete(channel);
    const pending = this.#pending.get(channel);
    this.#pending.delete(channel);
    pending?.resolve({ ok: true, cursor: undefined });
    return Promise.resolve();
  }

  /** `GET {base}/history?channel=&limit=&before=`, answered like `lifeline:history`. */
  async history(channel: string, query: { readonly limit: number; readonly before?: string | undefined }, timeoutMs: number): Promise<unknown> {
    const base = this.#ctx.http?.url;
    if (!base || this.#state === 'dead') return { ok: false, code: 'UNSUPPORTED', message: base ? 'The http transport is closed.' : 'An http.poll adapter has no history.' };
    const q = new URLSearchParams({ channel, limit: String(query.limit), ...(query.before === undefined ? {} : { before: query.before }) });
    const answer = await exchange({ fetch: this.#fetch, url: `${base.replace(/\/+$/, '')}/history?${q}`, init: { method: 'GET', headers: this.#headers, cache: 'no-store' }, signal: this.#life.signal, deadlineMs: timeoutMs });
    if (answer.kind === 'ok') return { ok: true, ...answer.body };
    if (answer.kind === 'forbidden') return { ok: false, code: 'FORBIDDEN', message: answer.error.message };
    return { ok: false, code: 'error' in answer ? answer.error.code : 'TIMEOUT', message: 'error' in answer ? answer.error.message : answer.kind };
  }

  send(event: string, data: unknown, ack?: AckCallback, volatile?: boolean): void {
    if (volatile) {
      // One best-effort POST, outside the ordered chain: no ack, no retry, nothing reported.
      const url = this.#ctx.http?.url;
      const send = this.#ctx.http?.send;
      if (this.#state !== 'open') return;
      if (url) void this.#emit(emitUrl(url), event, data, randomId(), () => {}, 0);
      else send?.(event, data, { auth: this.#ctx.auth, signal: this.#life.signal }).catch(() => {});
      return;
    }
    if (ack) this.#acks.add(ack);
    const reply: AckCallback = (error, value) => {
      if (ack && this.#acks.delete(ack)) ack(error, value);
    };
    if (this.#state === 'dead') return reply(new LifelineError('CLOSED', 'The http transport is closed.', { event, transport: 'http' }));
    const url = this.#ctx.http?.url;
    const adapter = this.#ctx.http?.send;
    // The client keeps emits in its outbox while a receive-only adapter is active: only a direct call lands here.
    if (!url && !adapter) return reply(new LifelineError('CLOSED', `Cannot send "${event}": the http.poll adapter has no \`send\`.`, { event, transport: 'http' }));
    const id = randomId();
    // One emit at a time, in order (the outbox flushes in order); a failure never breaks the chain.
    this.#emits = this.#emits
      .then(() => (url ? this.#emit(emitUrl(url), event, data, id, reply) : this.#sendVia(adapter!, event, data, reply, ack !== undefined)))
      .catch(() => {});
  }

  flush(): Promise<void> {
    if (this.#state !== 'open') return Promise.resolve();
    return new Promise((resolve) => {
      this.#flushes.push(resolve);
      this.#interrupt();
    });
  }

  close(): void {
    // One last poll without channels tells the companion this poller is gone: its presence ends
    // now (members leave after the grace period) rather than when its next poll is overdue (the
    // wait plus 10 s). Best effort: not awaited, errors ignored, bounded by a timeout.
    const url = this.#ctx.http?.url;
    if (this.#state === 'open' && url && this.#joined.size > 0) {
      try {
        // AbortSignal.timeout: Safari 16+; older browsers send it without a bound.
        const signal = typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(this.#ctx.timeoutMs) : undefined;
        this.#fetch(pollUrl(url, [], undefined, 0, this.#sid), { method: 'GET', headers: this.#headers, cache: 'no-store', keepalive: true, ...(signal ? { signal } : {}) }).then((r) => r.body?.cancel(), () => {});
      } catch {
        // a fetch that throws at once (an app's own `http.fetch`): closing must not
      }
    }
    this.#lifecycle.close();
  }

  /** Ends every request, sleep, pending join and ack (once: the lifecycle calls it). */
  #shutdown(): void {
    this.#state = 'dead';
    this.#life.abort();
    for (const s of this.#sleeps) {
      clearTimeout(s.timer);
      s.wake();
    }
    this.#sleeps.clear();
    for (const p of this.#pending.values()) p.resolve({ ok: false, code: 'TIMEOUT', message: 'The http transport closed before the join completed.' });
    this.#pending.clear();
    for (const flushed of this.#flushes.splice(0)) flushed();
    const acks = [...this.#acks];
    this.#acks.clear();
    for (const ack of acks) ack(new LifelineError('CLOSED', 'The http transport closed before the server answered.', { transport: 'http' }));
  }

  async #run(): Promise<void> {
    // An adapter's first poll asks for the channels the client wants and from where it stands
    // (its last cursor, or the last event seen on a socket rung): nothing in between is skipped.
    const adapter = this.#ctx.http?.poll !== undefined;
    const wanted = adapter ? [...(this.#ctx.joins?.() ?? [])] : [];
    const first = await this.#request(wanted, undefined, 0, this.#ctx.timeoutMs);
    if (this.#state !== 'connecting') return;
    const body = this.#read(first);
    if (!body) return;
    if (!adapter) this.#cursor = body.cursor as string | undefined;
    // Polled for them already: until the client's joins arrive, later polls must ask for them too.
    for (const channel of wanted) this.#joined.add(channel);
    this.#state = 'open';
    this.#lifecycle.events.emit('open');
    // An HTTP answer is already a round trip: the carrier is proven as it opens.
    if (this.#state === 'open') this.#lifecycle.events.emit('heard');
    this.#deliver(body.events, body.cursor);
    await this.#loop();
  }

  /** The events and cursor of a poll answer; undefined after failing the transport. */
  #read(answer: Exchange | AdapterAnswer): { events: IncomingEvent[]; cursor: PollCursor | undefined } | undefined {
    if (answer.kind === 'polled') {
      this.#session.failing = false;
      return answer;
    }
    if (answer.kind !== 'ok') {
      // An adapter outage is retried by the ladder: say so once, not on every retry.
      if (this.#ctx.http?.poll && (answer.kind === 'unreachable' || answer.kind === 'timeout') && !this.#session.failing) {
        this.#session.failing = true;
        this.#session.report(answer.error);
      }
      this.#failWith(answer);
      return undefined;
    }
    const body = parsePollBody(answer.body);
    if (!body) this.#fail('protocol', 'poll answer is not { events, cursor }', this.#badBody(answer.body));
    return body;
  }

  async #loop(): Promise<void> {
    while (this.#state === 'open') {
      const pending = new Map(this.#pending);
      // A join whose cursor is after our own position would be hidden by a poll from the earliest
      // cursor (the server would never see it): it is asked about alone first. After the server's
      // latest id it is expired: the log started over (a restart, a new Redis key, FLUSHDB).
      const ahead = new Map([...pending].filter(([, p]) => p.cursor !== undefined && this.#cursor !== undefined && compareIds(p.cursor, this.#cursor) > 0));
      const joining = ahead.size > 0 ? ahead : pending;
      const channels = [...new Set([...(ahead.size > 0 ? [] : this.#joined), ...joining.keys()])];
      const cursor = earliest([...(ahead.size > 0 ? [] : [this.#cursor]), ...[...joining.values()].map((p) => p.cursor)]);
      const wait = joining.size > 0 || this.#interval ? 0 : this.#wait;
      const started = Date.now();
      const flushes = this.#flushes.length; // asked before this poll started: answered by it
      const answer = await this.#request(channels, cursor, wait, wait * 1000 + this.#ctx.timeoutMs);
      if (this.#state !== 'open') return;
      if (answer.kind === 'aborted') continue;
      if (answer.kind === 'retry-after') {
        await this.#delay(answer.ms, false);
        continue;
      }
      if (answer.kind === 'expired') {
        // Each 410 moves us to the server's latest id; answering 410 to that too is a broken server.
        if (ahead.size === 0 && ++this.#expiredRun > 3) return this.#fail('protocol', 'the server keeps answering 410 to its own latest cursor', new LifelineError('PROTOCOL', 'The server answers 410 even to the cursor it returned.', { url: this.#ctx.http?.url, status: 410, transport: 'http' }));
        this.#expired(joining, cursor, answer.cursor, answer.message);
        continue;
      }
      this.#expiredRun = 0;
      if (answer.kind === 'forbidden' && answer.channel !== undefined && joining.has(answer.channel)) {
        this.#settle(answer.channel, joining, { ok: false, code: 'FORBIDDEN', message: answer.error.message });
        continue;
      }
      if (answer.kind === 'refused' && this.#refused(answer, joining)) continue;
      const body = this.#read(answer);
      if (!body) return;
      this.#deliver(body.events, body.cursor);
      for (const flushed of this.#flushes.splice(0, flushes)) flushed();
      let presenceChanged = false;
      if (answer.kind === 'polled') {
        for (const channel of joining.keys()) this.#settle(channel, joining, { ok: true });
      } else {
        if (answer.kind === 'ok') presenceChanged = this.#presence(answer.body.presence);
        const next = body.cursor as string | undefined;
        if (next !== undefined && ahead.size === 0) this.#cursor = next;
        for (const [channel, p] of joining) this.#settle(channel, joining, { ok: true, cursor: next ?? p.cursor });
      }
      if (wait > 0) this.#noteQuick(body.events.length === 0 && !presenceChanged && Date.now() - started < QUICK_MS);
      if (this.#interval && this.#pending.size === 0) await this.#delay(this.#intervalMs, true);
    }
  }

  /**
   * Delivers events of joined/joining channels and channel-less
   * events. Dedupe of logged ids is the registry's; an adapter's ids (any string or number) are
   * deduplicated here by identity, across reconnects (the memory is the client's, bounded).
   */
  #deliver(events: ReadonlyArray<IncomingEvent>, cursor: PollCursor | undefined): void {
    const adapter = this.#ctx.http?.poll !== undefined;
    for (const e of events) {
      if (this.#state !== 'open') return;
      if (e.channel !== undefined && !this.#joined.has(e.channel) && !this.#pending.has(e.channel)) continue;
      if (adapter && e.id !== undefined && seenBefore(this.#seen, e.id)) continue;
      this.#lifecycle.events.emit('message', e);
    }
    // After the events: the client's `cursorOf` dedupe compares each event with the position before it.
    if (adapter && cursor !== undefined && this.#state === 'open') this.#session.cursor = cursor;
  }

  /**
   * `presence` of a poll answer, `{ channel: members }`: a snapshot per channel, delivered like
   * `lifeline:presence`. True when one differs from the last: a long-poll answered early because
   * presence changed is not a host cutting long requests short.
   */
  #presence(presence: unknown): boolean {
    if (typeof presence !== 'object' || presence === null) return false;
    let changed = false;
    for (const [channel, members] of Object.entries(presence)) {
      const text = JSON.stringify(members);
      if (this.#seenPresence.get(channel) !== text) changed = true;
      this.#seenPresence.set(channel, text);
      if (this.#state === 'open' && (this.#joined.has(channel) || this.#pending.has(channel))) this.#lifecycle.events.emit('message', { event: WIRE.presence, data: { channel, members } });
    }
    return changed;
  }

  #settle(channel: string, joining: ReadonlyMap<string, PendingJoin>, result: JoinResult): void {
    const p = joining.get(channel);
    if (!p || this.#pending.get(channel) !== p) return; // left or re-joined meanwhile
    this.#pending.delete(channel);
    if (result.ok) this.#joined.add(channel);
    p.resolve(result);
  }

  /**
   * 400 `LIMIT` / a refused channel name: the joins the server will not hold fail (past `max`,
   * the ones asked last), the transport and its other channels go on. False when no join was to blame.
   */
  #refused(answer: Extract<Exchange, { kind: 'refused' }>, joining: ReadonlyMap<string, PendingJoin>): boolean {
    let room = answer.max - this.#joined.size;
    const blamed = [...joining.keys()].filter((c) => (answer.code === 'LIMIT' ? room-- <= 0 : c === answer.channel));
    for (const c of blamed) this.#settle(c, joining, { ok: false, code: answer.code, message: answer.error.message });
    return blamed.length > 0;
  }

  /** 410: joins that asked for an old cursor fail; joined channels are reported `expired` and resume from now. */
  #expired(joining: ReadonlyMap<string, PendingJoin>, polled: string | undefined, latest: string | undefined, message: string): void {
    let blamed = false;
    for (const [channel, p] of joining) {
      if (p.cursor !== undefined && polled !== undefined && compareIds(p.cursor, polled) === 0) {
        blamed = true;
        this.#settle(channel, joining, { ok: false, code: 'CURSOR_EXPIRED', message, cursor: latest });
      }
    }
    if (blamed && this.#cursor !== polled) return; // the server still has our own position
    this.#cursor = latest;
    for (const channel of this.#joined) this.#lifecycle.events.emit('expired', channel, message);
  }

  #noteQuick(quick: boolean): void {
    this.#quick = quick ? this.#quick + 1 : 0;
    if (this.#quick >= QUICK_LIMIT) this.#interval = true;
  }

  /** A join wants to take effect now: cut a held long-poll short, or wake an interval sleep. */
  #interrupt(): void {
    if (this.#poll?.long) this.#poll.controller.abort();
    for (const s of this.#sleeps) {
      if (!s.onJoin) continue;
      clearTimeout(s.timer);
      this.#sleeps.delete(s);
      s.wake();
    }
  }

  /** One round trip to the endpoint: a plain poll (`wait=0`, no channels) or one adapter call; any answer counts. */
  async ping(timeoutMs: number): Promise<void> {
    if (this.#state !== 'open') throw new LifelineError('UNREACHABLE', 'Cannot ping: the http transport is not open.', { transport: 'http' });
    const url = this.#ctx.http?.url;
    const adapter = this.#ctx.http?.poll;
    const controller = new AbortController();
    const onClose = () => controller.abort();
    this.#life.signal.addEventListener('abort', onClose);
    const cancel = deadline(timeoutMs, () => controller.abort());
    try {
      const answer = adapter
        ? await adapterExchange(adapter, { cursor: this.#session.cursor, channels: [...this.#joined], auth: this.#ctx.auth, query: this.#ctx.query ?? {}, signal: controller.signal })
        : await exchange({ fetch: this.#fetch, url: pollUrl(url ?? '', [], undefined, 0), init: { method: 'GET', headers: this.#headers, cache: 'no-store' }, signal: controller.signal, deadlineMs: timeoutMs });
      if (answer.kind === 'aborted' || answer.kind === 'timeout' || answer.kind === 'unreachable') {
        if (this.#life.signal.aborted) throw new LifelineError('UNREACHABLE', 'The http transport closed before the ping was answered.', { transport: 'http' });
        if (answer.kind === 'unreachable') throw answer.error;
        throw new LifelineError('TIMEOUT', `No answer to a ping within ${timeoutMs} ms over http.`, { url, timeoutMs, transport: 'http' });
      }
    } finally {
      cancel();
      this.#life.signal.removeEventListener('abort', onClose);
    }
  }

  async #request(channels: string[], cursor: string | undefined, wait: number, deadlineMs: number): Promise<Exchange | AdapterAnswer> {
    const controller = new AbortController();
    const onClose = () => controller.abort();
    this.#life.signal.addEventListener('abort', onClose);
    this.#poll = { controller, long: wait > 0 };
    let cancel: (() => void) | undefined;
    try {
      const adapter = this.#ctx.http?.poll;
      if (adapter) {
        // An adapter that never settles (one that ignores `signal`) must not hang the rung.
        const late = new Promise<AdapterAnswer>((resolve) => {
          cancel = deadline(deadlineMs, () => {
            controller.abort();
            resolve({ kind: 'timeout', error: new LifelineError('TIMEOUT', `http.poll: no answer in ${deadlineMs} ms.`, { timeoutMs: deadlineMs, transport: 'http' }) });
          });
        });
        return await Promise.race([adapterExchange(adapter, { cursor: this.#session.cursor, channels, auth: this.#ctx.auth, query: this.#ctx.query ?? {}, signal: controller.signal }), late]);
      }
      return await exchange({
        fetch: this.#fetch,
        url: pollUrl(this.#ctx.http?.url ?? '', channels, cursor, wait, this.#sid),
        init: { method: 'GET', headers: this.#headers, cache: 'no-store' },
        signal: controller.signal,
        deadlineMs,
      });
    } finally {
      cancel?.();
      this.#life.signal.removeEventListener('abort', onClose);
      if (this.#poll?.controller === controller) this.#poll = undefined;
    }
  }

  async #emit(url: string, event: string, data: unknown, id: string, reply: AckCallback, retries?: number): Promise<void> {
    const deps = { fetch: this.#fetch, url, headers: this.#headers, signal: this.#life.signal, timeoutMs: this.#ctx.timeoutMs, delay: (ms: number) => this.#delay(ms, false), retries };
    const outcome = await postEmit(deps, event, data, id);
    reply(outcome.error, outcome.reply);
    if (outcome.unauthorized && outcome.error) this.#fail('unauthorized', 'server refused the credentials (401)', outcome.error);
  }

  /** An emit through the app's `http.send`: its result is the ack reply; a 401 closes the rung. */
  async #sendVia(send: NonNullable<NonNullable<TransportContext['http']>['send']>, event: string, data: unknown, reply: AckCallback, acked: boolean): Promise<void> {
    try {
      reply(null, await send(event, data, { auth: this.#ctx.auth, signal: this.#life.signal }));
    } catch (e) {
      if (this.#state === 'dead') return reply(new LifelineError('CLOSED', 'The http transport closed before the server answered.', { event, transport: 'http' }));
      const failure = adapterFailure(e, 'http.send');
      const error = 'error' in failure ? failure.error : new LifelineError('UNREACHABLE', messageOf(e), { event, transport: 'http' });
      reply(error);
      if (!acked) this.#session.report(error); // nobody waits for this emit: say it failed
      if (failure.kind === 'unauthorized') this.#fail('unauthorized', 'server refused the credentials (401)', failure.error);
    }
  }

  #delay(ms: number, onJoin: boolean): Promise<void> {
    return new Promise((resolve) => {
      if (this.#state === 'dead') return resolve();
      const entry = { timer: setTimeout(() => (this.#sleeps.delete(entry), resolve()), ms), wake: resolve, onJoin };
      this.#sleeps.add(entry);
    });
  }

  #badBody(body: unknown): LifelineError {
    return new LifelineError('PROTOCOL', 'The poll answer is not { events: [...], cursor }.', { url: this.#ctx.http?.url, transport: 'http', bodySnippet: JSON.stringify(body).slice(0, 200) });
  }

  #failWith(answer: Exchange | AdapterAnswer): void {
    switch (answer.kind) {
      case 'ok':
      case 'polled':
      case 'aborted':
        return;
      case 'retry-after':
      case 'expired':
      case 'handler-error':
        return this.#fail('protocol', `unexpected ${answer.kind} answer`, undefined);
      case 'bad-input':
      case 'refused':
        return this.#fail('protocol', answer.error.message, answer.error);
      default:
        return this.#fail(answer.kind, answer.error.message, answer.error);
    }
  }

  #fail(kind: TransportFailureKind, reason: string, error: LifelineError | undefined): void {
    if (this.#state === 'dead') return;
    this.#lifecycle.fail({ kind, reason: `http: ${reason}`, opened: this.#state === 'open', ...(error ? { error } : {}) });
  }
}
