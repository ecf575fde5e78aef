/**
 * Nothing lost, nothing twice: a real Socket.IO server with the real `@lifeline/server`
 * companion, behind the testkit fault proxy, publishing to a channel every 10 ms while the
 * network breaks in several ways. The ids a Lifeline client receives must be exactly the ids
 * published — same list, same order — and the test also proves that the breaks really moved the
 * client (transport switches, reconnects), so a quiet network cannot make it pass.
 */
import { createClient, type LifelineClient, type TransportChange, type TransportName } from '@lifeline/core';
import { inspectClient } from '@lifeline/core/testing';
import { memoryStore, type Lifeline } from '@lifeline/server';
import { delay, openHandles, startProxy, waitFor, type FaultProxy, type ProxyMode, type TestServer } from '@lifeline/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCompanion } from './setup';

const CHANNEL = 'ticket:42';
/** How long the publisher runs and how often it publishes. */
const PUBLISH_FOR_MS = 15_000;
const EVERY_MS = 10;
/** Waits for a phase's effect: generous, other test runs share the 2 cores. */
const PHASE_MS = 8_000;

let server: TestServer | undefined;
let lifeline: Lifeline | undefined;
let proxy: FaultProxy | undefined;
let client: LifelineClient | undefined;
let publisher: Publisher | undefined;
let tcpBefore = 0;
const tcp = () => openHandles().sockets + openHandles().servers;

beforeAll(() => {
  tcpBefore = tcp();
});

afterEach(async () => {
  publisher?.stop();
  await publisher?.done;
  client?.close();
  await proxy?.close();
  await lifeline?.close();
  await server?.close();
  server = lifeline = proxy = client = publisher = undefined;
});

afterAll(async () => {
  // Client, proxy and server closed: no socket or listener of theirs is left (a held long-poll, say).
  await waitFor(() => tcp() <= tcpBefore, { message: 'every socket and server closed', timeoutMs: 5000 });
});

/** The real companion on '/', its HTTP endpoint at /lifeline, behind a fault proxy. */
async function companionBehindProxy(): Promise<{ lifeline: Lifeline; server: TestServer; proxy: FaultProxy }> {
  ({ server, lifeline } = await startCompanion('/', { store: memoryStore({ maxEvents: 10_000 }), onError: () => {} }));
  proxy = await startProxy(server.port, 'pass');
  return { lifeline, server, proxy };
}

interface Publisher {
  readonly ids: string[];
  readonly done: Promise<void>;
  stop(): void;
}

/** Publishes `{ n }` to CHANNEL every EVERY_MS for `forMs`, recording the ids the log gave. */
function publish(l: Lifeline, forMs: number): Publisher {
  const ids: string[] = [];
  let stopped = false;
  const done = (async () => {
    const until = Date.now() + forMs;
    for (let n = 0; !stopped && Date.now() < until; n++) {
      ids.push((await l.publish(CHANNEL, 'tick', { n })).id);
      await delay(EVERY_MS);
    }
  })();
  return { ids, done, stop: () => void (stopped = true) };
}

/** Records what the client receives on CHANNEL and how its carrier changed. */
function record(c: LifelineClient) {
  const seen = { ids: [] as string[], via: new Set<TransportName>(), changes: [] as TransportChange[], statuses: [] as string[] };
  c.channel(CHANNEL).on('tick', (_data, meta) => {
    seen.ids.push(meta.id ?? '(no id)');
    seen.via.add(meta.transport);
  });
  c.on('transport', (change) => seen.changes.push(change));
  c.subscribeState((s) => {
    if (seen.statuses.at(-1) !== s.status) seen.statuses.push(s.status);
  });
  return seen;
}

/**
 * Publishes until the client has one of these events: from then on the channel is joined with a
 * cursor, so everything published afterwards must arrive. (A first join has no cursor — "from
 * now" — so an event published while it is in flight may rightly be skipped.) Returns the ids
 * the client must get so far: from the first one it got.
 */
async function warmUp(l: Lifeline, seen: { ids: string[] }): Promise<string[]> {
  const ids: string[] = [];
  await waitFor(
    async () => {
      if (seen.ids.length > 0) return true;
      ids.push((await l.publish(CHANNEL, 'tick', { n: -1 })).id);
      return false;
    },
    { message: 'a warm-up event arrives', timeoutMs: PHASE_MS, intervalMs: 100 },
  );
  return ids.slice(ids.indexOf(seen.ids[0]!));
}

