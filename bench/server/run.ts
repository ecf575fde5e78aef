/**
 * Server: one Node process (a child) with Socket.IO and the companion. Publish throughput to 1,
 * 100 and 1 000 subscribers per channel, server memory per connected client (2 000 WebSocket,
 * 500 long-poll), and the thundering herd: when 2 000 clients lose the server at once, how
 * their reconnects spread (largest burst per 100 ms, from the server's timestamps of the
 * connections it accepts). Lifeline against raw socket.io-client (`io.to(room).emit`,
 * socket.io's own reconnection jitter) in the same run: both fleets are connected during the
 * fan-out, whose publishes alternate between them; each fleet goes through the herd alone.
 *
 * Standalone: `pnpm exec tsx bench/server/run.ts [--quick]`.
 */
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { delay, waitFor } from '@lifeline/testkit';
import { forkChild, type Child } from '../lib/child';
import { ensureSourceCondition, isMain } from '../lib/env';
import { loadCore } from '../lib/lifeline';
import { formatTable, notMeasured, type Row } from '../lib/row';
import { int, largestBurst, ms, percentile, ratio, sec } from '../lib/stats';
import { launch, lifelineMember, rawMember, stats, type Fleet, type MemberFactory } from './fleet';

const FANOUT = [
  { subscribers: 1, events: 5000 },
  { subscribers: 100, events: 200 },
  { subscribers: 1000, events: 30 },
] as const;
/** Each fan-out is measured this many times; the median is reported. */
const REPEATS = 5;

interface WsResult extends Herd {
  readonly bytesPerClient: number;
  /** Clients on WebSocket when memory was measured. */
  readonly onWebsocket: number;
  /** Connections the server still held 10 s after every client's close(). */
  readonly leftOpen: number;
  readonly deliveriesPerSecond: Map<number, number>;
  /** How long the server's publish loop took, ms, per subscriber count. */
  readonly publishMs: Map<number, number>;
}

async function memory(child: Child): Promise<number> {
  const m = await child.request<{ heapUsed: number; external: number }>({ cmd: 'mem' });
  return m.heapUsed + m.external;
}

/** Waits (bounded) until the server holds no connection; returns how many are left. */
async function settleEmpty(child: Child, timeoutMs = 10_000): Promise<number> {
  let left = (await stats(child)).engine;
  await waitFor(async () => (left = (await stats(child)).engine) === 0, { timeoutMs, intervalMs: 100, message: 'server empty' }).catch(() => {});
  return left;
}

interface Herd {
  readonly burst: number;
  readonly allBackMs: number;
  readonly reconnected: number;
  /** Of the reconnected, how many came back on WebSocket. */
  readonly reconnectedOnWebsocket: number;
  /** Socket.IO connections the server accepted after it came back (a client may open more than one). */
  readonly connections: number;
  /** How long the server was really down, ms (stopping 2 000 connections takes time too). */
  readonly downMs: number;
  /** Event-loop delay of the clients' process during the herd, ms: p99 and max. */
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
}

/**
 * The server drops every connection at once and is down for 1 s (plus the time stopping takes);
 * it stamps every Socket.IO connection it accepts once it listens again. The caller makes sure
 * only the fleet under test is connected.
 */
async function herd(child: Child, count: number, label: string): Promise<Herd> {
  // Every client lives in this process: how late its timers ran says how much that bunches them.
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const { downMs } = await child.request<{ downMs: number }>({ cmd: 'crash', downMs: 1000 });
  let after = await stats(child);
  await waitFor(async () => (after = await stats(child)).sockets >= count, { timeoutMs: 30_000, intervalMs: 100, message: 'reconnects' }).catch(() => {});
  lag.disable();
  await delay(200); // let late upgrades settle before counting carriers
  after = await stats(child);
  // Server-side timestamps (ms after it listened again) of every connection accepted since.
  const { times } = await child.request<{ times: number[] }>({ cmd: 'connections' });
  if (process.env.BENCH_DEBUG) console.log(label, JSON.stringify(histogram(times, 100)));
  return {
    burst: largestBurst(times, 100),
    allBackMs: times.length ? Math.max(...times) : Number.NaN,
    reconnected: after.sockets,
    reconnectedOnWebsocket: after.websocket,
    connections: times.length,
    downMs,
    lagP99Ms: lag.percentile(99) / 1e6,
    lagMaxMs: lag.max / 1e6,
  };
}

