/**
 * Liveness of one Socket.IO connection: an acknowledged ping whenever nothing has arrived for
 * `intervalMs` (any incoming frame counts as proof, so a busy stream pays nothing).
 *
 * Whether the server answers is learned per connection, so an unmodified server never gets a
 * false alarm. Socket.IO never answers an ack for an event nobody handles, so "no answer" alone
 * cannot tell a dead connection from a server without the companion. The rules:
 * - an answer proves the server answers heartbeats (`yes`): from then on a heartbeat that goes
 *   unanswered while nothing else arrives means the connection died (`silent`);
 * - an unanswered heartbeat while other frames did arrive proves the connection alive and the
 *   server deaf to heartbeats (`no`): heartbeats stop, Engine.IO's own ping remains, as today;
 * - a first heartbeat unanswered with nothing heard at all is ambiguous (an idle server without
 *   the companion looks the same as a dead flow). Unless the server is `expected` to answer, the
 *   transport then asks something every Socket.IO server answers (`verify`: a namespace CONNECT
 *   that it refuses or accepts): an answer means alive and deaf (`no`), silence means dead.
 *
 * `step` holds the decisions (pure, table-tested); `Heartbeat` is the timer and the I/O.
 * @internal
 */
import type { Clock } from './clock';
import { Timer } from './timer';

/** What heartbeats learn across one client's connections (held by the ladder). @internal */
export interface HeartbeatShared {
  /** The last connection that told answered heartbeats. */
  answered: boolean;
  /** The last round trip measured, ms. */
  rtt: number | null;
  /** Checks of the live connections, run on a wake-up (page visible again, back online). */
  readonly wakes: Set<() => void>;
}

/** Heartbeat settings of a connection (normalized `heartbeat` options). @internal */
export interface HeartbeatContext {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** The acked event (`lifeline:heartbeat`, or the app's `heartbeat.event`). */
  readonly event: string;
  /** The app named the event: its server answers it. */
  readonly custom: boolean;
  readonly shared?: HeartbeatShared;
}

/** @internal */
export interface HeartbeatState {
  /** Whether this connection answers heartbeats. */
  readonly answers: 'unknown' | 'yes' | 'no';
  /** Last time anything arrived. */
  readonly heardAt: number;
  /** When the unanswered heartbeat (or verification) was sent, or null. */
  readonly sentAt: number | null;
  /** The pending question is the verification of an unanswered first heartbeat. */
  readonly verifying?: boolean;
  /** When the timer is due (to tell a late timer: the machine slept or the loop stalled). */
  readonly dueAt: number;
}

/** @internal */
export type HeartbeatInput =
  | { readonly type: 'heard'; readonly at: number }
  | { readonly type: 'answered'; readonly at: number }
  | { readonly type: 'timer'; readonly at: number }
  /** The page became visible, the network came back: check now. */
  | { readonly type: 'wake'; readonly at: number };

/**
 * What to do: send a heartbeat, ask the universal question (`verify`), declare the connection
 * dead, or nothing; then wait until `dueAt`. @internal
 */
export type HeartbeatAction = 'send' | 'verify' | 'dead' | 'none';

/** A timer that fires this much later than due means this side slept: verify instead of judging. @internal */
export const LATE_MS = 1000;

/**
 * The pure rules. `dueAt` of the returned state is when to call again with a `timer` input
 * (`Infinity`: heartbeats stopped on this connection).
 *
 * @example
 * ```ts
 * step({ answers: 'yes', heardAt: 0, sentAt: 2000, dueAt: 4500 }, { type: 'timer', at: 4500 }, ctx); // action 'dead'
 * ```
 * @internal
 */
export function step(s: HeartbeatState, input: HeartbeatInput, ctx: { readonly intervalMs: number; readonly timeoutMs: number; readonly expected: boolean }): { state: HeartbeatState; action: HeartbeatAction } {
  const at = input.at;
  const send = (action: HeartbeatAction = 'send'): { state: HeartbeatState; action: HeartbeatAction } => ({ state: { ...s, sentAt: at, dueAt: at + ctx.timeoutMs, verifying: action === 'verify' }, action });
  const idle = (state: HeartbeatState): { state: HeartbeatState; action: HeartbeatAction } => ({ state: { ...state, sentAt: null, verifying: false, dueAt: state.answers === 'no' ? Infinity : state.heardAt + ctx.intervalMs }, action: 'none' });
  switch (input.type) {
    case 'heard':
      // The verification was answered: alive, and deaf to heartbeats.
      if (s.verifying) return idle({ ...s, heardAt: at, answers: 'no' });
      // Proof of life; a pending heartbeat keeps its deadline (its answer tells whether the server answers).
      return { state: { ...s, heardAt: at }, action: 'none' };
    case 'answered':
      return idle({ ...s, answers: 'yes', heardAt: at });
    case 'wake':
      return s.answers === 'no' ? { state: s, action: 'none' } : send();
    case 'timer': {
      if (at >= s.dueAt + LATE_MS) return s.answers === 'no' ? { state: s, action: 'none' } : send(); // slept: ask again, judge on the fresh answer
      if (s.sentAt === null) return at - s.heardAt >= ctx.intervalMs ? send() : idle(s);
      if (at < s.sentAt + ctx.timeoutMs) return { state: s, action: 'none' };
      if (s.heardAt > s.sentAt) return idle(s.answers === 'unknown' ? { ...s, answers: 'no' } : s); // alive, yet no answer
      if (s.answers === 'yes' || ctx.expected || s.verifying) return { state: { ...s, sentAt: null, verifying: false, dueAt: Infinity }, action: 'dead' };
      return send('verify'); // nothing heard, never answered: a server without the companion, or dead?
    }
  }
}

/**
 * Drives `step` for one connection. `send(event, onAnswer)` emits the heartbeat with an ack;
 * `dead()` is called at most once.
 *
 * @example
 * ```ts
 * const hb = new Heartbeat(ctx, clock, (event, answered) => socket.emit(event, answered), askAnything, () => fail('silent'));
 * hb.start(); socket.io.on('packet', hb.heard); // …later: hb.stop();
 * ```
 * @internal
 */
export class Heartbeat {
  readonly #ctx: HeartbeatContext & { readonly expected: boolean };
  readonly #clock: Clock;
  readonly #send: (event: string, answered: () => void) => void;
  readonly #verify: () => void;
  readonly #dead: () => void;
  readonly #timer: Timer;
  #state: HeartbeatState | null = null;
  /**
   * When the last frame arrived, not yet folded into `#state` (null: none since). Unless a
   * verification is pending, a frame only records its time: the timer checks it when it fires.
   */
  #heardAt: number | null = null;
  #told: HeartbeatState['answers'] = 'unknown';

