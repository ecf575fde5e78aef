/**
 * The ladder's decisions as one pure function, table-tested without timers.
 * @internal
 */
import { LifelineError } from './errors';
import type { TransportFailure, TransportFailureKind, TransportName } from './transports/types';

const REFUSALS: ReadonlySet<TransportFailureKind> = new Set(['unauthorized', 'forbidden', 'protocol', 'invalid-namespace']);

/** True when the server itself answered "no" (auth, middleware, namespace): not a carrier problem. @internal */
export function isRefusal(kind: TransportFailureKind): boolean {
  return REFUSALS.has(kind);
}

/**
 * True when the server answered on this carrier, so another carrier would get the same answer: a
 * refusal, or a namespace CONNECT that the server never acknowledged after a working handshake.
 * @internal
 */
export function serverAnswered(kind: TransportFailureKind): boolean {
  return REFUSALS.has(kind) || kind === 'unacknowledged';
}

/**
 * A rung raced to verify a failure of the rung above failed too: which rung to ask next, or null
 * when the round is over. Every rung below is asked before "everything is down" is concluded: the
 * `http` rung is a different protocol, often on another route or host, and may answer while both
 * Engine.IO carriers are blocked (a filter on /socket.io, say). A refusal ends the round: the
 * server spoke, another carrier would get the same answer.
 *
 * @example
 * ```ts
 * askNext({ kind: 'unreachable', reason: 'polling failed (403)', opened: false }, 1, 3); // 2 (http)
 * ```
 * @internal
 */
export function askNext(racer: TransportFailure, racerRung: number, rungs: number): number | null {
  if (serverAnswered(racer.kind) || racer.kind === 'closed') return null;
  return racerRung + 1 < rungs ? racerRung + 1 : null;
}

/**
 * The one failure of a round in which every candidate failed. A server refusal on either carrier
 * is the answer; if the rungs below were asked and failed too, everything is down (`unreachable`,
 * `verified`), so escalating would only hide it. `names` lists the rungs asked, failed one first.
 *
 * @example
 * ```ts
 * roundFailure(wsReset, pollingDown, ['websocket', 'polling'], url).verified; // true
 * ```
 * @internal
 */