/**
 * The herd again through the testkit's proxy in the server's process, as through nginx: while the
 * server is down the proxy resets WebSocket upgrades and answers polling with 502, so a client
 * cannot tell "down" from "WebSocket blocked" by the error (a browser never can). Lifeline's fleet
 * alone, then raw socket.io-client's.
 */
async function proxiedHerds(child: Child, rawFactory: MemberFactory, llFactory: MemberFactory, count: number): Promise<{ raw: Herd; ll: Herd }> {
  const one = async (factory: MemberFactory, label: string) => {
    await settleEmpty(child);
    const fleet = await launch(factory, count, async (n) => (await stats(child)).sockets >= n);
    try {
      await delay(1000);
      return await herd(child, count, label);
    } finally {
      fleet.close();
    }
  };
  const ll = await one(llFactory, 'lifeline behind a proxy');
  const raw = await one(rawFactory, 'raw behind a proxy');
  await settleEmpty(child);
  return { raw, ll };
}

/** Waits (bounded) until the server holds exactly `n` connections. */
async function settleAt(child: Child, n: number): Promise<void> {
  await waitFor(async () => (await stats(child)).engine === n, { timeoutMs: 10_000, intervalMs: 100, message: `server at ${n} connections` }).catch(() => {});
}

/**
 * WebSocket phase: the raw fleet connects (memory per client), then the Lifeline fleet joins it
 * (memory per client: the difference), so both are connected for the fan-out, which alternates
 * raw / Lifeline publishes on the same server in the same seconds. Then each fleet alone goes
 * through the reconnect herd.
 */
