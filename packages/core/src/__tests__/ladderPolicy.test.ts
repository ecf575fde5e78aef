import { describe, expect, it } from 'vitest';
import { askNext, decide, headStart, probeDelay, roundFailure, shouldVerify, step, type Decision, type LadderDecision, type LadderEvent, type LadderState, type RungState } from '../ladderPolicy';
import type { TransportFailureKind } from '../transports/types';

const ws: RungState = { transport: 'websocket', rung: 0, rungs: 2, failures: 1, refusals: 0, attempts: 3, verified: false };
const polling: RungState = { ...ws, transport: 'polling', rung: 1 };

const table: Array<[string, TransportFailureKind, RungState, Decision]> = [
  ['upgrade rejected on websocket → ask HTTP', 'upgrade-blocked', ws, 'verify'],
  ['websocket reset → ask HTTP', 'unreachable', ws, 'verify'],
  ['websocket timeout (black hole) → ask HTTP', 'timeout', ws, 'verify'],
  ['HTTP failed too → everything down: retry, never escalate', 'unreachable', { ...ws, verified: true, failures: 9 }, 'retry'],
  ['websocket is the only rung → retry', 'unreachable', { ...ws, rungs: 1 }, 'retry'],
  ['silent once → retry', 'silent', ws, 'retry'],
  ['silent `attempts` times → escalate', 'silent', { ...ws, failures: 3 }, 'escalate'],
  ['session unknown 3× on polling with http next → escalate', 'session-unknown', { ...polling, rungs: 3, failures: 3 }, 'escalate'],
  ['timeouts on the last rung → retry', 'timeout', { ...polling, failures: 7 }, 'retry'],
  ['unreachable on polling once → retry', 'unreachable', polling, 'retry'],
  ['invalid namespace → terminal', 'invalid-namespace', ws, 'terminal'],
  ['unauthorized, first refusal → retry (fresh auth())', 'unauthorized', { ...ws, refusals: 1 }, 'retry'],
  ['unauthorized `attempts` times → terminal', 'unauthorized', { ...ws, refusals: 3 }, 'terminal'],
  ['forbidden never escalates', 'forbidden', { ...ws, refusals: 2, failures: 3 }, 'retry'],
  ['middleware refusal `attempts` times → terminal', 'protocol', { ...ws, refusals: 3 }, 'terminal'],
  ['established connection lost → retry same rung', 'transport-closed', { ...ws, failures: 5 }, 'retry'],
  ['server closed it → retry', 'server-closed', polling, 'retry'],
  ['opened, then not one frame (mute) on websocket → escalate at once', 'silent', { ...ws, heard: false }, 'escalate'],
  ['mute on the last rung → retry', 'silent', { ...polling, heard: false }, 'retry'],
  ['silent after traffic (heartbeat unanswered) once → retry the same rung', 'silent', { ...ws, heard: true }, 'retry'],
];

describe('decide', () => {
  it.each(table)('%s', (_name, kind, state, expected) => {
    expect(decide(kind, state)).toBe(expected);
  });
});

describe('roundFailure', () => {
  const f = (kind: TransportFailureKind, reason: string = kind) => ({ kind, reason, opened: false });
  const names = ['websocket', 'polling'] as const;

  it('websocket failed and HTTP failed too → everything down (UNREACHABLE, verified)', () => {
    const r = roundFailure(f('upgrade-blocked', 'ws 400'), f('unreachable', 'xhr 502'), names, 'http://h/socket.io');
    expect(r.verified).toBe(true);
    expect(r.failure.kind).toBe('unreachable');
    expect(r.failure.error?.code).toBe('UNREACHABLE');
    expect(r.failure.error?.message).toContain('ws 400; xhr 502');
  });

  it('a refusal on either carrier wins: the server spoke', () => {
    expect(roundFailure(f('timeout'), f('unauthorized'), names, 'u').failure.kind).toBe('unauthorized');
    expect(roundFailure(f('invalid-namespace'), null, names, 'u').failure.kind).toBe('invalid-namespace');
  });

  it('a single failure is passed through unverified', () => {
    expect(roundFailure(f('silent'), null, names, 'u')).toMatchObject({ failure: { kind: 'silent' }, verified: false });
  });
});

