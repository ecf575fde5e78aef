/**
 * Liveness (issue #13): a connection that dies silently is noticed within the heartbeat bound
 * with the companion, and a healthy connection to a server without it is never declared dead.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient, type ClientOptions, type TransportChange } from '@lifeline/core';
import { createLifeline, type Lifeline } from '@lifeline/server';
import { delay, startProxy, startServer, waitFor, type FaultProxy, type TestServer } from '@lifeline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST } from './setup';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * Socket.IO with the companion on '/', its HTTP endpoint under /lifeline, and Socket.IO's default
 * Engine.IO ping (25 s + 20 s; testkit's harness pings every 2 s): only the heartbeat can notice
 * a silent death within these tests.
 */
async function startCompanion(): Promise<{ server: TestServer; lifeline: Lifeline; base: string }> {
  let lifeline: Lifeline | undefined;
  const server = await startServer({
    serverOptions: { pingInterval: 25_000, pingTimeout: 20_000 },
    setup: (io) => {
      lifeline = createLifeline(io.of('/'), { onError: () => {} });
    },
    http: (req, res, next) => lifeline!.http(req, res, next),
  });
  cleanups.push(() => server.close(), () => lifeline!.close());
  return { server, lifeline: lifeline!, base: `${server.url}/lifeline` };
}

/**
 * A client behind a fault proxy on channel 'ticks' of a companion that publishes a tick every
 * 100 ms, warmed up (more than 5 ticks received); `pause`/`resume` hold the publisher.
 */
async function tickingBehindProxy(options: (proxyUrl: string) => ClientOptions) {
  const companion = await startCompanion();
  const proxy = await startProxy(companion.server.port);
  cleanups.push(() => proxy.close());
  const client = createClient(options(proxy.url));
  cleanups.push(() => client.close());
  const statuses: string[] = [];
  client.subscribeState((s) => statuses.push(s.status));
  const got: number[] = [];
  client.channel('ticks').on('tick', (n) => got.push(n as number));
  let n = 0;
  let paused = false;
  const timer = setInterval(() => void (paused || companion.lifeline.publish('ticks', 'tick', n++)), 100);
  cleanups.push(() => clearInterval(timer));
  await waitFor(() => expect(got.length).toBeGreaterThan(5), { timeoutMs: 5000 });
  return { proxy, client, statuses, got, published: () => n, pause: (p: boolean) => void (paused = p) };
}

/** Every tick once, in order, none missing between the first and the last received. */
function expectOnceInOrder(got: readonly number[]): void {
  const sorted = [...new Set(got)].sort((a, b) => a - b);
  expect(got).toEqual(sorted);
  expect(sorted.at(-1)! - sorted[0]! + 1).toBe(sorted.length);
}

describe('heartbeat with the companion', () => {
  it.each(['websocket', 'polling'] as const)('a frozen %s flow is noticed and the stream resumes on the same rung, nothing lost', async (rung) => {
    const { proxy, client, statuses, got, published, pause } = await tickingBehindProxy((url) => ({ url, transports: [rung], reconnect: FAST }));
    // Freeze while a connection is open (over polling: while the server holds a long-poll).
    pause(true);
    await new Promise((r) => setTimeout(r, 300));
    await waitFor(() => proxy.connections() > 0);
    proxy.setMode('freeze');
    pause(false);
    const frozenAt = published();
    // Engine.IO alone would notice after pingInterval + pingTimeout (45 s): far beyond this wait.
    await waitFor(() => expect(got.at(-1)).toBeGreaterThan(frozenAt + 5), { timeoutMs: 9000 });
    expect(statuses).toContain('reconnecting'); // it noticed, and came back
    expect(client.getState().transport).toBe(rung);
    expectOnceInOrder(got); // no duplicates, in order, none lost
  }, 20_000);
});

/** A Socket.IO server in a child process, so its event-loop stalls do not stall the client. */
interface ChildStats {
  heartbeats: number;
  /** Namespace connections and Engine.IO connections the server accepted, ticks it published. */
  connections: number;
  engines: number;
  published: number;
}