async function wsPhases(child: Child, rawFactory: MemberFactory, llFactory: MemberFactory | undefined, count: number): Promise<{ raw: WsResult; ll?: WsResult }> {
  await settleEmpty(child);
  const fleets: Fleet[] = [];
  try {
    const m0 = await memory(child);
    const rawFleet = await launch(rawFactory, count, async (n) => (await stats(child)).sockets >= n);
    fleets.push(rawFleet);
    const m1 = await memory(child);
    const rawOnWs = (await stats(child)).websocket;
    let llFleet: Fleet | undefined;
    let m2 = m1;
    let llOnWs = 0;
    if (llFactory) {
      llFleet = await launch(llFactory, count, async (n) => (await stats(child)).sockets >= count + n);
      fleets.push(llFleet);
      m2 = await memory(child);
      llOnWs = (await stats(child)).websocket - rawOnWs;
    }
    const subjects = [
      { fleet: rawFleet, raw: true, prefix: 'r', rates: new Map<number, number[]>(), loops: new Map<number, number[]>() },
      ...(llFleet ? [{ fleet: llFleet, raw: false, prefix: 'c', rates: new Map<number, number[]>(), loops: new Map<number, number[]>() }] : []),
    ];
    for (const sub of subjects) for (const { subscribers } of FANOUT) sub.fleet.members.slice(0, Math.min(subscribers, count)).forEach((m) => m.join(`${sub.prefix}${subscribers}`));
    const names = subjects.flatMap((sub) => FANOUT.map((f) => `${sub.prefix}${f.subscribers}`));
    const wanted = subjects.flatMap(() => FANOUT.map((f) => Math.min(f.subscribers, count)));
    await waitFor(async () => (await child.request<{ sizes: number[] }>({ cmd: 'rooms', names })).sizes.every((s, i) => s >= wanted[i]!), { timeoutMs: 30_000, message: 'channel joins' });
    for (const { subscribers, events } of FANOUT) {
      const expected = Math.min(subscribers, count) * events;
      for (let i = 0; i < REPEATS; i++) {
        // Alternate who goes first, so neither always follows the other's garbage.
        for (const sub of i % 2 === 0 ? subjects : [...subjects].reverse()) {
          const start = sub.fleet.delivered();
          const t = performance.now();
          const { ms: loop } = await child.request<{ ms: number }>({ cmd: 'publish', channel: `${sub.prefix}${subscribers}`, count: events, raw: sub.raw });
          await waitFor(() => sub.fleet.delivered() - start >= expected, { timeoutMs: 60_000, intervalMs: 2, message: `${expected} deliveries` });
          const rate = expected / ((performance.now() - t) / 1000);
          sub.rates.set(subscribers, [...(sub.rates.get(subscribers) ?? []), rate]);
          sub.loops.set(subscribers, [...(sub.loops.get(subscribers) ?? []), loop]);
        }
      }
    }
    const median = (xs: number[] | undefined) => percentile(xs ?? [], 50);
    const fanout = (sub: (typeof subjects)[number]) => ({
      deliveriesPerSecond: new Map(FANOUT.map((f) => [f.subscribers, median(sub.rates.get(f.subscribers))])),
      publishMs: new Map(FANOUT.map((f) => [f.subscribers, median(sub.loops.get(f.subscribers))])),
    });

    // Herds, one fleet at a time: Lifeline first (the raw fleet is closed), then a fresh raw fleet.
    let llHerd: Herd | undefined;
    let llLeft = 0;
    if (llFleet) {
      rawFleet.close();
      await settleAt(child, count);
      llHerd = await herd(child, count, 'lifeline');
      llFleet.close();
      llLeft = await settleEmpty(child);
    } else {
      rawFleet.close();
      await settleEmpty(child);
    }
    const rawAgain = await launch(rawFactory, count, async (n) => (await stats(child)).sockets >= n);
    fleets.push(rawAgain);
    const rawHerd = await herd(child, count, 'raw');
    rawAgain.close();
    const rawLeft = await settleEmpty(child);

    const raw: WsResult = { bytesPerClient: (m1 - m0) / count, onWebsocket: rawOnWs, leftOpen: rawLeft, ...fanout(subjects[0]!), ...rawHerd };
    if (!llFleet || !llHerd) return { raw };
    return { raw, ll: { bytesPerClient: (m2 - m1) / count, onWebsocket: llOnWs, leftOpen: llLeft, ...fanout(subjects[1]!), ...llHerd } };
  } finally {
    for (const f of fleets) f.close();
  }
}

interface IdleCost {
  /** Server CPU time per wall second while the fleet sits idle, ms/s. */
  readonly cpuMsPerS: number;
  /** Server memory per client, bytes. */
  readonly bytesPerClient: number;
}

/**
 * Heartbeat cost (issue #13): `count` idle Lifeline clients with heartbeats (defaults) and then
 * without (`heartbeat: false`), each fleet alone; server CPU over `windowMs` and memory per client.
 */
async function idlePhase(child: Child, factory: MemberFactory, count: number, windowMs: number): Promise<IdleCost> {
  await settleEmpty(child);
  const before = await memory(child);
  const fleet = await launch(factory, count, async (n) => (await stats(child)).sockets >= n);
  try {
    await delay(3000); // past the first heartbeat of every client
    const bytesPerClient = ((await memory(child)) - before) / count;
    const a = await child.request<{ cpuMs: number; at: number }>({ cmd: 'cpu' });
    await delay(windowMs);
    const b = await child.request<{ cpuMs: number; at: number }>({ cmd: 'cpu' });
    return { cpuMsPerS: (b.cpuMs - a.cpuMs) / ((b.at - a.at) / 1000), bytesPerClient };
  } finally {
    fleet.close();
  }
}

async function pollPhase(child: Child, factory: MemberFactory, count: number, ready: (n: number) => Promise<boolean>): Promise<number> {
  await settleEmpty(child);
  const before = await memory(child);
  const fleet = await launch((bump) => {
    const m = factory(bump);
    m.join('lp');
    return m;
  }, count, ready, 50);
  try {
    await delay(300);
    return ((await memory(child)) - before) / count;
  } finally {
    fleet.close();
  }
}

