/**
 * Unit side of the ladder edges pinned against real parts in test/integration/ladderEdges.test.ts:
 * silent connections, a climb that does not hold, "Session ID unknown", an unacknowledged
 * namespace CONNECT. Fake transports and fake timers.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LifelineError } from '../errors';
import { loadClimb } from '../ladder';
import { decide, roundFailure, serverAnswered, type RungState } from '../ladderPolicy';
import { createFakeTransports, createTestClient, type FakeTransports } from '../testing';
import type { TransportFailureKind } from '../transports/types';
import type { TransportChange } from '../types';

// A fake lower rung opens at once: load the climb chunk first, as a real one (a handshake) opens after it loaded.
beforeAll(() => loadClimb());

const ws: RungState = { transport: 'websocket', rung: 0, rungs: 2, failures: 1, refusals: 0, attempts: 3, verified: false };
const polling: RungState = { ...ws, transport: 'polling', rung: 1 };
const f = (kind: TransportFailureKind, reason: string = kind) => ({ kind, reason, opened: false });

describe('decide (edges)', () => {
  it.each([
    ['namespace CONNECT never acknowledged → retry, never escalate', 'unacknowledged', { ...ws, failures: 9 }, 'retry'],
    ['… never terminal either', 'unacknowledged', { ...polling, failures: 9, refusals: 9 }, 'retry'],
    ['Session ID unknown while verifying websocket → stay on websocket', 'session-unknown', { ...ws, failures: 3, verified: true }, 'retry'],
    ['Session ID unknown on polling itself, `attempts` times, http below → escalate', 'session-unknown', { ...polling, rungs: 3, failures: 3 }, 'escalate'],
    ['Session ID unknown on the last rung → retry', 'session-unknown', { ...polling, failures: 3 }, 'retry'],
  ] as const)('%s', (_name, kind, state, expected) => {
    expect(decide(kind, state)).toBe(expected);
  });

  it('an unacknowledged CONNECT is the server answering: racers are dropped, it wins the round', () => {
    expect(serverAnswered('unacknowledged')).toBe(true);
    expect(serverAnswered('timeout')).toBe(false);
    expect(roundFailure(f('timeout'), f('unacknowledged'), ['websocket', 'polling'], 'u').failure.kind).toBe('unacknowledged');
  });

  it('"Session ID unknown" from the racer is the round failure (with its hint), verified', () => {
    const error = new LifelineError('UNREACHABLE', 'session', {}, { hint: 'sticky sessions' });
    const r = roundFailure(f('upgrade-blocked', 'websocket upgrade rejected (400)'), { ...f('session-unknown', 'polling answered "Session ID unknown"'), error }, ['websocket', 'polling'], 'u');
    expect(r.verified).toBe(true);
    expect(r.failure.kind).toBe('session-unknown');
    expect(r.failure.error?.hint).toBe('sticky sessions');
    expect(r.failure.reason).toBe('websocket upgrade rejected (400); polling answered "Session ID unknown"');
  });
});

describe('Ladder: a climb back that does not hold', () => {
  const reconnect = { attempts: 3, delayMs: 100, maxDelayMs: 400, jitter: 0, timeoutMs: 1000 };
  let fakes: FakeTransports;
  beforeEach(() => {
    vi.useFakeTimers();
    fakes = createFakeTransports();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function onPolling() {
    const client = createTestClient({ url: 'http://api.test', reconnect, upgradeIntervalMs: 1000 }, { factories: fakes.factories, storage: null, headStartMs: 400, probationMs: 3000 });
    const changes: TransportChange[] = [];
    client.on('transport', (c) => changes.push(c));
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.fail('upgrade-blocked', new LifelineError('UPGRADE_BLOCKED', 'rejected'));
    fakes.last('polling')!.open();
    await vi.advanceTimersByTimeAsync(0);
    return { client, changes };
  }

  it('returns to the rung it climbed from at once, then promotes a probe only after it has heard from the server', async () => {
    const { client, changes } = await onPolling();
    await vi.advanceTimersByTimeAsync(1000);
    const first = fakes.last('websocket')!;
    first.open(); // no channels: the handshake alone lets it take over
    await vi.advanceTimersByTimeAsync(0);
    expect(client.getState()).toMatchObject({ transport: 'websocket', fallback: false });
    first.fail('silent');
    await vi.advanceTimersByTimeAsync(0);
    // Straight back to polling: no backoff, no `attempts` websocket retries.
    expect(fakes.last()!.name).toBe('polling');
    fakes.last('polling')!.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.getState()).toMatchObject({ status: 'connected', transport: 'polling', fallback: true });
    expect(changes.at(-1)).toMatchObject({ from: 'websocket', to: 'polling' });
    expect(changes.at(-1)!.reason).toMatch(/did not hold after climbing back, returning to polling/);

    await vi.advanceTimersByTimeAsync(1000);
    const second = fakes.last('websocket')!;
    expect(second).not.toBe(first);
    second.open();
    await vi.advanceTimersByTimeAsync(5000);
    expect(client.getState().transport).toBe('polling'); // opened, but not heard from: stays a probe
    second.heard();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.getState()).toMatchObject({ transport: 'websocket', fallback: false });
    expect(changes.filter((c) => c.to === 'websocket')).toHaveLength(2);
    client.close();
  });

  it('a climbed connection that dies after its probation, having been heard from, reconnects on the same rung', async () => {
    const { client } = await onPolling();
    await vi.advanceTimersByTimeAsync(1000);
    const probe = fakes.last('websocket')!;
    probe.open();
    probe.heard();
    await vi.advanceTimersByTimeAsync(10_000);
    probe.fail('transport-closed');
    await vi.advanceTimersByTimeAsync(0);
    expect(client.getState()).toMatchObject({ status: 'reconnecting', attempt: 1 });
    await vi.advanceTimersByTimeAsync(100);
    // A new websocket attempt: the dead probe itself is a websocket too, so the name alone proves nothing.
    expect(fakes.last()).not.toBe(probe);
    expect(fakes.last()!.name).toBe('websocket');
    client.close();
  });

  it('a silent death after the probation window still counts against the rung', async () => {
    const client = createTestClient({ url: 'http://api.test', reconnect, upgradeIntervalMs: false }, { factories: fakes.factories, storage: null, headStartMs: 400, probationMs: 100 });
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 3; i++) {
      fakes.last('websocket')!.open();
      await vi.advanceTimersByTimeAsync(5000); // far past probation
      fakes.last('websocket')!.fail('silent');
      await vi.advanceTimersByTimeAsync(0);
      if (i < 2) await vi.advanceTimersByTimeAsync(400);
    }
    expect(fakes.last()!.name).toBe('polling');
    fakes.last('polling')!.open();
    expect(client.getState()).toMatchObject({ transport: 'polling', fallback: true });
    client.close();
  });
});

describe('Ladder: started offline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is `connecting` (not `idle`) while it waits for the network, and tries on `online`', async () => {
    const fakes = createFakeTransports();
    const target = new EventTarget();
    let online = false;
    const environment = { target, isOnline: () => online, isVisible: () => true };
    const client = createTestClient({ url: 'http://api.test' }, { factories: fakes.factories, storage: null, environment });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fakes.created).toHaveLength(0);
    expect(client.getState()).toMatchObject({ status: 'connecting', transport: null, lastError: null });
    online = true;
    target.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(fakes.created.map((t) => t.name)).toEqual(['websocket']);
    fakes.last('websocket')!.open();
    expect(client.getState()).toMatchObject({ status: 'connected', transport: 'websocket' });
    client.close();
  });
});
