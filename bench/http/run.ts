/**
 * Fallback cost: Lifeline's `http` transport (long-poll against the companion) against the
 * hand-written "fetch every 3 s" poll, same server, same run. Delivery latency of events
 * published at random moments, then requests per minute while nothing happens.
 *
 * Standalone: `pnpm exec tsx bench/http/run.ts [--quick]`.
 */
import { performance } from 'node:perf_hooks';
import { delay, waitFor } from '@lifeline/testkit';
import { pollTicks } from '../lib/baselines';
import { ensureSourceCondition, isMain } from '../lib/env';
import { loadCore, loadServer } from '../lib/lifeline';
import { formatTable, met, notMeasured, type Row } from '../lib/row';
import { ms, percentile, ratio } from '../lib/stats';
import { CHANNEL, startTickServer } from '../lib/tickServer';

const POLL_MS = 3000;

/** Latency over http long-poll vs a 3 s poll, and idle requests per minute. */
export async function run(options: { quick?: boolean } = {}): Promise<Row[]> {
  const events = options.quick ? 12 : 30;
  const idleMs = options.quick ? 15_000 : 60_000;
  const [core, companion] = await Promise.all([loadCore(), loadServer()]);
  const missing = typeof core === 'string' ? core : typeof companion === 'string' ? companion : undefined;
  const server = await startTickServer({ companion: typeof companion === 'string' ? undefined : companion, intervalMs: 0 });
  const publishedAt = new Map<number, number>();
  const latencies = { lifeline: [] as number[], poll: [] as number[] };
  const record = (into: number[]) => (seq: number) => {
    const t = publishedAt.get(seq);
    if (t !== undefined) into.push(performance.now() - t);
  };
  const stopPoller = pollTicks(server.url, record(latencies.poll), POLL_MS);
  let close = () => {};
  try {
    if (!missing && typeof core !== 'string') {
      const client = core.createClient({ url: server.url, transports: ['http'], http: { url: `${server.url}/lifeline` } });
      client.on('error', () => {});
      client.channel(CHANNEL).on('tick', (p) => record(latencies.lifeline)(Number((p as { seq: number }).seq)));
      close = () => client.close();
      await waitFor(() => client.getState().status === 'connected', { timeoutMs: 10_000, message: 'Lifeline connects over http' });
    }
    await delay(500); // let both settle into their loops
    for (let i = 0; i < events; i++) {
      await delay(150 + Math.random() * 450);
      const t = performance.now(); // before publishing: the publish itself counts
      publishedAt.set(server.tick(), t);
    }
    await delay(POLL_MS + 300); // the poller's next round
    const before = new Map(server.requests);
    const idleStart = performance.now();
    await delay(idleMs);
    const minutes = (performance.now() - idleStart) / 60_000;
    const perMinute = (key: string) => ((server.requests.get(key) ?? 0) - (before.get(key) ?? 0)) / minutes;
    return rows(latencies, perMinute('/lifeline'), perMinute('/api/ticks'), missing);
  } finally {
    close();
    stopPoller();
    await server.close();
  }
}

function rows(lat: { lifeline: number[]; poll: number[] }, llIdle: number, pollIdle: number, missing: string | undefined): Row[] {
  const bench = 'http';
  const out: Row[] = [];
  for (const [p, target] of [[50, 50], [90, undefined]] as const) {
    const base = percentile(lat.poll, p);
    const metric = `http long-poll delivery p${p}`;
    const baselines = `3 s poll ${ms(base)}`;
    const t = target === undefined ? '—' : `≤ ${target} ms`;
    if (missing || lat.lifeline.length === 0) out.push(notMeasured(bench, metric, missing ?? 'no event delivered', t, baselines));
    else {
      const v = percentile(lat.lifeline, p);
      out.push({ bench, metric, lifeline: `${ms(v)} (n=${lat.lifeline.length})`, baselines, ratio: ratio(v, base), target: t, met: met(target === undefined ? undefined : v <= target) });
    }
  }
  const metric = 'http idle requests per minute';
  const baselines = `3 s poll ${pollIdle.toFixed(1)}`;
  if (missing) out.push(notMeasured(bench, metric, missing, '≤ 3', baselines));
  else out.push({ bench, metric, lifeline: llIdle.toFixed(1), baselines, ratio: ratio(llIdle, pollIdle), target: '≤ 3', met: met(llIdle <= 3) });
  return out;
}

if (isMain(import.meta.url)) {
  ensureSourceCondition();
  console.log(formatTable(await run({ quick: process.argv.includes('--quick') })));
  process.exit(0);
}