/** Runs the server benchmark; rows for fan-out, memory and reconnect spread. */
export async function run(options: { quick?: boolean } = {}): Promise<Row[]> {
  const ws = options.quick ? 300 : 2000;
  const lp = options.quick ? 100 : 500;
  const child = await forkChild(fileURLToPath(new URL('./server.ts', import.meta.url)), ['--expose-gc', '--max-old-space-size=2048'], ['--proxy']);
  const url = String(child.ready.url);
  const proxyUrl = String(child.ready.proxyUrl);
  const core = await loadCore();
  const missing = typeof core === 'string' ? core : typeof child.ready.companion === 'string' ? child.ready.companion : undefined;
  try {
    const lifeline = !missing && typeof core !== 'string' ? core : undefined;
    const { raw: rawWs, ll: llWs } = await wsPhases(child, rawMember(url, ['websocket']), lifeline && lifelineMember(lifeline, url), ws);
    const proxied = lifeline ? await proxiedHerds(child, rawMember(proxyUrl, ['websocket']), lifelineMember(lifeline, proxyUrl), ws) : undefined;
    const rawLp = await pollPhase(child, rawMember(url, ['polling']), lp, async (n) => (await stats(child)).sockets >= n);
    let llLp: number | undefined;
    if (lifeline) {
      llLp = await pollPhase(child, lifelineMember(lifeline, url, { transports: ['http'], http: { url: `${url}/lifeline` } }), lp, async (n) => (await stats(child)).waitingPolls >= n);
    }
    let idle: { on: IdleCost; off: IdleCost } | undefined;
    if (lifeline) {
      const windowMs = options.quick ? 4000 : 10_000;
      const on = await idlePhase(child, lifelineMember(lifeline, url), ws, windowMs);
      const off = await idlePhase(child, lifelineMember(lifeline, url, { heartbeat: false }), ws, windowMs);
      idle = { on, off };
    }
    return [...rows({ ws, lp, rawWs, rawLp, llWs, llLp, proxied, missing }), ...idleRows(ws, idle, missing)];
  } finally {
    await child.close();
  }
}