async function childServer(args: string[]): Promise<{ port: number; stats: () => Promise<ChildStats>; child: ChildProcess }> {
  const script = fileURLToPath(new URL('../fixtures/stallServer.ts', import.meta.url));
  const child = fork(script, args, { execArgv: ['--import', 'tsx', '--conditions=@lifeline/source'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  cleanups.push(() => child.kill());
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`stall server exited (${code})`)));
  });
  const stats = () =>
    new Promise<ChildStats>((resolve) => {
      const on = (m: unknown) => {
        if (typeof m !== 'object' || m === null || !('connections' in m)) return; // a --slow* notice
        child.off('message', on);
        resolve(m as ChildStats);
      };
      child.on('message', on);
      child.send('stats');
    });
  return { port, stats, child };
}

describe('no false alarms', () => {
  it.each([
    ['an unmodified server', []],
    ['the companion', ['--companion']],
  ])('%s stalling its event loop 1 s every 2.5 s: no reconnect over a long idle period', async (_name, extra) => {
    const server = await childServer(['--stall=1000/2500', ...extra]);
    const proxy: FaultProxy = await startProxy(server.port);
    cleanups.push(() => proxy.close());
    const client = createClient({ url: proxy.url, reconnect: FAST, upgradeIntervalMs: false });
    cleanups.push(() => client.close());
    client.channel('idle'); // joins go unanswered by the unmodified server
    const changes: TransportChange[] = [];
    client.on('transport', (c) => changes.push(c));
    await waitFor(() => expect(client.getState().status).toBe('connected'), { timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 12_000));
    expect(changes.map((c) => `${c.from}→${c.to}: ${c.reason}`)).toEqual([expect.stringMatching(/^null→websocket/)]);
    const { heartbeats } = await server.stats();
    if (extra.length) expect(heartbeats).toBeGreaterThan(2); // idle: heartbeats kept proving it alive
    else expect(heartbeats).toBe(1); // learned on the first one that this server does not answer
  }, 30_000);
});

/** Blocks this process's event loop (the client's), as a long task or a busy Node process does. */
function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy: timers due meanwhile fire late, before the I/O that arrived meanwhile is read
  }
}

/** Calls `stall()` on each IPC notice of the child server for which `when(notice)` holds. */
function onNotice(child: ChildProcess, when: (notice: Record<string, unknown>) => boolean, stall: () => void): void {
  child.on('message', (m) => {
    if (typeof m === 'object' && m !== null && when(m as Record<string, unknown>)) stall();
  });
}