describe('askNext', () => {
  const f = (kind: TransportFailureKind) => ({ kind, reason: kind, opened: false });

  it('polling failed verifying websocket, http below: ask http before concluding everything is down', () => {
    expect(askNext(f('unreachable'), 1, 3)).toBe(2);
    expect(askNext(f('timeout'), 1, 3)).toBe(2);
    expect(askNext(f('session-unknown'), 1, 3)).toBe(2);
  });

  it('no rung left below: the round is over', () => {
    expect(askNext(f('unreachable'), 1, 2)).toBeNull();
    expect(askNext(f('unreachable'), 2, 3)).toBeNull();
  });

  it('the server spoke (refusal, namespace): another carrier would get the same answer', () => {
    for (const kind of ['unauthorized', 'forbidden', 'protocol', 'invalid-namespace'] as const) expect(askNext(f(kind), 1, 3)).toBeNull();
  });
});

describe('roundFailure names every rung asked', () => {
  it('websocket, polling and http all failed', () => {
    const f = (kind: TransportFailureKind, reason: string) => ({ kind, reason, opened: false });
    const r = roundFailure(f('upgrade-blocked', 'ws 403'), f('unreachable', 'http 502'), ['websocket', 'polling', 'http'], 'u');
    expect(r.verified).toBe(true);
    expect(r.failure.reason).toBe('websocket, polling and http all failed');
    expect(r.failure.error?.message).toContain('over websocket, polling and http (ws 403; http 502)');
  });
});

describe('probeDelay', () => {
  it('after a fall, climb-back probes come at growing intervals, capped at upgradeIntervalMs', () => {
    const top = () => 0; // no jitter
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => probeDelay(n, 30_000, top))).toEqual([2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });
  it('jitter shortens each delay by up to half, never the cap below itself when the cap is reached', () => {
    expect(probeDelay(0, 30_000, () => 1)).toBe(1000);
    expect(probeDelay(9, 30_000, () => 1)).toBe(30_000);
    expect(probeDelay(0, 300, () => 0.5)).toBe(300); // a short upgradeIntervalMs is the interval itself
  });
});