function rows(r: { ws: number; lp: number; rawWs: WsResult; rawLp: number; llWs?: WsResult | undefined; llLp?: number | undefined; proxied?: { raw: Herd; ll: Herd } | undefined; missing?: string | undefined }): Row[] {
  const bench = 'server';
  const out: Row[] = [];
  const why = r.missing ?? 'not run';
  for (const { subscribers, events } of FANOUT) {
    const metric = `publish to ${subscribers} subscriber${subscribers > 1 ? 's' : ''} (${events} events, median of ${REPEATS}), deliveries/s`;
    const base = r.rawWs.deliveriesPerSecond.get(subscribers)!;
    const loop = (w: WsResult) => `server publish loop ${ms(w.publishMs.get(subscribers)!)}`;
    const baselines = `raw io.to(room).emit ${int(base)}/s (${loop(r.rawWs)})`;
    const v = r.llWs?.deliveriesPerSecond.get(subscribers);
    out.push(v === undefined ? notMeasured(bench, metric, why, '—', baselines) : { bench, metric, lifeline: `${int(v)}/s (${loop(r.llWs!)})`, baselines, ratio: ratio(v, base), target: '—', met: '—' });
  }
  const kib = (b: number) => `${(b / 1024).toFixed(1)} KB`;
  const wsMetric = `server memory per websocket client (${r.ws})`;
  const carriers = (w: WsResult) =>
    (w.onWebsocket === r.ws ? '' : ` (only ${w.onWebsocket} on websocket)`) + (w.leftOpen ? ` (${w.leftOpen} connections still open 10 s after close())` : '');
  const wsBase = `raw socket.io ${kib(r.rawWs.bytesPerClient)}${carriers(r.rawWs)}`;
  out.push(r.llWs ? { bench, metric: wsMetric, lifeline: kib(r.llWs.bytesPerClient) + carriers(r.llWs), baselines: wsBase, ratio: ratio(r.llWs.bytesPerClient, r.rawWs.bytesPerClient), target: '—', met: '—' } : notMeasured(bench, wsMetric, why, '—', wsBase));
  const lpMetric = `server memory per long-poll client (${r.lp})`;
  const lpBase = `raw socket.io polling ${kib(r.rawLp)}`;
  out.push(r.llLp !== undefined ? { bench, metric: lpMetric, lifeline: `${kib(r.llLp)} (http transport)`, baselines: lpBase, ratio: ratio(r.llLp, r.rawLp), target: '—', met: '—' } : notMeasured(bench, lpMetric, why, '—', lpBase));
  const herd = (w: Herd) =>
    `${w.burst} (${w.connections} connections for ${w.reconnected}/${r.ws} clients back, ${w.reconnectedOnWebsocket} on websocket, last at ${sec(w.allBackMs)}; server down ${sec(w.downMs)}; clients' event-loop lag p99 ${ms(w.lagP99Ms)}, max ${ms(w.lagMaxMs)})`;
  const herdMetric = `reconnect herd: largest burst of connections per 100 ms (${r.ws} websocket clients lose the server at once)`;
  const herdBase = `raw socket.io ['websocket'], default reconnection ${herd(r.rawWs)}`;
  // Issue #13 item 11: faster reconnects must not make a deploy a thundering herd. Every client
  // must be back once (more sockets than clients means some counted twice: not met either).
  const herdMet = (w: WsResult) => (w.burst <= 1.2 * r.rawWs.burst && w.reconnected === r.ws ? 'yes' : 'no');
  out.push(r.llWs ? { bench, metric: herdMetric, lifeline: herd(r.llWs), baselines: herdBase, ratio: ratio(r.llWs.burst, r.rawWs.burst), target: '≤ 1.2× raw', met: herdMet(r.llWs) } : notMeasured(bench, herdMetric, why, '≤ 1.2× raw', herdBase));
  // The same behind a proxy (what browsers and proxied clients see): no ECONNREFUSED to read.
  const proxiedMetric = `reconnect herd behind a proxy that resets upgrades and answers 502 while the server is down: largest burst per 100 ms (${r.ws} clients)`;
  if (r.proxied) out.push({ bench, metric: proxiedMetric, lifeline: herd(r.proxied.ll), baselines: `raw socket.io ['websocket'] ${herd(r.proxied.raw)}`, ratio: ratio(r.proxied.ll.burst, r.proxied.raw.burst), target: '—', met: '—' });
  else out.push(notMeasured(bench, proxiedMetric, why, '—', 'raw socket.io'));
  return out;
}

if (isMain(import.meta.url)) {
  ensureSourceCondition();
  console.log(formatTable(await run({ quick: process.argv.includes('--quick') })));
  process.exit(0);
}

function histogram(times: readonly number[], bucketMs: number): Record<number, number> {
  const h: Record<number, number> = {};
  for (const t of times) h[Math.floor(t / bucketMs) * bucketMs] = (h[Math.floor(t / bucketMs) * bucketMs] ?? 0) + 1;
  return h;
}

function kibOf(b: number): string {
  return `${(b / 1024).toFixed(1)} KB`;
}

function idleRows(count: number, idle: { on: IdleCost; off: IdleCost } | undefined, missing: string | undefined): Row[] {
  const bench = 'server';
  const cpu = `server CPU for ${count} idle Lifeline clients, heartbeats on (defaults)`;
  const mem = `server memory per idle Lifeline client, heartbeats on`;
  if (!idle) return [notMeasured(bench, cpu, missing ?? 'not run', '—', '—'), notMeasured(bench, mem, missing ?? 'not run', '—', '—')];
  const pct = (c: IdleCost) => `${(c.cpuMsPerS / 10).toFixed(1)} % of a core`;
  return [
    { bench, metric: cpu, lifeline: pct(idle.on), baselines: `heartbeat: false ${pct(idle.off)}`, ratio: ratio(idle.on.cpuMsPerS, idle.off.cpuMsPerS), target: '—', met: '—' },
    { bench, metric: mem, lifeline: kibOf(idle.on.bytesPerClient), baselines: `heartbeat: false ${kibOf(idle.off.bytesPerClient)}`, ratio: ratio(idle.on.bytesPerClient, idle.off.bytesPerClient), target: '—', met: '—' },
  ];
}