describe('the client\'s own event loop stalls (a long task, a busy process): no spurious reconnect', () => {
  it.each(['websocket', 'polling'] as const)('over %s, busy 1.5 s while a heartbeat is out (timeout 1 s, answered after 100 ms), three times: same connection, every event once, in order', async (rung) => {
    const server = await childServer(['--companion', '--publish=700', '--slowbeat=100']);
    const client = createClient({ url: `http://127.0.0.1:${server.port}`, transports: [rung], reconnect: FAST, upgradeIntervalMs: false, heartbeat: { event: 'slowbeat', intervalMs: 300, timeoutMs: 1000 } });
    cleanups.push(() => client.close());
    const statuses: string[] = [];
    client.subscribeState((s) => statuses.push(s.status));
    const changes: TransportChange[] = [];
    client.on('transport', (c) => changes.push(c));
    const got: number[] = [];
    client.channel('ticks').on('tick', (n) => got.push(n as number));
    await waitFor(() => expect(got.length).toBeGreaterThan(1), { timeoutMs: 5000 });
    // The answer arrives 100 ms after the heartbeat left, while this loop is blocked; the
    // heartbeat's deadline (1 s) is due 500 ms before the loop is free again (less than a sleep).
    let stalls = 0;
    let freeAt = 0;
    onNotice(server.child, (n) => n.beat !== undefined && stalls < 3 && Date.now() - freeAt > 1000, () => {
      stalls++;
      busy(1500);
      freeAt = Date.now();
    });
    await waitFor(() => expect(stalls).toBe(3), { timeoutMs: 15_000 });
    const { published } = await server.stats();
    await waitFor(() => expect(got.at(-1)).toBeGreaterThanOrEqual(published - 1), { timeoutMs: 3000 });
    expect(statuses).not.toContain('reconnecting');
    expect(changes.map((c) => `${c.from}→${c.to}`)).toEqual([`null→${rung}`]);
    expect(client.getState().status).toBe('connected');
    const { connections, engines } = await server.stats();
    expect({ connections, engines }).toEqual({ connections: 1, engines: 1 }); // the same socket throughout
    expectOnceInOrder(got);
  }, 30_000);

  // Where the long task starts decides what runs first when it ends. Started from I/O (here the
  // server's IPC notice), the rest of that I/O phase runs next; an answer that then needs one more
  // timer turn (socket.io-client over a websocket) comes after the deadline due meanwhile. Started
  // from a timer, the deadline due meanwhile runs before any I/O is read (shown over polling; over
  // a websocket Node happened to read the answer first). Each case fails with a plain setTimeout
  // deadline. (The http rung's fetch answer is read in the same
  // I/O phase in Node either way; its deadlines use the same stall-safe timer for browsers, whose
  // task order after a long task is the browser's choice.)
  it.each([
    ['websocket', 'I/O'],
    ['polling', 'I/O'],
    ['polling', 'a timer'],
  ] as const)('over %s, client.ping({ timeoutMs: 1000 }) answered after 100 ms while a long task started from %s blocks the loop 1.5 s: resolves with the round trip, no TIMEOUT, same connection', async (rung, from) => {
    const server = await childServer(['--companion', '--slowbeat=100']);
    const client = createClient({
      url: `http://127.0.0.1:${server.port}`,
      transports: [rung],
      reconnect: FAST,
      upgradeIntervalMs: false,
      // The ping asks 'slowbeat' (a custom heartbeat event); no further heartbeat in this test.
      heartbeat: { event: 'slowbeat', intervalMs: 60_000, timeoutMs: 1000 },
    });
    cleanups.push(() => client.close());
    await waitFor(() => expect(client.getState().status).toBe('connected'), { timeoutMs: 5000 });
    // The connection's first heartbeat (it learns that the server answers) is out of the way.
    await waitFor(async () => expect((await server.stats()).heartbeats).toBe(1), { timeoutMs: 3000 });
    await delay(300);
    const changes: TransportChange[] = [];
    client.on('transport', (c) => changes.push(c));
    let stalled = false;
    // The ping's deadline (1 s) is due 500 ms before the loop is free; its answer came 1.4 s earlier.
    onNotice(server.child, (n) => n.beat !== undefined && !stalled, () => {
      stalled = true;
      if (from === 'I/O') busy(1500);
      else setTimeout(() => busy(1500), 0);
    });
    const rtt = await client.ping({ timeoutMs: 1000 });
    expect(stalled).toBe(true);
    expect(rtt).toBeGreaterThanOrEqual(1500);
    expect(changes).toEqual([]);
    expect(client.getState()).toMatchObject({ status: 'connected', transport: rung });
  }, 20_000);

  it.each([
    ['the default ladder', undefined],
    ['polling only', ['polling'] as const],
  ])('%s: busy 1.5 s during the connect attempt (timeout 1 s) while the server accepts: connected on the first attempt, no racer', async (_name, transports) => {
    const server = await childServer(['--companion', '--slowconnect=100']);
    let stalled = false;
    // The namespace CONNECT is out (and the head start running); its acceptance arrives mid-stall.
    onNotice(server.child, (n) => n.connecting === true && !stalled, () => {
      stalled = true;
      busy(1500);
    });
    const client = createClient({ url: `http://127.0.0.1:${server.port}`, ...(transports ? { transports: [...transports] } : {}), reconnect: FAST, upgradeIntervalMs: false });
    cleanups.push(() => client.close());
    const statuses: string[] = [];
    client.subscribeState((s) => statuses.push(s.status));
    const changes: TransportChange[] = [];
    client.on('transport', (c) => changes.push(c));
    await waitFor(() => expect(client.getState().status).toBe('connected'), { timeoutMs: 5000 });
    expect(stalled).toBe(true);
    expect(statuses).not.toContain('reconnecting');
    expect(changes.map((c) => `${c.from}→${c.to}: ${c.reason}`)).toEqual([expect.stringMatching(transports ? /^null→polling/ : /^null→websocket/)]);
    await new Promise((r) => setTimeout(r, 300)); // a racer launched late would show up by now
    const { connections, engines } = await server.stats();
    expect({ connections, engines }).toEqual({ connections: 1, engines: 1 }); // no second attempt, no polling racer
  }, 20_000);
});