async function switchTo(p: FaultProxy, mode: ProxyMode, until: () => boolean, what: string): Promise<void> {
  p.setMode(mode);
  await waitFor(until, { message: `${mode}: ${what}`, timeoutMs: PHASE_MS });
}

/** Waits until as many ids arrived as were published (a timeout falls through to the diagnosis), then a little longer for late duplicates. */
async function settle(received: readonly string[], count: number): Promise<void> {
  await waitFor(() => received.length >= count, { message: 'every published event arrives', timeoutMs: PHASE_MS }).catch(() => {});
  await delay(500);
}

/** Exact equality, with a short diagnosis first when it fails (a 1500-id diff is unreadable). */
function expectExactly(received: readonly string[], published: readonly string[]): void {
  const dupes = received.filter((id, i) => received.indexOf(id) !== i);
  const missing = published.filter((id) => !received.includes(id));
  const extra = received.filter((id) => !published.includes(id));
  expect({ dupes: dupes.slice(0, 10), missing: missing.slice(0, 10), extra: extra.slice(0, 10) }).toEqual({ dupes: [], missing: [], extra: [] });
  expect(received).toEqual(published);
}

/**
 * The companion behind the proxy and a client on it (websocket/polling, and the http rung when
 * asked), connected over websocket, warmed up and recorded.
 */
async function watchedBehindProxy({ httpRung = false } = {}) {
  const { lifeline: l, proxy: p } = await companionBehindProxy();
  const c = (client = createClient({
    url: p.url,
    // One origin for everything, as most apps deploy it: Socket.IO under /socket.io and the
    // companion's HTTP endpoint under /lifeline, both through the same proxy.
    ...(httpRung ? { transports: ['websocket', 'polling', 'http'], http: { url: `${p.url}/lifeline`, wait: 5 } } : { transports: ['websocket', 'polling'] }),
    reconnect: { attempts: 3, delayMs: 50, maxDelayMs: 250, jitter: 0.5, timeoutMs: 1500 },
    upgradeIntervalMs: 500,
  }));
  const seen = record(c);
  await waitFor(() => c.getState().transport === 'websocket', { message: 'connected over websocket', timeoutMs: PHASE_MS });
  const warm = await warmUp(l, seen);
  return { l, p, c, seen, warm };
}

