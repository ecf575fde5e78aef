/**
 * Ladder edges against real parts: a Socket.IO server on 127.0.0.1 behind the testkit fault proxy,
 * real websocket/polling transports, real time. The rules were unit-tested with a fake transport;
 * these pin what they do with socket.io-client and a real middlebox:
 * - a connection that opens, then drops every frame (silent) counts against its rung;
 * - polling behind a round-robin without sticky sessions ("Session ID unknown");
 * - a namespace CONNECT that a middleware never acknowledges;
 * - the head-start race against a black-holed upgrade with default options.
 */
import { createClient, type ClientOptions, type EventSchemas, type LifelineClient, type TransportChange } from '@lifeline/core';
import { createTestClient, inspectClient, type ClientDeps } from '@lifeline/core/testing';
import { delay, startProxy, startServer, waitFor, type FaultProxy, type ProxyMode, type TestServer, type TestServerOptions } from '@lifeline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createLifeline, memoryStore, type Lifeline } from '@lifeline/server';
import { FAST, lifelineHandlers } from './setup';

const clients: Array<LifelineClient<EventSchemas>> = [];
const proxies: FaultProxy[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const p of proxies.splice(0)) await p.close();
  for (const s of servers.splice(0)) await s.close();
});

async function server(options: TestServerOptions = {}): Promise<TestServer> {
  const s = await startServer({ setup: (io) => lifelineHandlers(io), ...options });
  servers.push(s);
  return s;
}

async function proxy(target: number | number[], mode: ProxyMode): Promise<FaultProxy> {
  const p = await startProxy(target, mode);
  proxies.push(p);
  return p;
}

function client(options: ClientOptions<EventSchemas>, deps?: ClientDeps): LifelineClient<EventSchemas> {
  const c = deps ? createTestClient(options, deps) : createClient(options);
  clients.push(c);
  return c;
}

function transportLog(c: LifelineClient<EventSchemas>): TransportChange[] {
  const changes: TransportChange[] = [];
  c.on('transport', (change) => changes.push(change));
  return changes;
}

/** Quick heartbeats, so a silent connection is noticed in ~0.7 s instead of 45 s. */
const QUICK_PINGS = { serverOptions: { pingInterval: 400, pingTimeout: 300 } };

describe('a connection that opens, then goes silent', () => {
  it('a websocket that opens and then stays mute falls back to polling at once (issue #13: not after 3 such timeouts): events keep flowing, probes never take over', async () => {
    const s = await server(QUICK_PINGS);
    const p = await proxy(s.port, 'blackhole-after-upgrade');
    const c = client({ url: p.url, reconnect: FAST, upgradeIntervalMs: 300 });
    const changes = transportLog(c);
    const got: unknown[] = [];
    c.channel('desk'); // joined on every carrier; plain room events reach client-level handlers
    c.on('news', (n) => got.push(n));

    await waitFor(() => c.getState().transport === 'polling', { message: 'falls back to polling', timeoutMs: 10_000 });
    expect(p.stats.upgrades).toBe(1); // one websocket connection, opened then mute: another would be the same
    // `transport` events mark carrier changes: websocket, then polling.
    expect(changes.map((x) => x.to)).toEqual(['websocket', 'polling']);
    expect(changes.at(-1)!.reason).toMatch(/opened, then nothing arrived.*falling back to polling/);
    expect(c.getState().lastError?.hint).toMatch(/passes the handshake, then drops/);

    // Probes every 300 ms: each opens through the middlebox, its channel join is never answered,
    // so none takes over; every event arrives over polling meanwhile.
    // Plain room events are not replayed: start once the polling connection has joined the room.
    await waitFor(() => s.io.of('/').adapter.rooms.get('desk')?.size === 1, { message: 'joined on polling' });
    const upgrades = p.stats.upgrades;
    const started = Date.now();
    for (let i = 1; i <= 30; i++) {
      s.io.to('desk').emit('news', i);
      await delay(70);
    }
    await waitFor(() => got.length >= 30, { message: 'every event over polling' });
    expect(got).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(c.getState()).toMatchObject({ status: 'connected', transport: 'polling', fallback: true });
    expect(changes.map((x) => x.to)).toEqual(['websocket', 'polling']);
    expect(p.stats.upgrades - upgrades).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 300) + 1);
  });

  it('silence that outlasts the probation window still counts: no websocket reconnects', async () => {
    // Default servers ping every 25 s: a silent connection dies long after the 3 s probation.
    // Scaled down here: death after ~0.8 s, probation 0.2 s.
    const s = await server({ serverOptions: { pingInterval: 500, pingTimeout: 300 } });
    const p = await proxy(s.port, 'blackhole-after-upgrade');
    const c = client({ url: p.url, reconnect: FAST, upgradeIntervalMs: 60_000 }, { probationMs: 200, storage: null });
    const changes = transportLog(c);
    const got: unknown[] = [];
    c.on('news', (n) => got.push(n));

    await waitFor(() => c.getState().transport === 'polling', { message: 'falls back to polling', timeoutMs: 10_000 });
    expect(p.stats.upgrades).toBe(1);
    expect(changes.at(-1)!.reason).toMatch(/opened, then nothing arrived \(ping timeout\)/);
    s.io.emit('news', 1);
    await waitFor(() => got.length === 1, { message: 'event over polling' });
    await delay(1000);
    expect(p.stats.upgrades).toBe(1);
    expect(c.getState().transport).toBe('polling');
  });

  it('a climb back into a silent websocket returns to polling at once, and is not repeated until frames flow again', async () => {
    const s = await server(QUICK_PINGS);
    const p = await proxy(s.port, 'reject-upgrade');
    const c = client({ url: p.url, reconnect: FAST, upgradeIntervalMs: 300 });
    const changes = transportLog(c);
    const got: unknown[] = [];
    c.on('news', (n) => got.push(n));
    await waitFor(() => c.getState().transport === 'polling', { message: 'on polling' });

    // No channels: nothing but the handshake can vet the first probe, so it takes over.
    p.setMode('blackhole-after-upgrade');
    await waitFor(() => changes.some((x) => x.to === 'websocket'), { message: 'climbs into the silent websocket' });
    await waitFor(() => changes.at(-1)?.to === 'polling', { message: 'returns to polling', timeoutMs: 3000 });
    expect(changes.at(-1)!.reason).toMatch(/did not hold after climbing back, returning to polling/);
    expect(p.stats.upgrades).toBeGreaterThanOrEqual(1);

    // From now on a probe must hear from the server before it takes over: it never does here.
    const upgrades = p.stats.upgrades;
    const started = Date.now();
    for (let i = 1; i <= 30; i++) {
      s.io.emit('news', i);
      await delay(80);
    }
    await waitFor(() => got.length >= 30, { message: 'events over polling' });
    expect(got).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(changes.filter((x) => x.to === 'websocket')).toHaveLength(1);
    expect(c.getState()).toMatchObject({ status: 'connected', transport: 'polling' });
    expect(p.stats.upgrades - upgrades).toBeGreaterThanOrEqual(1); // it does keep probing
    expect(p.stats.upgrades - upgrades).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 300) + 1);

    // Frames flow again: the next probe hears a heartbeat and takes over for good.
    p.setMode('pass');
    await waitFor(() => c.getState().transport === 'websocket', { message: 'climbs back once frames flow', timeoutMs: 5000 });
    await delay(1000);
    expect(c.getState()).toMatchObject({ status: 'connected', transport: 'websocket', fallback: false });
    s.io.emit('news', 31);
    await waitFor(() => got.length === 31, { message: 'event over websocket' });
  });
});