describe('step (the ladder as state + event → state + decision)', () => {
  const rungs = ['websocket', 'polling'] as const;
  const c = { rungs, attempts: 3 };
  const s0: LadderState = { rung: 0, failures: 0, refusals: 0, attempt: 0, mustHear: false, proven: false };
  const f = (kind: TransportFailureKind, reason: string = kind) => ({ kind, reason, opened: true });
  const lost = (kind: TransportFailureKind, over: Partial<{ rung: number; early: boolean; heard: boolean; climbedFrom: number | null }> = {}): LadderEvent => ({ type: 'lost', failure: f(kind, 'x'), rung: 0, early: false, heard: true, climbedFrom: null, ...over });
  const rows: Array<[string, LadderState, LadderEvent, Partial<LadderState>, LadderDecision['type'], Record<string, unknown>?]> = [
    ['a healthy connection lost → counters reset, the rung is proven, prompt retry on the same rung', { ...s0, failures: 2, attempt: 4 }, lost('transport-closed'), { rung: 0, failures: 1, attempt: 1, proven: true }, 'retry', { delay: 'loss' }],
    ['a failure on a proven rung (the herd after a loss) → the curve, spread both ways', { ...s0, failures: 1, attempt: 1, proven: true }, { type: 'failed', failure: f('unreachable'), verified: true }, { failures: 2, attempt: 2, proven: true }, 'retry', { delay: 'spread' }],
    ['a failure on a rung never lost (first connect) → ordinary backoff', s0, { type: 'failed', failure: f('unreachable'), verified: true }, { failures: 1, proven: false }, 'retry', { delay: 'backoff' }],
    ['a proven rung that is left (escalate) is not proven any more', { ...s0, failures: 2, attempt: 2, proven: true }, lost('transport-closed', { early: true }), { rung: 1, proven: false }, 'escalate'],
    ['a proven lower rung failing `attempts` times → back to the top, not proven', { ...s0, rung: 1, failures: 2, attempt: 2, proven: true }, { type: 'failed', failure: f('unreachable'), verified: false }, { rung: 0, proven: false }, 'retry', { restart: true, delay: 'backoff' }],
    ['lost within probation → counts as silent, ordinary backoff', s0, lost('transport-closed', { early: true }), { failures: 1, attempt: 1 }, 'retry', { delay: 'backoff' }],
    ['heartbeat death after traffic (silent, heard) → prompt retry, same rung, proven: the NAT herd is spread as a restart\'s', s0, lost('silent'), { rung: 0, proven: true }, 'retry', { delay: 'loss' }],
    ['mute (silent, never heard) on websocket → escalate now, probes must hear', s0, lost('silent', { heard: false }), { rung: 1, failures: 0, mustHear: true }, 'escalate', { why: 'x: nothing arrived after the handshake, falling back to polling' }],
    ['a mute climb → return to the rung it came from', { ...s0, failures: 1 }, lost('silent', { heard: false, climbedFrom: 1 }), { rung: 1, failures: 0, mustHear: true }, 'return', { why: 'x: websocket did not hold after climbing back, returning to polling' }],
    ['a climb heard from, then silent → prompt retry on the climbed rung', s0, lost('silent', { climbedFrom: 1 }), { rung: 0 }, 'retry', { delay: 'loss' }],
    ['third early death → escalate', { ...s0, failures: 2, attempt: 2 }, lost('transport-closed', { early: true }), { rung: 1, failures: 0, attempt: 3 }, 'escalate', { why: 'x right after opening: 3 attempts failed, falling back to polling' }],
    ['a lower rung failing `attempts` times → back to the top', { ...s0, rung: 1, failures: 2, attempt: 2 }, { type: 'failed', failure: f('unreachable'), verified: false }, { rung: 0, failures: 0, attempt: 3 }, 'retry', { restart: true }],
    ['invalid namespace → stop', s0, { type: 'failed', failure: f('invalid-namespace'), verified: false }, {}, 'stop'],
    ['refusals count apart from failures', { ...s0, failures: 2 }, { type: 'failed', failure: f('unauthorized'), verified: false }, { failures: 2, refusals: 1 }, 'retry'],
  ];
  it.each(rows)('%s', (_name, state, event, after, type, extra = {}) => {
    const r = step(state, event, c);
    expect(r.state).toMatchObject(after);
    expect(r.decision).toMatchObject({ type, ...extra });
  });
  it('shouldVerify: a websocket failure that may be a proxy problem races polling; a refusal does not', () => {
    expect(shouldVerify(f('upgrade-blocked'), s0, c)).toBe(true);
    expect(shouldVerify(f('unreachable'), { ...s0, failures: 1, proven: true }, c)).toBe(true); // after a loss too: a proxy that resets WebSocket mid-stream
    expect(shouldVerify(f('unauthorized'), s0, c)).toBe(false);
    expect(shouldVerify(f('timeout'), { ...s0, rung: 1 }, c)).toBe(false);
  });
  it('shouldVerify: a TCP refusal (nothing listens: a server down or restarting) is not asked of polling, first connect or after a loss', () => {
    const refused = { ...f('unreachable'), refused: true };
    expect(shouldVerify(refused, s0, c)).toBe(false);
    expect(shouldVerify(refused, { ...s0, failures: 1, proven: true }, c)).toBe(false);
    expect(shouldVerify(f('unreachable'), { ...s0, failures: 1, proven: true }, c)).toBe(true); // a reset still is
  });
});

describe('headStart (how long websocket runs alone before the next rung races it)', () => {
  it('first connects and rungs not yet proven: the short head start, capped at half the timeout', () => {
    expect(headStart(false, 250, 5000)).toBe(250);
    expect(headStart(false, 250, 400)).toBe(200);
  });
  it('after a loss of a proven websocket connection the next attempt launches websocket alone for half the attempt timeout', () => {
    expect(headStart(true, 250, 5000)).toBe(2500);
    expect(headStart(true, 250, 8000)).toBe(4000);
  });
});