describe('continuity: every published id exactly once, in order, across network breaks', () => {
  it('no loss, no duplicates, in order: pass → blackhole-upgrade → down 2 s → pass while publishing every 10 ms', async () => {
    const { l, p, c, seen, warm } = await watchedBehindProxy();
    const pub = (publisher = publish(l, PUBLISH_FOR_MS));

    // Let the websocket outlive its probation, so losing it is a plain reconnect, not a rung failure.
    await delay(3500);
    expect(c.getState().transport).toBe('websocket');
    // A black-holed upgrade: the proxy drops the live websocket, the retry never gets an answer,
    // and the head-start race lands the client on polling.
    const beforeBlackhole = seen.changes.length;
    await switchTo(p, 'blackhole-upgrade', () => c.getState().status === 'connected' && c.getState().transport === 'polling', 'falls back to polling');
    expect(seen.changes.slice(beforeBlackhole).map((x) => x.to)).toContain('polling');
    await delay(2000); // events flow over polling; probes up keep failing into the black hole
    expect(c.getState().transport).toBe('polling');

    // Down: the proxy kills every connection and answers 502; the client loses polling.
    const statusesBeforeDown = seen.statuses.length;
    await switchTo(p, 'down', () => c.getState().status !== 'connected', 'polling is lost');
    await delay(2000);
    expect(c.getState().status).not.toBe('connected');
    expect(seen.statuses.slice(statusesBeforeDown)).toContain('reconnecting');

    // Back: the client reconnects and ends on websocket (directly or by climbing from polling).
    await switchTo(p, 'pass', () => c.getState().status === 'connected' && c.getState().transport === 'websocket', 'back on websocket');

    await pub.done;
    const published = [...warm, ...pub.ids];
    await settle(seen.ids, published.length);
    expectExactly(seen.ids, published);
    expect(published.length).toBeGreaterThan(500); // the publisher really ran through all phases
    // The switches really happened, in this order: websocket, polling, websocket (the outage
    // between the last two is pinned by the 'reconnecting' status above).
    const path = seen.changes.map((x) => x.to);
    expect(path[0]).toBe('websocket');
    const toPolling = path.indexOf('polling');
    expect(toPolling).toBeGreaterThan(0);
    expect(path.lastIndexOf('websocket')).toBeGreaterThan(toPolling);
    expect(seen.via).toEqual(new Set(['websocket', 'polling']));
  }, 60_000);

  it('same with the ladder forced down to http and back: Socket.IO blocked while /lifeline answers, then restored', async () => {
    const { l, p, c, seen, warm } = await watchedBehindProxy({ httpRung: true });
    const pub = (publisher = publish(l, PUBLISH_FOR_MS));

    await delay(3500); // past the websocket's probation
    expect(c.getState().transport).toBe('websocket');
    // A filtering proxy (a corporate web filter, a WAF rule) starts refusing everything under
    // /socket.io — the upgrade and Engine.IO polling alike — while plain API routes pass: only
    // the Lifeline HTTP protocol gets through. The proxy drops the live websocket.
    await switchTo(p, 'block-socketio', () => c.getState().status === 'connected' && c.getState().transport === 'http', 'falls to the http rung');
    expect(c.getState().fallback).toBe(true);
    await delay(4000); // events flow over http; probes up keep being refused
    expect(c.getState().transport).toBe('http');

    // The filter is lifted: the background probe connects, re-joins, and takes over.
    await switchTo(p, 'pass', () => c.getState().status === 'connected' && c.getState().transport === 'websocket', 'climbs back to websocket');
    expect(c.getState().fallback).toBe(false);

    await pub.done;
    const published = [...warm, ...pub.ids];
    await settle(seen.ids, published.length);
    expectExactly(seen.ids, published);
    expect(published.length).toBeGreaterThan(500);
    const path = seen.changes.map((x) => x.to);
    expect(path[0]).toBe('websocket');
    const toHttp = path.indexOf('http');
    expect(toHttp).toBeGreaterThan(0);
    expect(path.lastIndexOf('websocket')).toBeGreaterThan(toHttp);
    // Back up by the background probe (make-before-break), not by losing http.
    expect(seen.changes.find((x) => x.from === 'http' && x.to === 'websocket')?.reason).toMatch(/climbed back from http/);
    expect(seen.via.has('http')).toBe(true);
    expect(seen.via.has('websocket')).toBe(true);
  }, 60_000);

  it('a flapping network (pass, down, rejected, reset and black-holed upgrades every 100–400 ms for 8 s): every id once, in order, and nothing piles up', async () => {
    const { l, p, c, seen, warm } = await watchedBehindProxy();
    const steady = inspectClient(c);
    const pub = (publisher = publish(l, 10_000));

    // A seeded walk through the modes, so a failure can be replayed.
    let seed = 42;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const modes: ProxyMode[] = ['pass', 'down', 'reject-upgrade', 'reset-upgrade', 'blackhole-upgrade'];
    const until = Date.now() + 8000;
    let flips = 0;
    while (Date.now() < until) {
      p.setMode(modes[Math.floor(next() * modes.length)]!);
      flips++;
      await delay(100 + next() * 300);
    }
    await switchTo(p, 'pass', () => c.getState().status === 'connected' && c.getState().transport === 'websocket', 'back on websocket once the network holds');

    await pub.done;
    const published = [...warm, ...pub.ids];
    await settle(seen.ids, published.length);
    expectExactly(seen.ids, published);
    expect(flips).toBeGreaterThan(20);
    expect(seen.statuses).toContain('reconnecting'); // the flapping really broke the connection
    // Settled on one websocket: no attempt, probe or listener left over from the flapping.
    await waitFor(() => inspectClient(c).sockets === 1, { message: 'one socket left', timeoutMs: PHASE_MS });
    const after = inspectClient(c);
    expect(after.transports).toEqual(['websocket']);
    expect(after.listeners).toBe(steady.listeners);
    expect(after.timers).toBeLessThanOrEqual(steady.timers + 1);
  }, 60_000);
});
