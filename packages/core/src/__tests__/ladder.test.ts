import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LifelineError, loadHints } from '../errors';
import { loadClimb } from '../ladder';
import type { StorageLike } from '../rungMemory';
import { createFakeTransports, createTestClient, inspectClient, type FakeTransports } from '../testing';
import type { TransportChange } from '../types';

// These tests read `hint` synchronously: load the hint texts first, as the client does before it reports an error.
// A fake lower rung opens at once: load the climb chunk first, as a real one (a handshake) opens after it loaded.
beforeAll(() => Promise.all([loadHints(), loadClimb()]));

const reconnect = { attempts: 3, delayMs: 100, maxDelayMs: 400, jitter: 0, timeoutMs: 1000 };
let fakes: FakeTransports;

function make(extra: Record<string, unknown> = {}, deps: Record<string, unknown> = {}) {
  const client = createTestClient({ url: 'http://api.test', reconnect, upgradeIntervalMs: 5000, ...extra }, { factories: fakes.factories, storage: null, headStartMs: 400, random: () => 0, ...deps });
  const changes: TransportChange[] = [];
  const errors: LifelineError[] = [];
  client.on('transport', (c) => changes.push(c));
  client.on('error', (e) => errors.push(e));
  return { client, changes, errors };
}

const blocked = () => new LifelineError('UPGRADE_BLOCKED', 'rejected');

