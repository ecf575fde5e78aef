import { describe, expect, it } from 'vitest';
import { askNext, decide, probeDelay, roundFailure, type Decision, type RungState } from '../ladderPolicy';
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