describe('polling behind a round-robin without sticky sessions', () => {
  it('"Session ID unknown" is a polling failure with a sticky-session hint; the ladder stays on websocket and connects once upgrades pass', async () => {
    let handshakes = 0;
    const setup = (io: import('socket.io').Server) => {
      lifelineHandlers(io);
      io.engine.on('connection', () => handshakes++);
    };
    const a = await server({ setup });
    const b = await server({ setup });
    const p = await proxy([a.port, b.port], 'reject-upgrade');
    const c = client({ url: p.url, reconnect: FAST });
    const changes = transportLog(c);

    await waitFor(() => c.getState().attempt >= 3, { message: 'several failed rounds', timeoutMs: 5000 });
    const s = c.getState();
    expect(s.status).toBe('reconnecting');
    expect(s.lastError?.code).toBe('UNREACHABLE');
    expect(s.lastError?.message).toMatch(/Session ID unknown/);
    expect(s.lastError?.hint).toMatch(/sticky sessions/);
    expect(changes).toEqual([]); // never connected, never escalated
    // Each round: one websocket try, one polling try to verify it; no polling-only loop.
    expect(handshakes).toBeLessThanOrEqual(p.stats.upgrades + 1);
    expect(p.stats.upgrades).toBeGreaterThanOrEqual(s.attempt);

    // One WebSocket connection needs no stickiness: fix the proxy and it connects.
    p.setMode('pass');
    await waitFor(() => c.getState().status === 'connected', { message: 'connects over websocket', timeoutMs: 3000 });
    expect(c.getState()).toMatchObject({ transport: 'websocket', fallback: false, lastError: null });
    const got: unknown[] = [];
    c.on('news', (n) => got.push(n));
    a.io.emit('news', 'a');
    b.io.emit('news', 'b');
    await waitFor(() => got.length === 1, { message: 'the event of the node it reached' });
  });
});