beforeEach(() => {
  vi.useFakeTimers();
  fakes = createFakeTransports();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Ladder', () => {
  it('starts on websocket and reports connected', async () => {
    const { client, changes } = make();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.getState().status).toBe('connecting');
    fakes.last('websocket')!.open();
    expect(client.getState()).toMatchObject({ status: 'connected', transport: 'websocket', fallback: false });
    expect(changes).toEqual([{ from: null, to: 'websocket', reason: 'connected over websocket' }]);
    client.close();
  });

  it('a WebSocket-specific failure races polling at once; polling answering escalates with UPGRADE_BLOCKED', async () => {
    const { client, changes, errors } = make();
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.fail('upgrade-blocked', blocked(), 'websocket upgrade rejected (400)');
    const polling = fakes.last('polling')!;
    expect(polling.connected).toBe(true); // no backoff wait
    polling.open();
    expect(client.getState()).toMatchObject({ status: 'connected', transport: 'polling', fallback: true });
    expect(client.getState().lastError?.code).toBe('UPGRADE_BLOCKED');
    expect(changes.at(-1)!.reason).toBe('websocket upgrade rejected (400): HTTP answers, falling back to polling');
    expect(errors.map((e) => e.code)).toEqual(['UPGRADE_BLOCKED']);
    client.close();
  });

  it('a refused TCP connection (nothing listens: the server is down) is not asked of polling: websocket retries alone, then connects there', async () => {
    const { client, changes } = make();
    const sockets = () => fakes.created.filter((t) => t.name === 'websocket').length;
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 4; i++) {
      // Refused within milliseconds, long before the head start (400 ms) would race polling.
      fakes.last('websocket')!.fail('unreachable', undefined, 'websocket failed (connect ECONNREFUSED 127.0.0.1:3000)', true);
      expect(client.getState()).toMatchObject({ attempt: i + 1, transport: null });
      const before = sockets();
      while (sockets() === before) await vi.advanceTimersByTimeAsync(10); // the next retry
    }
    expect(fakes.created.filter((t) => t.name === 'polling')).toHaveLength(0); // without the rule: one per attempt
    fakes.last('websocket')!.open();
    expect(client.getState()).toMatchObject({ status: 'connected', transport: 'websocket' });
    expect(changes.map((c) => c.to)).toEqual(['websocket']);
    client.close();
  });

  it('when HTTP fails too, everything is down: retries websocket with bounded delay, never escalates', async () => {
    const { client, changes } = make();
    for (let i = 0; i < 6; i++) {
      await vi.advanceTimersByTimeAsync(400);
      fakes.last('websocket')!.fail('unreachable');
      fakes.last('polling')!.fail('unreachable');
      expect(client.getState()).toMatchObject({ status: 'reconnecting', attempt: i + 1, transport: null });
    }
    expect(client.getState().lastError?.code).toBe('UNREACHABLE');
    expect(fakes.created.filter((t) => t.name === 'websocket')).toHaveLength(6);
    expect(changes).toEqual([]);
    await vi.advanceTimersByTimeAsync(400); // the cap
    fakes.last('websocket')!.open();
    expect(client.getState()).toMatchObject({ status: 'connected', transport: 'websocket', lastError: null });
    client.close();
  });

  it('with an http rung, websocket and polling both failing asks http in the same round; http answering lands there', async () => {
    const { client, changes } = make({ transports: ['websocket', 'polling', 'http'], http: { url: 'http://api.test/lifeline' } });
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.fail('upgrade-blocked', blocked(), 'websocket upgrade rejected (403)');
    fakes.last('polling')!.fail('unreachable', undefined, 'polling failed (403)');
    const http = fakes.last('http')!;
    expect(http.connected).toBe(true); // no backoff wait: same round
    http.open();
    expect(client.getState()).toMatchObject({ status: 'connected', transport: 'http', fallback: true });
    const notice = client.getState().lastError!;
    expect(notice.code).toBe('UPGRADE_BLOCKED');
    expect(notice.message).toContain('fails over websocket and polling');
    expect(notice.hint).toContain('refuses the Socket.IO path /socket.io itself');
    expect(notice.hint).not.toContain('proxy_set_header Upgrade');
    expect(changes.at(-1)!.reason).toBe('websocket upgrade rejected (403); polling failed (403): the http endpoint answers, falling back to http');
    client.close();
  });

  it('with an http rung, everything is down only when all three fail: retries websocket, never escalates', async () => {
    const { client, changes } = make({ transports: ['websocket', 'polling', 'http'], http: { url: 'http://api.test/lifeline' } });
    for (let i = 0; i < 4; i++) {
      await vi.advanceTimersByTimeAsync(400);
      fakes.last('websocket')!.fail('unreachable');
      fakes.last('polling')!.fail('unreachable');
      fakes.last('http')!.fail('unreachable');
      expect(client.getState()).toMatchObject({ status: 'reconnecting', attempt: i + 1, transport: null });
    }
    expect(client.getState().lastError?.message).toContain('over websocket, polling and http');
    expect(fakes.created.map((t) => t.name).slice(0, 3)).toEqual(['websocket', 'polling', 'http']);
    expect(fakes.created.filter((t) => t.name === 'websocket')).toHaveLength(4);
    expect(changes).toEqual([]);
    client.close();
  });

  it('a refusal on the polling racer ends the round: http is not asked', async () => {
    const { client } = make({ transports: ['websocket', 'polling', 'http'], http: { url: 'http://api.test/lifeline' } });
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.fail('unreachable');
    fakes.last('polling')!.fail('unauthorized', new LifelineError('UNAUTHORIZED', 'no'));
    expect(fakes.last('http')).toBeUndefined();
    expect(client.getState().lastError?.code).toBe('UNAUTHORIZED');
    client.close();
  });

  it('head start: a stalled websocket races polling; polling opens first and carries traffic, the websocket attempt is kept and takes over make-before-break when it opens', async () => {
    const { client, changes, errors } = make();
    await vi.advanceTimersByTimeAsync(0);
    const ws = fakes.last('websocket')!;
    expect(fakes.last('polling')).toBeUndefined();
    await vi.advanceTimersByTimeAsync(400);
    const polling = fakes.last('polling')!;
    polling.open();
    expect(ws.closed).toBe(false); // slow is not failed
    expect(client.getState()).toMatchObject({ transport: 'polling', fallback: true });
    expect([...inspectClient(client).transports].sort()).toEqual(['polling', 'websocket']);
    expect(errors).toEqual([]); // nothing to tell yet
    ws.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.getState()).toMatchObject({ transport: 'websocket', fallback: false });
    expect(polling.closed).toBe(true);
    expect(changes.map((c) => c.to)).toEqual(['polling', 'websocket']);
    expect(inspectClient(client).transports).toEqual(['websocket']);
    client.close();
  });

  it('head start: when the kept websocket attempt fails after all, the fall is told then and probes follow', async () => {
    const { client, errors } = make();
    await vi.advanceTimersByTimeAsync(400);
    fakes.last('polling')!.open();
    expect(errors).toEqual([]);
    fakes.last('websocket')!.fail('timeout', undefined, 'websocket timed out');
    expect(errors.map((e) => e.code)).toEqual(['UPGRADE_BLOCKED']);
    expect(client.getState()).toMatchObject({ transport: 'polling', fallback: true });
    await vi.advanceTimersByTimeAsync(2000);
    expect(fakes.created.filter((t) => t.name === 'websocket')).toHaveLength(2); // the first climb-back probe
    client.close();
  });

  it('counts silent connections as rung failures and escalates after `attempts`', async () => {
    const { client, changes } = make({}, { probationMs: 1000, headStartMs: 10_000 });
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(500);
      const ws = fakes.last('websocket')!;
      ws.open();
      await vi.advanceTimersByTimeAsync(10);
      ws.fail('transport-closed');
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(fakes.last()!.name).toBe('polling');
    fakes.last('polling')!.open();
    expect(client.getState()).toMatchObject({ transport: 'polling', fallback: true });
    expect(changes.at(-1)!.reason).toMatch(/right after opening: 3 attempts failed, falling back to polling$/);
    client.close();
  });

  it('a connection that lived past probation reconnects on the same rung with attempt reset', async () => {
    const { client } = make({}, { probationMs: 1000 });
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.open();
    await vi.advanceTimersByTimeAsync(5000);
    fakes.last('websocket')!.fail('transport-closed');
    expect(client.getState()).toMatchObject({ status: 'reconnecting', attempt: 1 });
    await vi.advanceTimersByTimeAsync(100);
    expect(fakes.created.filter((t) => t.name === 'websocket')).toHaveLength(2);
    client.close();
  });

  it('after losing a healthy connection the first retry comes within delayMs × jitter; a death in probation waits the backoff curve, spread to delay × (1 ± jitter) (the herd of a lost server)', async () => {
    const jittered = { ...reconnect, delayMs: 1000, maxDelayMs: 3000, jitter: 0.5 };
    const { client } = make({ reconnect: jittered }, { probationMs: 1000, random: () => 0.3 });
    const websockets = () => fakes.created.filter((t) => t.name === 'websocket').length;
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.open();
    await vi.advanceTimersByTimeAsync(5000);
    fakes.last('websocket')!.fail('transport-closed');
    await vi.advanceTimersByTimeAsync(149);
    expect(websockets()).toBe(1);
    await vi.advanceTimersByTimeAsync(1); // 1000 × 0.5 × 0.3
    expect(websockets()).toBe(2);
    fakes.last('websocket')!.open();
    await vi.advanceTimersByTimeAsync(10); // dies inside its probation: not healthy
    fakes.last('websocket')!.fail('transport-closed');
    await vi.advanceTimersByTimeAsync(2399);
    expect(websockets()).toBe(2);
    await vi.advanceTimersByTimeAsync(1); // the second failure in a row: [1000, 3000] at 0.3 = 3000 − 2000 × 0.3, not 2000 × (1 − 0.5 × 0.3)
    expect(websockets()).toBe(3);
    client.close();
  });

  it('the herd after a proven websocket is lost: websocket goes alone (no head-start race before timeoutMs / 2), each attempt it makes after a failure too', async () => {
    const { client } = make({ reconnect: { ...reconnect, timeoutMs: 5000 } }, { probationMs: 1000 });
    const count = (name: string) => fakes.created.filter((t) => t.name === name).length;
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.open();
    await vi.advanceTimersByTimeAsync(5000);
    fakes.last('websocket')!.fail('transport-closed'); // the server went away (a deploy, a crash)
    await vi.advanceTimersByTimeAsync(0); // jitter 0: the loss delay is 0
    expect(count('websocket')).toBe(2);
    await vi.advanceTimersByTimeAsync(2499);
    expect(count('polling')).toBe(0); // a first connect would have raced polling after 400 ms
    await vi.advanceTimersByTimeAsync(1);
    expect(count('polling')).toBe(1); // a WebSocket black-holed by a new network still falls back
    fakes.last('websocket')!.fail('unreachable');
    fakes.last('polling')!.fail('unreachable'); // everything down
    await vi.advanceTimersByTimeAsync(199); // jitter 0: the curve itself, delayFor(2) = 200
    expect(count('websocket')).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(count('websocket')).toBe(3);
    await vi.advanceTimersByTimeAsync(2499);
    expect(count('polling')).toBe(1); // still websocket alone
    fakes.last('websocket')!.open();
    expect(client.getState()).toMatchObject({ status: 'connected', transport: 'websocket' });
    client.close();
  });

  it('the first failure after a proven websocket is lost still races polling at once (a proxy that resets WebSocket mid-stream)', async () => {
    const { client, changes } = make({}, { probationMs: 1000 });
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.open();
    await vi.advanceTimersByTimeAsync(5000);
    fakes.last('websocket')!.fail('transport-closed');
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.fail('unreachable', undefined, 'websocket failed (reset)');
    const polling = fakes.last('polling')!;
    expect(polling.connected).toBe(true);
    polling.open();
    expect(client.getState()).toMatchObject({ status: 'connected', transport: 'polling', fallback: true });
    expect(changes.at(-1)!.to).toBe('polling');
    client.close();
  });

  it('INVALID_NAMESPACE is terminal: idle with lastError, no more attempts', async () => {
    const { client, errors } = make();
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.fail('invalid-namespace', new LifelineError('INVALID_NAMESPACE', 'no /x', { namespace: '/x' }));
    expect(client.getState()).toMatchObject({ status: 'idle' });
    expect(client.getState().lastError?.code).toBe('INVALID_NAMESPACE');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fakes.created).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(inspectClient(client).timers).toBe(0);
    client.close();
  });

  it('UNAUTHORIZED calls auth() again before each attempt and stops after `attempts` refusals', async () => {
    const auth = vi.fn(() => ({ token: 'x' }));
    const { client } = make({ auth });
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(250); // backoff, but before the head start
      fakes.last('websocket')!.fail('unauthorized', new LifelineError('UNAUTHORIZED', 'no'));
    }
    expect(auth).toHaveBeenCalledTimes(3);
    expect(fakes.created.every((t) => t.name === 'websocket')).toBe(true);
    expect(client.getState()).toMatchObject({ status: 'idle' });
    expect(client.getState().lastError?.code).toBe('UNAUTHORIZED');
    client.close();
  });

  it.each([
    ['refused or reset (a restarting server looks the same)', 'unreachable'],
    ['a 4xx answer to the upgrade', 'upgrade-blocked'],
  ] as const)('after a fall (%s) climb-back probes come at growing intervals: 2 s, 4 s, then every upgradeIntervalMs', async (_name, kind) => {
    const { client, changes } = make({ upgradeIntervalMs: 5000 });
    const websockets = () => fakes.created.filter((t) => t.name === 'websocket').length;
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.fail(kind, kind === 'upgrade-blocked' ? blocked() : undefined, 'websocket failed');
    fakes.last('polling')!.open();
    expect(client.getState()).toMatchObject({ transport: 'polling', fallback: true });
    for (const wait of [2000, 4000, 5000, 5000]) {
      const before = websockets();
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(websockets()).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(websockets()).toBe(before + 1);
      fakes.last('websocket')!.fail(kind, kind === 'upgrade-blocked' ? blocked() : undefined, 'still blocked');
    }
    await vi.advanceTimersByTimeAsync(5000);
    fakes.last('websocket')!.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(changes.at(-1)).toMatchObject({ from: 'polling', to: 'websocket' });
    client.close();
  });

  it.each([
    ['heard from, then silent (a heartbeat death: a frozen flow) → reconnects on websocket', true, 'websocket'],
    ['never heard from after the climb (a mute websocket) → returns to polling at once', false, 'polling'],
  ] as const)('a climbed websocket %s', async (_name, heard, next) => {
    const { client } = make({ upgradeIntervalMs: 1000 });
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.fail('upgrade-blocked', blocked());
    fakes.last('polling')!.open();
    await vi.advanceTimersByTimeAsync(2000);
    const probe = fakes.last('websocket')!;
    probe.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.getState().transport).toBe('websocket');
    if (heard) probe.heard();
    await vi.advanceTimersByTimeAsync(10_000);
    const before = fakes.created.length;
    probe.fail('silent');
    await vi.advanceTimersByTimeAsync(600);
    expect(fakes.created.slice(before).map((t) => t.name)[0]).toBe(next);
    client.close();
  });

  it('climbs back with a separate probe: switches only after channels are re-joined on it', async () => {
    const { client, changes } = make({ upgradeIntervalMs: 1000 });
    const room = client.channel('r');
    const got: string[] = [];
    room.on('m', (p) => got.push(String(p)));
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.fail('upgrade-blocked', blocked());
    const polling = fakes.last('polling')!;
    polling.open();
    await vi.advanceTimersByTimeAsync(0);
    polling.receive({ id: '5', channel: 'r', event: 'm', data: 'a' });
    await vi.advanceTimersByTimeAsync(1000);
    const probe = fakes.last('websocket')!;
    let releaseJoin!: () => void;
    probe.joinReply = () => new Promise((resolve) => (releaseJoin = () => resolve({ ok: true, cursor: '9' })));
    probe.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(probe.joins).toEqual([{ channel: 'r', cursor: '5' }]);
    expect(client.getState().transport).toBe('polling'); // not before the join is acknowledged
    probe.receive({ id: '5', channel: 'r', event: 'm', data: 'a' }); // replay overlap: deduped
    probe.receive({ event: 'plain', data: 1 }); // plain events only from the carrier
    polling.receive({ id: '6', channel: 'r', event: 'm', data: 'b' });
    releaseJoin();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.getState()).toMatchObject({ transport: 'websocket', fallback: false });
    expect(polling.closed).toBe(true);
    probe.receive({ id: '6', channel: 'r', event: 'm', data: 'b' });
    probe.receive({ id: '7', channel: 'r', event: 'm', data: 'c' });
    await vi.advanceTimersByTimeAsync(0);
    expect(got).toEqual(['a', 'b', 'c']);
    expect(changes.at(-1)).toEqual({ from: 'polling', to: 'websocket', reason: 'websocket works again: climbed back from polling' });
    client.close();
  });

  it('a failed probe keeps the lower rung and probes again later', async () => {
    const { client } = make({ upgradeIntervalMs: 1000 });
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.fail('upgrade-blocked', blocked());
    fakes.last('polling')!.open();
    await vi.advanceTimersByTimeAsync(1000);
    fakes.last('websocket')!.fail('upgrade-blocked', blocked());
    expect(client.getState().transport).toBe('polling');
    await vi.advanceTimersByTimeAsync(1000);
    expect(fakes.created.filter((t) => t.name === 'websocket')).toHaveLength(3);
    client.close();
  });

  it('remembers the working rung per origin and starts there next time (still probing upward)', async () => {
    const data = new Map<string, string>();
    const storage: StorageLike = { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
    const first = make({}, { storage });
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.fail('upgrade-blocked', blocked());
    fakes.last('polling')!.open();
    first.client.close();
    const elsewhere = make({ url: 'http://other.test' }, { storage });
    await vi.advanceTimersByTimeAsync(0);
    expect(fakes.last()!.name).toBe('websocket'); // another origin remembers nothing
    elsewhere.client.close();
    const n = fakes.created.length;
    const second = make({ upgradeIntervalMs: 1000 }, { storage });
    await vi.advanceTimersByTimeAsync(0);
    expect(fakes.created[n]!.name).toBe('polling');
    fakes.created[n]!.open();
    await vi.advanceTimersByTimeAsync(1000);
    expect(fakes.last()!.name).toBe('websocket');
    second.client.close();
  });

  it('a lower rung that keeps failing starts over from the top', async () => {
    make({}, { headStartMs: 10_000, probationMs: 1000 });
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.fail('upgrade-blocked', blocked());
    fakes.last('polling')!.open();
    for (let i = 0; i < 3; i++) {
      fakes.last('polling')!.fail('transport-closed'); // dies right after opening
      await vi.advanceTimersByTimeAsync(500);
      if (i < 2) fakes.last('polling')!.open();
    }
    expect(fakes.last()!.name).toBe('websocket');
  });

  it('a probe whose channel join throws is dropped and retried later; traffic stays on the lower rung', async () => {
    const { client } = make({ upgradeIntervalMs: 1000 });
    client.channel('r');
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.fail('upgrade-blocked', blocked());
    const polling = fakes.last('polling')!;
    polling.open();
    await vi.advanceTimersByTimeAsync(1000);
    const probe = fakes.last('websocket')!;
    probe.joinReply = () => { throw new Error('join failed'); };
    probe.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(probe.closed).toBe(true);
    expect(client.getState().transport).toBe('polling');
    await vi.advanceTimersByTimeAsync(1000);
    // Retried later: a new websocket probe, while the same polling connection carries traffic.
    expect(fakes.last('websocket')).not.toBe(probe);
    expect(fakes.last('polling')).toBe(polling);
    expect(polling.closed).toBe(false);
    client.close();
  });

  it('upgradeIntervalMs: false never probes the top rung', async () => {
    const { client } = make({ upgradeIntervalMs: false });
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.fail('upgrade-blocked', blocked());
    fakes.last('polling')!.open();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fakes.created).toHaveLength(2);
    expect(inspectClient(client).timers).toBe(0);
    client.close();
  });

  it('holds no extra timers, listeners or transports after 1000 reconnect cycles', async () => {
    const { client } = make({}, { probationMs: 0 });
    client.on('news', () => {});
    const baseline = inspectClient(client);
    for (let i = 0; i < 1000; i++) {
      await vi.advanceTimersByTimeAsync(400);
      fakes.last('websocket')!.open();
      fakes.last('websocket')!.fail('transport-closed');
    }
    await vi.advanceTimersByTimeAsync(400);
    fakes.last('websocket')!.open();
    expect(inspectClient(client)).toEqual({ ...baseline, timers: 0, sockets: 1, transports: ['websocket'] });
    client.close();
  });

  it('works when storage throws', async () => {
    const storage: StorageLike = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); }, removeItem: () => { throw new Error('denied'); } };
    const { client } = make({}, { storage });
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.fail('upgrade-blocked', blocked());
    fakes.last('polling')!.open();
    expect(client.getState().status).toBe('connected');
    client.close();
  });

  it('pauses retries while offline and retries at once on `online` and on visible', async () => {
    const target = new EventTarget();
    let online = true;
    let visible = true;
    const environment = { target, isOnline: () => online, isVisible: () => visible };
    const { client } = make({}, { environment });
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.open();
    online = false;
    fakes.last('websocket')!.fail('transport-closed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fakes.created).toHaveLength(1);
    online = true;
    target.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(fakes.created).toHaveLength(2);
    // Waiting out a backoff, a tab that becomes visible retries now.
    fakes.last('websocket')!.fail('unreachable');
    fakes.last('polling')!.fail('unreachable');
    const before = fakes.created.length;
    visible = false;
    target.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(0);
    expect(fakes.created).toHaveLength(before);
    visible = true;
    target.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(0);
    expect(fakes.created).toHaveLength(before + 1);
    client.close();
    expect(inspectClient(client).listeners).toBe(0);
  });

  it('ignores callbacks of a stale attempt', async () => {
    const { client } = make();
    await vi.advanceTimersByTimeAsync(0);
    const old = fakes.last('websocket')!;
    client.disconnect();
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    old.open(); // its listeners were released with the attempt
    expect(client.getState().status).toBe('connecting');
    fakes.last('websocket')!.open();
    expect(client.getState().status).toBe('connected');
    client.close();
  });

  it('disconnect() stops retrying and connect() resumes; close() releases everything', async () => {
    const { client } = make();
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.open();
    client.disconnect();
    expect(client.getState()).toMatchObject({ status: 'idle', transport: null });
    expect(inspectClient(client)).toMatchObject({ sockets: 0, timers: 0 });
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.open();
    client.close();
    expect(client.getState().status).toBe('closed');
    expect(inspectClient(client)).toEqual({ timers: 0, listeners: 0, sockets: 0, transports: [] });
  });
});
