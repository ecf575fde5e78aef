/**
 * Overhead: Lifeline over WebSocket (zod schema validation on) against raw socket.io-client on
 * WebSocket, same server, same run, all connected at once. Measured in alternating blocks: the
 * server emits to one socket at a time, so no client pays for another's turn in the event loop.
 * A second raw client measured the same way gives the noise floor (raw ÷ raw).
 *
 * The server runs in a child process (as in production, client and server do not share an event
 * loop) and stamps each message with the machine's monotonic clock. Latency: one message in
 * flight, server `emit` → client handler. Throughput: a burst emitted in one go, until the
 * client handled the last one. After the run, a payload that breaks the schema is sent to
 * Lifeline: unless it is rejected (`VALIDATION` error, handler not called) the rows say
 * "NOT confirmed" and the targets count as missed.
 *
 * Standalone: `pnpm exec tsx bench/latency/run.ts [--quick]`.
 */
import { fileURLToPath } from 'node:url';
import { io as connect } from 'socket.io-client';
import { z } from 'zod';
import { delay, waitFor } from '@lifeline/testkit';
import { forkChild, nowNs, type Child } from '../lib/child';
import { ensureSourceCondition, isMain } from '../lib/env';
import { loadCore } from '../lib/lifeline';
import { formatTable, met, notMeasured, type Row } from '../lib/row';
import { int, ms, percentile, ratio } from '../lib/stats';

interface Message {
  readonly seq: number;
  /** Server's send time, ns on the shared monotonic clock. */
  readonly t: number;
}

interface Receiver {
  readonly name: string;
  /** Called by the client's handler with each message. */
  onMessage?: (m: Message) => void;
  close(): void;
}

interface Sample {
  readonly latencies: number[];
  /** Per-event latency inside bursts of BURST_OF events (each stamped when emitted). */
  readonly bursty: number[];
  readonly throughputs: number[];
}

/** Events per burst of the burst-latency row (the measurement: the hot path per event). */
const BURST_OF = 20;

/** One burst of `count` events, each stamped at its own emit: every event's latency. */
async function burstLatencyBlock(server: Child, r: Receiver, count: number, into: number[]) {
  let received = 0;
  const done = new Promise<void>((resolve) => {
    r.onMessage = (m) => {
      into.push((nowNs() - m.t) / 1e6);
      if (++received === count) resolve();
    };
  });
  server.send({ cmd: 'stamped', who: r.name, count });
  await done;
}

const payloadSchema = z.object({ seq: z.number(), t: z.number(), body: z.string() });

async function latencyBlock(server: Child, r: Receiver, count: number, into: number[]) {
  for (let i = 0; i < count; i++) {
    const done = new Promise<number>((resolve) => {
      r.onMessage = (m) => resolve((nowNs() - m.t) / 1e6);
    });
    server.send({ cmd: 'emit', who: r.name, seq: i });
    into.push(await done);
  }
}

async function throughputBlock(server: Child, r: Receiver, count: number): Promise<number> {
  let received = 0;
  const done = new Promise<number>((resolve) => {
    r.onMessage = (m) => {
      if (++received === count) resolve(count / ((nowNs() - m.t) / 1e9));
    };
  });
  server.send({ cmd: 'burst', who: r.name, count });
  return done;
}