describe('no sticky sessions, upgrades rejected, and an http rung', () => {
  it('polling cannot work ("Session ID unknown"), so the stateless http rung carries the channel: every event once, in order', async () => {
    // Two nodes behind a round-robin without sticky sessions share one event log, as two
    // processes share a Redis store.
    const store = memoryStore({ maxEvents: 1000 });
    const lifelines: Lifeline[] = [];
    const node = async (): Promise<[TestServer, Lifeline]> => {
      let lifeline!: Lifeline;
      const s = await server({
        setup: (io) => void (lifeline = createLifeline(io.of('/'), { store, authenticate: () => ({ name: 'ada' }) })),
        http: (req, res, next) => lifeline.http(req, res, next),
      });
      lifelines.push(lifeline);
      return [s, lifeline];
    };
    const [a, lifelineA] = await node();
    const [b, lifelineB] = await node();
    const p = await proxy([a.port, b.port], 'reject-upgrade');
    const c = client({ url: p.url, reconnect: FAST, http: { url: `${p.url}/lifeline`, wait: 2 } });
    const got: unknown[] = [];
    c.channel('desk').on('n', (n) => got.push(n));
    await waitFor(() => c.getState().status === 'connected', { message: 'connected', timeoutMs: 8000 });
    expect(c.getState()).toMatchObject({ transport: 'http', fallback: true });
    await waitFor(() => lifelineA.stats().waitingPolls + lifelineB.stats().waitingPolls > 0, { message: 'a poll waits' });
    for (let i = 1; i <= 6; i++) await (i % 2 ? lifelineA : lifelineB).publish('desk', 'n', i);
    await waitFor(() => got.length >= 6, { message: 'six events over http' });
    await delay(200);
    expect(got).toEqual([1, 2, 3, 4, 5, 6]);
    // The notice blames what is missing (stickiness, or the upgrade), not a blocked Socket.IO path.
    const notice = c.getState().lastError!;
    expect(notice.code).toBe('UPGRADE_BLOCKED');
    expect(notice.message).toMatch(/Session ID unknown/);
    expect(notice.hint).toMatch(/sticky sessions/);
    expect(notice.hint).not.toMatch(/refuses the Socket.IO path/);
    for (const l of lifelines) await l.close();
  });
});

describe('a namespace CONNECT that is never acknowledged', () => {
  it('is a TIMEOUT with a middleware hint, retried on the same rung, and connects once the middleware lets it through', async () => {
    let hang = true;
    let connects = 0;
    const s = await server({
      setup: (io) => {
        io.use((_socket, next) => {
          connects++;
          if (!hang) next();
        });
        lifelineHandlers(io);
      },
    });
    const p = await proxy(s.port, 'pass');
    const c = client({ url: p.url, reconnect: FAST });
    const changes = transportLog(c);
    const errors: unknown[] = [];
    c.on('error', (e) => errors.push(e));

    await waitFor(() => c.getState().attempt >= 2, { message: 'two timed-out attempts', timeoutMs: 6000 });
    const st = c.getState();
    expect(st.status).toBe('reconnecting');
    expect(st.lastError?.code).toBe('TIMEOUT');
    expect(st.lastError?.message).toMatch(/namespace "\/" did not acknowledge the connection within 1000 ms/);
    expect(st.lastError?.hint).toMatch(/middleware.*never calls `next\(\)`/);
    expect(changes).toEqual([]);
    expect(connects).toBeGreaterThanOrEqual(2);

    hang = false;
    await waitFor(() => c.getState().status === 'connected', { message: 'connects after the middleware recovers', timeoutMs: 5000 });
    expect(c.getState()).toMatchObject({ transport: 'websocket', fallback: false, lastError: null });
    expect(errors).toEqual([]); // retried quietly: nothing terminal, no fallback notice
  });
});

describe('head start against a real black-holed upgrade', () => {
  it('default options: connected on polling after a 250 ms head start; the stalled websocket attempt is kept until it times out, then the fall is told; only polling carries traffic', async () => {
    const s = await server();
    const p = await proxy(s.port, 'blackhole-upgrade');
    const started = Date.now();
    const c = client({ url: p.url }); // defaults: timeoutMs 5000, head start 250 ms
    const got: Array<{ n: unknown; transport: string }> = [];
    c.on('news', (n, meta) => got.push({ n, transport: meta.transport }));
    await waitFor(() => c.getState().status === 'connected', { message: 'connected', timeoutMs: 6000 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(200); // it did give websocket its head start
    expect(elapsed).toBeLessThan(3000);
    expect(c.getState()).toMatchObject({ transport: 'polling', fallback: true, lastError: null });
    expect(p.stats.upgrades).toBe(1);
    // Happy Eyeballs: the stalled websocket attempt lives on (it may just be slow).
    expect([...inspectClient(c).transports].sort()).toEqual(['polling', 'websocket']);
    await waitFor(() => s.io.of('/').sockets.size === 1, { message: 'one server connection' });
    s.io.emit('news', 1);
    await waitFor(() => got.length === 1, { message: 'event' });
    // It times out (timeoutMs): now the fall is told, and only polling is left.
    await waitFor(() => c.getState().lastError?.code === 'UPGRADE_BLOCKED', { message: 'fall told', timeoutMs: 7000 });
    expect(c.getState()).toMatchObject({ transport: 'polling', fallback: true });
    expect(inspectClient(c).transports).toEqual(['polling']);
    expect(got).toEqual([{ n: 1, transport: 'polling' }]);
    expect(s.io.of('/').sockets.size).toBe(1);
  }, 15_000);

});