export function roundFailure(primary: TransportFailure | null, racer: TransportFailure | null, names: readonly TransportName[], url: string): { failure: TransportFailure; verified: boolean } {
  const refusal = [primary, racer].find((f) => f && serverAnswered(f.kind));
  if (refusal) return { failure: refusal, verified: !!(primary && racer) };
  // Polling answered "Session ID unknown": HTTP works, but polling cannot without sticky
  // sessions. That error (and its hint) is what a person must see, not "unreachable".
  if (primary && racer?.kind === 'session-unknown') return { failure: { ...racer, reason: `${primary.reason}; ${racer.reason}` }, verified: true };
  if (primary && racer) {
    const what = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}` : `${names[0] ?? 'the first rung'} and the next rung`;
    const error = new LifelineError('UNREACHABLE', `Cannot reach ${url} over ${what} (${primary.reason}; ${racer.reason}).`, { url });
    return { failure: { kind: 'unreachable', opened: false, reason: `${what} ${names.length > 2 ? 'all' : 'both'} failed`, error }, verified: true };
  }
  const only = primary ?? racer;
  if (!only) throw new TypeError('roundFailure needs at least one failure');
  return { failure: only, verified: false };
}

/**
 * What the ladder knows when an attempt fails.
 * @internal
 */
export interface RungState {
  /** Name of the rung that failed. */
  readonly transport: TransportName;
  /** Index of the rung that failed (0 = best). */
  readonly rung: number;
  /** Number of rungs. */
  readonly rungs: number;
  /** Consecutive transport failures on this rung, including this one. */
  readonly failures: number;
  /** Consecutive server refusals (auth or middleware), including this one. */
  readonly refusals: number;
  /** `reconnect.attempts`. */
  readonly attempts: number;
  /** True when the next rung was already asked and did not answer either. */
  readonly verified: boolean;
  /**
   * False when an established connection died without a single frame after its handshake (a
   * `silent` failure). @default true
   */
  readonly heard?: boolean;
}

/**
 * - `retry`: same rung after a backoff delay.
 * - `verify`: the failure may be WebSocket-specific: race the next rung now; if it connects the
 *   ladder has escalated (`upgrade-blocked`), if it fails everything is down (retry).
 * - `escalate`: go to the next rung now.
 * - `terminal`: stop; configuration or credentials must change.
 * @internal
 */
export type Decision = 'retry' | 'verify' | 'escalate' | 'terminal';

/**
 * @example
 * ```ts
 * decide('invalid-namespace', state); // 'terminal'
 * ```
 * @internal
 */
export function decide(kind: TransportFailureKind, s: RungState): Decision {
  const hasNext = s.rung + 1 < s.rungs;
  switch (kind) {
    case 'invalid-namespace':
    case 'closed':
      return 'terminal';
    case 'unauthorized':
    case 'forbidden':
    case 'protocol':
      // The server spoke: another carrier would get the same answer.
      return s.refusals >= s.attempts ? 'terminal' : 'retry';
    // An established connection ended after its probation: reconnect on the same rung.
    case 'server-closed':
    case 'transport-closed':
    // The handshake worked and the server's namespace layer held the CONNECT: no other carrier
    // would fare better, and it may recover (a middleware awaiting a database). Retry, bounded.
    case 'unacknowledged':
      return 'retry';
    case 'upgrade-blocked':
    case 'unreachable':
    case 'timeout':
      // A WebSocket that is rejected, reset or never answers may be a proxy problem: ask HTTP.
      if (s.transport === 'websocket' && hasNext && !s.verified) return 'verify';
    // falls through (verified: HTTP failed too, everything is down, escalating is pointless)
    case 'session-unknown':
      // Met while verifying a WebSocket failure: polling cannot work without sticky sessions, so
      // stay on the top rung (which can) and retry. As the failing rung itself: like `silent`.
      if (s.verified) return 'retry';
    // falls through
    case 'silent':
      // Opened and then not one frame: another try on this rung would open and go mute the same
      // way (a middlebox that drops frames after the upgrade). Fall back now; the climb back must hear.
      if (kind === 'silent' && s.heard === false && hasNext) return 'escalate';
      return hasNext && s.failures >= s.attempts ? 'escalate' : 'retry';
  }
}

/**
 * Delay before climb-back probe number `n` (0-based) after a fall: 2 s doubling, each shortened
 * by up to half at random (clients that fell together spread out), capped at `upgradeIntervalMs`.
 * A proxy fixed soon after the fall is used within seconds; one that stays broken costs a few
 * probes more than probing every `upgradeIntervalMs` from the start.
 *
 * @example
 * ```ts
 * probeDelay(0, 30_000, () => 0); // 2000
 * probeDelay(9, 30_000, () => 0); // 30000
 * ```
 * @internal
 */
export function probeDelay(n: number, intervalMs: number, random: () => number): number {
  return Math.min(intervalMs, Math.round(2000 * 2 ** Math.min(n, 20) * (1 - 0.5 * random())));
}

/** The ladder's counters: what `step` reads and returns. @internal */
export interface LadderState {
  /** The rung the ladder is on (0 = best). */
  readonly rung: number;
  /** Consecutive transport failures on this rung. */
  readonly failures: number;
  /** Consecutive server refusals. */
  readonly refusals: number;
  /** Failed attempts since the last healthy connection (drives the backoff). */
  readonly attempt: number;
  /** A climb (or a fall) went mute: a probe takes over only once it has heard from the server. */
  readonly mustHear: boolean;
  /**
   * The ladder's rung carried a healthy connection (past its probation, heard from) that was
   * lost, and the ladder has not changed rungs since. Reconnects to it are a herd in the making
   * (every client of a restarted server, or behind one NAT, lost it at the same moment): they get
   * the long head start (`headStart`) and retries spread both ways (`delay: 'spread'`).
   */
  readonly proven: boolean;
}

/**
 * What happened:
 * - `failed`: a round of attempts failed (`verified`: the rungs below were asked and failed too);
 * - `lost`: the connection carrying traffic ended. `rung` is its rung, `early` whether it died
 *   within its probation, `heard` whether anything arrived after its handshake, `climbedFrom`
 *   the rung it climbed back from while that climb is on trial (else null).
 * @internal
 */
export type LadderEvent =
  | { readonly type: 'failed'; readonly failure: TransportFailure; readonly verified: boolean }
  | { readonly type: 'lost'; readonly failure: TransportFailure; readonly rung: number; readonly early: boolean; readonly heard: boolean; readonly climbedFrom: number | null };

/**
 * What to do:
 * - `stop`: terminal (configuration or credentials must change);
 * - `escalate`: attempt the next rung now; `return`: a mute climb, attempt the rung it came from now;
 * - `retry`: the same rung after a delay: `loss` (a healthy connection was lost: promptly, jittered),
 *   `spread` (a later failure on a `proven` rung: the curve of `attempt`, `× (1 ± jitter)`, see
 *   `backoff.delayFor`) or `backoff` (the curve of `attempt`); `restart`: the ladder went back to
 *   the top rung.
 * @internal
 */
export type LadderDecision =
  | { readonly type: 'stop' }
  | { readonly type: 'escalate'; readonly why: string }
  | { readonly type: 'return'; readonly why: string }
  | { readonly type: 'retry'; readonly delay: 'loss' | 'spread' | 'backoff'; readonly restart: boolean };

/** @internal */
export interface LadderStep {
  readonly state: LadderState;
  /** The failure as the ladder reports it (an early close is `silent`). */
  readonly failure: TransportFailure;
  readonly decision: LadderDecision;
  /** The connection died without a single frame after its handshake. */
  readonly mute: boolean;
}

/**
 * The ladder's rules in one pure step (state + event → state + decision), as `state.ts`'s
 * reducer is for the connection state: an early close counts as `silent`; a mute climb returns
 * at once; a healthy loss resets the counters and retries promptly; `decide()` says retry,
 * escalate or stop; a lower rung that keeps failing sends the ladder back to the top.
 *
 * @example
 * ```ts
 * step(s, { type: 'lost', failure: reset, rung: 0, early: false, heard: true, climbedFrom: null }, { rungs, attempts: 3 }).decision;
 * // { type: 'retry', delay: 'loss', restart: false }
 * ```
 * @internal
 */
export function step(s: LadderState, e: LadderEvent, c: { readonly rungs: readonly TransportName[]; readonly attempts: number }): LadderStep {
  let failure = e.failure;
  let st = s;
  let heard = true;
  let afterLoss = false;
  let mute = false;
  if (e.type === 'lost') {
    if (e.early && (failure.kind === 'transport-closed' || failure.kind === 'server-closed')) failure = { ...failure, kind: 'silent', reason: `${failure.reason} right after opening` };
    mute = e.failure.kind === 'silent' && !e.heard;
    if (e.climbedFrom !== null && mute) {
      // The climb did not hold: not one packet came after the handshake. Return to the rung that
      // worked, and let a probe take over only once it has heard from the server (no flapping).
      const why = `${failure.reason}: ${c.rungs[e.rung]!} did not hold after climbing back, returning to ${c.rungs[e.climbedFrom]!}`;
      return { state: { ...s, mustHear: true, rung: e.climbedFrom, failures: 0 }, failure, decision: { type: 'return', why }, mute };
    }
    // Outlived its probation and was heard from (a heartbeat death after traffic is a lost flow):
    // the rung is proven, reconnect promptly on it.
    afterLoss = !e.early && (failure.kind !== 'silent' || e.heard);
    if (afterLoss) st = { ...st, failures: 0, attempt: 0, mustHear: e.rung === 0 ? false : st.mustHear, proven: true };
    heard = !mute;
  }
  const r = counted(failure.kind, st, c, e.type === 'failed' && e.verified, heard);
  const d = decide(failure.kind, r);
  const failures = r.failures;
  st = { ...st, failures, refusals: r.refusals, attempt: st.attempt + 1 };
  if (d === 'terminal') return { state: st, failure, decision: { type: 'stop' }, mute };
  if (d === 'escalate') {
    const rung = st.rung + 1;
    const why = `${failure.reason}: ${heard ? `${c.attempts} attempts failed` : 'nothing arrived after the handshake'}, falling back to ${c.rungs[rung]!}`;
    return { state: { ...st, rung, failures: 0, mustHear: st.mustHear || !heard, proven: false }, failure, decision: { type: 'escalate', why }, mute };
  }
  // A lower rung keeps failing too (e.g. a remembered rung that no longer works): start over from
  // the top, where "everything is down" is told apart from "WebSocket is blocked".
  const restart = st.rung > 0 && failures >= c.attempts;
  if (restart) st = { ...st, rung: 0, failures: 0, proven: false };
  return { state: st, failure, decision: { type: 'retry', delay: afterLoss ? 'loss' : st.proven ? 'spread' : 'backoff', restart }, mute };
}

/**
 * How long a websocket attempt runs alone before the next rung races it (Happy Eyeballs), ms.
 *
 * First connects and rungs not yet proven get the short head start: a black-holed upgrade costs
 * `shortMs`. A `proven` rung (its healthy connection was just lost) gets half the attempt
 * timeout: the loss was almost certainly the server or the network, not a proxy that started
 * eating WebSockets, and every client of that server is reconnecting at once. A server that is
 * down refuses WebSocket within milliseconds (no race needed; a refusal is still verified against
 * the next rung at once, see `decide`); one that just came back is slow under the herd, and a
 * short head start opens a second connection for many clients (measured: 2 292 connections for
 * 2 000 clients). A WebSocket black-holed by a new network still falls back after `timeoutMs / 2`.
 *
 * @example
 * ```ts
 * headStart(false, 250, 5000); // 250
 * headStart(true, 250, 5000); // 2500
 * ```
 * @internal
 */
export function headStart(proven: boolean, shortMs: number, timeoutMs: number): number {
  return Math.min(proven ? timeoutMs : shortMs, timeoutMs / 2);
}

/**
 * A round's primary attempt failed: whether to race the next rung now to tell a
 * WebSocket-specific failure from an outage (`decide()` says `verify`), unless the failure
 * already says it is an outage (`refused`).
 * @internal
 */
export function shouldVerify(failure: TransportFailure, s: LadderState, c: { readonly rungs: readonly TransportName[]; readonly attempts: number }): boolean {
  // Refused at the TCP level, nothing listens there: polling to the same address would be refused
  // too. Asking it anyway costs every client of a restarting server a second connection attempt,
  // and one that lands as the server comes back moves the client down to polling (the herd).
  return !failure.refused && decide(failure.kind, counted(failure.kind, s, c, false)) === 'verify';
}

/** What `decide` reads once a failure of `kind` is counted in `s` (a refusal counts apart). */
function counted(kind: TransportFailureKind, s: LadderState, c: { readonly rungs: readonly TransportName[]; readonly attempts: number }, verified: boolean, heard?: boolean): RungState {
  const refusal = isRefusal(kind);
  return { transport: c.rungs[s.rung]!, rung: s.rung, rungs: c.rungs.length, failures: refusal ? s.failures : s.failures + 1, refusals: refusal ? s.refusals + 1 : 0, attempts: c.attempts, verified, heard };
}