describe('a middlebox that passes the handshake, then drops every frame', () => {
  it('blackhole-after-upgrade from the start, with the companion: on polling and delivering without waiting for Engine.IO\'s ping timeout', async () => {
    const companion = await startCompanion();
    const proxy = await startProxy(companion.server.port, 'blackhole-after-upgrade');
    cleanups.push(() => proxy.close());
    const client = createClient({ url: proxy.url, upgradeIntervalMs: false });
    cleanups.push(() => client.close());
    const changes: TransportChange[] = [];
    client.on('transport', (c) => changes.push(c));
    client.on('error', () => {});
    const got: number[] = [];
    client.channel('ticks').on('tick', (n) => got.push(n as number));
    let n = 0;
    const timer = setInterval(() => void companion.lifeline.publish('ticks', 'tick', n++), 100);
    cleanups.push(() => clearInterval(timer));
    // The server pings every 25 s: without the heartbeat nothing would happen for 45 s.
    await waitFor(() => expect(got.length).toBeGreaterThan(0), { timeoutMs: 9000 });
    expect(client.getState().transport).toBe('polling');
    expect(proxy.stats.upgrades).toBe(1); // one mute websocket was enough to know
    expect(changes.at(-1)!.reason).toMatch(/nothing arrived after the handshake, falling back to polling/);
  }, 20_000);
});