/** Runs the overhead comparison; rows for p50/p90/p99 latency and throughput. */
export async function run(options: { quick?: boolean } = {}): Promise<Row[]> {
  // Small blocks, many rounds: clients alternate often enough to see the same machine states.
  const rounds = options.quick ? 60 : 600;
  const block = 10;
  const bursts = options.quick ? 5 : 15;
  const burst = options.quick ? 2000 : 20_000;
  const server = await forkChild(fileURLToPath(new URL('./server.ts', import.meta.url)));
  const url = String(server.ready.url);
  const receivers: Receiver[] = [];
  const core = await loadCore();
  /** Whether a payload that breaks the schema was rejected (VALIDATION error, handler not called). */
  let validation: { check?: () => Promise<boolean> } = {};
  try {
    for (const name of ['raw', 'raw #2']) {
      const socket = connect(url, { forceNew: true, transports: ['websocket'], auth: { who: name } });
      const r: Receiver = { name, close: () => socket.close() };
      socket.on('lat', (p: Message) => r.onMessage?.(p));
      receivers.push(r);
    }
    if (typeof core !== 'string') {
      const client = core.createClient({ url, auth: { who: 'lifeline' }, events: { lat: payloadSchema } });
      const r: Receiver = { name: 'lifeline', close: () => client.close() };
      let rejected = 0;
      client.on('error', (e) => {
        if (e.code === 'VALIDATION') rejected++;
      });
      client.on('lat', (p) => r.onMessage?.(p as Message));
      receivers.push(r);
      validation = {
        check: async () => {
          let handled = false;
          r.onMessage = () => {
            handled = true;
          };
          server.send({ cmd: 'invalid', who: 'lifeline' });
          const ok = await waitFor(() => rejected > 0, { timeoutMs: 2000 }).then(() => true, () => false);
          await delay(50);
          return ok && !handled;
        },
      };
      await waitFor(() => client.getState().transport === 'websocket', { timeoutMs: 10_000, message: 'Lifeline connects over websocket' });
    }
    await waitFor(async () => (await server.request<{ connected: string[] }>({ cmd: 'connected' })).connected.length === receivers.length, {
      timeoutMs: 10_000,
      message: 'all latency clients connect',
    });

    const samples = new Map<string, Sample>(receivers.map((r) => [r.name, { latencies: [], bursty: [], throughputs: [] }]));
    // Warm-up (JIT, buffers), not recorded.
    for (const r of receivers) await latencyBlock(server, r, 100, []);
    for (const r of receivers) await throughputBlock(server, r, burst);
    for (let round = 0; round < rounds; round++) {
      const order = receivers.map((_, i) => receivers[(i + round) % receivers.length]!);
      for (const r of order) await latencyBlock(server, r, block, samples.get(r.name)!.latencies);
    }
    for (let round = 0; round < rounds / 2; round++) {
      const order = receivers.map((_, i) => receivers[(i + round) % receivers.length]!);
      for (const r of order) await burstLatencyBlock(server, r, BURST_OF, samples.get(r.name)!.bursty);
    }
    for (let round = 0; round < bursts; round++) {
      const order = receivers.map((_, i) => receivers[(i + round) % receivers.length]!);
      for (const r of order) samples.get(r.name)!.throughputs.push(await throughputBlock(server, r, burst));
    }
    const validated = (await validation.check?.()) ?? false;
    return rows(samples, typeof core === 'string' ? core : undefined, validated);
  } finally {
    for (const r of receivers) r.close();
    await server.close();
  }
}

function rows(samples: Map<string, Sample>, missing: string | undefined, validated: boolean): Row[] {
  const raw = samples.get('raw')!;
  const raw2 = samples.get('raw #2')!;
  const ll = samples.get('lifeline');
  const bench = 'latency';
  const out: Row[] = [];
  for (const [p, limit] of [[50, 1.05], [90, 1.1], [99, undefined]] as const) {
    const base = percentile(raw.latencies, p);
    const floor = ratio(percentile(raw2.latencies, p), base);
    // Checked after the run: a payload that breaks the schema must be rejected.
    const metric = `ws delivery latency p${p} (zod validation on${validated ? '' : ', NOT confirmed: an invalid payload was not rejected'})`;
    const baselines = `raw socket.io ${ms(base)}; raw #2 ÷ raw ${floor} (noise floor)`;
    const target = limit === undefined ? '—' : `ratio ≤ ${limit.toFixed(2)}`;
    if (!ll) out.push(notMeasured(bench, metric, missing ?? 'no samples', target, baselines));
    else {
      const v = percentile(ll.latencies, p);
      const diff = v - base;
      out.push({ bench, metric, lifeline: `${ms(v)} (${diff >= 0 ? '+' : '−'}${ms(Math.abs(diff))}, n=${ll.latencies.length})`, baselines, ratio: ratio(v, base), target, met: met(limit === undefined ? undefined : validated && v / base <= limit) });
    }
  }
  {
    // Bursts of BURST_OF events: the per-event cost shows when events queue behind each other.
    const base = percentile(raw.bursty, 50);
    const metric = `ws delivery latency p50, bursts of ${BURST_OF} events (zod validation on)`;
    const baselines = `raw socket.io ${ms(base)}; raw #2 ÷ raw ${ratio(percentile(raw2.bursty, 50), base)} (noise floor)`;
    if (!ll) out.push(notMeasured(bench, metric, missing ?? 'no samples', 'ratio ≤ 1.05', baselines));
    else {
      const v = percentile(ll.bursty, 50);
      out.push({ bench, metric, lifeline: `${ms(v)} (n=${ll.bursty.length})`, baselines, ratio: ratio(v, base), target: 'ratio ≤ 1.05', met: met(validated && v / base <= 1.05) });
    }
  }
  const median = (xs: number[]) => percentile(xs, 50);
  const base = median(raw.throughputs);
  const baselines = `raw socket.io ${int(base)} msg/s; raw #2 ÷ raw ${ratio(median(raw2.throughputs), base)} (noise floor)`;
  const metric = `ws throughput (median of ${raw.throughputs.length} bursts per client)`;
  if (!ll) out.push(notMeasured(bench, metric, missing ?? 'no samples', 'ratio ≥ 0.95', baselines));
  else {
    const v = median(ll.throughputs);
    out.push({ bench, metric, lifeline: `${int(v)} msg/s`, baselines, ratio: ratio(v, base), target: 'ratio ≥ 0.95', met: met(validated && v / base >= 0.95) });
  }
  return out;
}

if (isMain(import.meta.url)) {
  ensureSourceCondition();
  console.log(formatTable(await run({ quick: process.argv.includes('--quick') })));
  process.exit(0);
}