  /** `verify()` asks the server something any Socket.IO server answers; its answer arrives as a frame (`heard`). */
  constructor(ctx: HeartbeatContext, clock: Clock, send: (event: string, answered: () => void) => void, verify: () => void, dead: () => void) {
    // Whether an unanswered first heartbeat with nothing heard is death at once, decided per
    // connection: the app named the event, or the last connection that told was answered.
    this.#ctx = { ...ctx, expected: ctx.custom || !!ctx.shared?.answered };
    this.#clock = clock;
    this.#send = send;
    this.#verify = verify;
    this.#dead = dead;
    this.#timer = new Timer(clock, () => this.#input('timer'), true);
  }

  /** Starts on a fresh connection with a first heartbeat at once: its answer says whether the server answers. */
  start(): void {
    const at = this.#clock.now();
    this.#heardAt = null;
    this.#state = { answers: 'unknown', heardAt: at, sentAt: null, dueAt: at };
    this.#apply({ state: { ...this.#state, sentAt: at, dueAt: at + this.#ctx.timeoutMs }, action: 'send' });
  }

  /** Whether this connection answers heartbeats, as far as known. */
  get answers(): HeartbeatState['answers'] {
    return this.#state?.answers ?? 'unknown';
  }

  /**
   * The last state decided (frames heard while idle are folded in at the next decision), for
   * tests and diagnostics.
   */
  get state(): HeartbeatState | null {
    return this.#state;
  }

  /**
   * Anything arrived. This runs per incoming packet: unless it answers a verification, it only
   * records the time (no new state, no timer change), which is all `step` would do with it.
   */
  heard = (): void => {
    const s = this.#state;
    if (s && !s.verifying) this.#heardAt = this.#clock.now();
    else this.#input('heard');
  };

  /** Check now (wake-up). */
  wake = (): void => this.#input('wake');

  stop(): void {
    this.#state = null;
    this.#heardAt = null;
    this.#timer.cancel();
  }

  #input(type: 'heard' | 'timer' | 'wake' | 'answered'): void {
    let prev = this.#state;
    if (!prev) return;
    if (this.#heardAt !== null) {
      prev = { ...prev, heardAt: this.#heardAt };
      this.#heardAt = null;
    }
    const next = step(prev, { type, at: this.#clock.now() }, this.#ctx);
    // A frame that changes no deadline leaves the timer alone (re-arming it on every frame would cost).
    this.#apply(next, type === 'heard' && next.state.dueAt === prev.dueAt);
  }

  #apply({ state, action }: { state: HeartbeatState; action: HeartbeatAction }, keepTimer = false): void {
    this.#state = state;
    const shared = this.#ctx.shared;
    if (state.answers !== this.#told && state.answers !== 'unknown' && shared) shared.answered = (this.#told = state.answers) === 'yes';
    if (action === 'dead') {
      this.stop();
      return this.#dead();
    }
    if (action === 'verify') this.#verify();
    if (action === 'send') {
      // Any answer, even to an earlier heartbeat, proves that the server answers.
      const sentAt = this.#clock.now();
      this.#send(this.#ctx.event, () => {
        if (!this.#state) return;
        if (this.#ctx.shared) this.#ctx.shared.rtt = this.#clock.now() - sentAt;
        this.#input('answered');
      });
    }
    if (!keepTimer) {
      if (Number.isFinite(state.dueAt)) this.#timer.schedule(state.dueAt - this.#clock.now());
      else this.#timer.cancel();
    }
  }
}