describe('client.ping() and client.rtt', () => {
  it('measures a round trip over websocket with the companion; heartbeats keep rtt fresh', async () => {
    const companion = await startCompanion();
    const client = createClient({ url: companion.server.url, heartbeat: { intervalMs: 200, timeoutMs: 1000 } });
    cleanups.push(() => client.close());
    expect(client.rtt).toBeNull();
    await expect(client.ping()).rejects.toMatchObject({ code: 'UNREACHABLE' }); // not connected yet
    await waitFor(() => client.getState().status === 'connected');
    await waitFor(() => client.rtt !== null); // the first heartbeat's answer
    const ms = await client.ping();
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(1000);
    expect(client.rtt).toBe(ms);
    client.close();
    await expect(client.ping()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('an unmodified server answers too (polling), and a frozen flow times out with TIMEOUT', async () => {
    const server = await startServer({ serverOptions: { pingInterval: 25_000, pingTimeout: 20_000 } });
    cleanups.push(() => server.close());
    const proxy = await startProxy(server.port);
    cleanups.push(() => proxy.close());
    const client = createClient({ url: proxy.url, transports: ['polling'] });
    cleanups.push(() => client.close());
    await waitFor(() => client.getState().status === 'connected');
    expect(await client.ping()).toBeGreaterThanOrEqual(0);
    await waitFor(() => proxy.connections() > 0); // the next long-poll is out (it follows each answer)
    proxy.setMode('freeze');
    await expect(client.ping({ timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('the http rung pings its endpoint', async () => {
    const companion = await startCompanion();
    const client = createClient({ url: companion.server.url, transports: ['http'], http: { url: companion.base } });
    cleanups.push(() => client.close());
    await waitFor(() => client.getState().status === 'connected');
    expect(await client.ping()).toBeGreaterThanOrEqual(0);
    expect(client.rtt).not.toBeNull();
  });
});

describe('wake-ups', () => {
  it('back online: a frozen connection is verified at once, not at the next heartbeat', async () => {
    const { createTestClient } = await import('@lifeline/core/testing');
    const companion = await startCompanion();
    const proxy = await startProxy(companion.server.port);
    cleanups.push(() => proxy.close());
    const win = new EventTarget();
    // Heartbeats only every minute: only the wake-up can notice the freeze within this test.
    const client = createTestClient({ url: proxy.url, reconnect: FAST, heartbeat: { intervalMs: 60_000, timeoutMs: 500 } }, { environment: { target: win, isOnline: () => true, isVisible: () => true } });
    cleanups.push(() => client.close());
    const got: number[] = [];
    client.channel('ticks').on('tick', (n) => got.push(n as number));
    await waitFor(() => client.getState().status === 'connected');
    await waitFor(() => client.rtt !== null); // this server answers heartbeats
    let n = 0;
    const timer = setInterval(() => void companion.lifeline.publish('ticks', 'tick', n++), 100);
    cleanups.push(() => clearInterval(timer));
    await waitFor(() => got.length > 3);
    proxy.setMode('freeze');
    const frozenAt = n;
    await new Promise((r) => setTimeout(r, 300));
    win.dispatchEvent(new Event('online')); // the laptop woke up
    await waitFor(() => expect(got.at(-1)).toBeGreaterThan(frozenAt + 3), { timeoutMs: 4000 });
  }, 15_000);
});

describe('Happy Eyeballs', () => {
  it('a slow but working websocket (upgrade answered after 600 ms): polling carries the first events, then the kept websocket attempt takes over, nothing lost', async () => {
    const companion = await startCompanion();
    const proxy = await startProxy(companion.server.port);
    cleanups.push(() => proxy.close());
    proxy.upgradeDelayMs = 600;
    // No climb-back probes: only the websocket attempt kept from the race can end on websocket.
    const client = createClient({ url: proxy.url, upgradeIntervalMs: false });
    cleanups.push(() => client.close());
    const changes: TransportChange[] = [];
    client.on('transport', (c) => changes.push(c));
    const got: number[] = [];
    client.channel('ticks').on('tick', (n) => got.push(n as number));
    let n = 0;
    const timer = setInterval(() => void companion.lifeline.publish('ticks', 'tick', n++), 50);
    cleanups.push(() => clearInterval(timer));
    await waitFor(() => client.getState().transport === 'websocket', { timeoutMs: 5000 });
    expect(changes.map((c) => c.to)).toEqual(['polling', 'websocket']);
    expect(proxy.stats.upgrades).toBe(1); // the same attempt, not a new probe
    const at = n;
    await waitFor(() => expect(got.at(-1)).toBeGreaterThan(at));
    expectOnceInOrder(got); // in order, no duplicates, none lost across the switch
  });
});

describe('the http rung', () => {
  it('a frozen long-poll is noticed within its wait plus reconnect.timeoutMs, and the stream resumes with nothing lost', async () => {
    const { proxy, statuses, got, published, pause } = await tickingBehindProxy((url) => ({ url, transports: ['http'], http: { url: `${url}/lifeline`, wait: 2 }, reconnect: { ...FAST, timeoutMs: 2000 } }));
    pause(true); // freeze while the server holds a long-poll
    await new Promise((r) => setTimeout(r, 300));
    proxy.setMode('freeze');
    pause(false);
    const frozenAt = published();
    // wait (2 s) + timeoutMs (2 s), then a fresh poll on a new connection.
    await waitFor(() => expect(got.at(-1)).toBeGreaterThan(frozenAt + 5), { timeoutMs: 9000 });
    expect(statuses).toContain('reconnecting');
    expectOnceInOrder(got);
  }, 20_000);
});
