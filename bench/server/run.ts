/**
 * Server: one Node process (a child) with Socket.IO and the companion. Publish throughput to 1,
 * 100 and 1 000 subscribers per channel, server memory per connected client (2 000 WebSocket,
 * 500 long-poll), and the thundering herd: when 2 000 clients lose the server at once, how
 * their reconnects spread (largest burst per 100 ms). Lifeline against raw socket.io-client
 * (`io.to(room).emit`, socket.io's own reconnection jitter) in the same run.
 *
 * Standalone: `pnpm exec tsx bench/server/run.ts [--quick]`.
 */
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
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
const REPEATS = 3;

interface WsResult {
  readonly bytesPerClient: number;
  /** Clients on WebSocket when memory was measured. */
  readonly onWebsocket: number;
  /** Connections the server still held 10 s after every client's close(). */
  readonly leftOpen: number;
  readonly deliveriesPerSecond: Map<number, number>;
  /** How long the server's publish loop took, ms, per subscriber count. */
  readonly publishMs: Map<number, number>;
  readonly burst: number;
  readonly allBackMs: number;
  readonly reconnected: number;
  /** Of the reconnected, how many came back on WebSocket. */
  readonly reconnectedOnWebsocket: number;
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

async function wsPhase(child: Child, factory: MemberFactory, count: number, raw: boolean): Promise<WsResult> {
  await settleEmpty(child);
  const before = await memory(child);
  const fleet: Fleet = await launch(factory, count, async (n) => (await stats(child)).sockets >= n);
  try {
    const bytesPerClient = ((await memory(child)) - before) / count;
    const onWebsocket = (await stats(child)).websocket;
    const deliveriesPerSecond = new Map<number, number>();
    const publishMs = new Map<number, number>();
    for (const { subscribers } of FANOUT) fleet.members.slice(0, Math.min(subscribers, count)).forEach((m) => m.join(`c${subscribers}`));
    const names = FANOUT.map((f) => `c${f.subscribers}`);
    await waitFor(async () => (await child.request<{ sizes: number[] }>({ cmd: 'rooms', names })).sizes.every((s, i) => s >= Math.min(FANOUT[i]!.subscribers, count)), { timeoutMs: 30_000, message: 'channel joins' });
    for (const { subscribers, events } of FANOUT) {
      const expected = Math.min(subscribers, count) * events;
      const rates: number[] = [];
      const loops: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const start = fleet.delivered();
        const t = performance.now();
        loops.push((await child.request<{ ms: number }>({ cmd: 'publish', channel: `c${subscribers}`, count: events, raw })).ms);
        await waitFor(() => fleet.delivered() - start >= expected, { timeoutMs: 60_000, intervalMs: 2, message: `${expected} deliveries` });
        rates.push(expected / ((performance.now() - t) / 1000));
      }
      deliveriesPerSecond.set(subscribers, percentile(rates, 50));
      publishMs.set(subscribers, percentile(loops, 50));
    }
    await child.request({ cmd: 'crash', downMs: 1000 });
    let after = await stats(child);
    await waitFor(async () => (after = await stats(child)).sockets >= count, { timeoutMs: 30_000, intervalMs: 100, message: 'reconnects' }).catch(() => {});
    await delay(200); // let late upgrades settle before counting carriers
    after = await stats(child);
    const { times } = await child.request<{ times: number[] }>({ cmd: 'connections' });
    if (process.env.BENCH_DEBUG) console.log(raw ? 'raw' : 'lifeline', JSON.stringify(histogram(times, 100)));
    fleet.close();
    const leftOpen = await settleEmpty(child);
    return { bytesPerClient, onWebsocket, leftOpen, deliveriesPerSecond, publishMs, burst: largestBurst(times, 100), allBackMs: times.length ? Math.max(...times) : Number.NaN, reconnected: after.sockets, reconnectedOnWebsocket: after.websocket };
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
  const child = await forkChild(fileURLToPath(new URL('./server.ts', import.meta.url)), ['--expose-gc', '--max-old-space-size=2048']);
  const url = String(child.ready.url);
  const core = await loadCore();
  const missing = typeof core === 'string' ? core : typeof child.ready.companion === 'string' ? child.ready.companion : undefined;
  try {
    const rawWs = await wsPhase(child, rawMember(url, ['websocket']), ws, true);
    const rawLp = await pollPhase(child, rawMember(url, ['polling']), lp, async (n) => (await stats(child)).sockets >= n);
    let llWs: WsResult | undefined;
    let llLp: number | undefined;
    if (!missing && typeof core !== 'string') {
      llWs = await wsPhase(child, lifelineMember(core, url), ws, false);
      llLp = await pollPhase(child, lifelineMember(core, url, { transports: ['http'], http: { url: `${url}/lifeline` } }), lp, async (n) => (await stats(child)).waitingPolls >= n);
    }
    return rows({ ws, lp, rawWs, rawLp, llWs, llLp, missing });
  } finally {
    await child.close();
  }
}

function rows(r: { ws: number; lp: number; rawWs: WsResult; rawLp: number; llWs?: WsResult | undefined; llLp?: number | undefined; missing?: string | undefined }): Row[] {
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
  const herd = (w: WsResult) => `${w.burst} (${w.reconnected}/${r.ws} back, ${w.reconnectedOnWebsocket} on websocket, last at ${sec(w.allBackMs)})`;
  const herdMetric = `reconnect herd: largest burst per 100 ms (${r.ws} clients, server down 1 s)`;
  const herdBase = `raw socket.io defaults ${herd(r.rawWs)}`;
  out.push(r.llWs ? { bench, metric: herdMetric, lifeline: herd(r.llWs), baselines: herdBase, ratio: ratio(r.llWs.burst, r.rawWs.burst), target: '—', met: '—' } : notMeasured(bench, herdMetric, why, '—', herdBase));
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
