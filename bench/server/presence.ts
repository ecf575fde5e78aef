/**
 * Presence at scale: 1 000 members join one channel at once across 2 companion nodes (separate
 * processes) sharing presence through one real redis-server (redisPresence). Convergence: for each
 * member, the time from the moment all joins are sent until an observer on EACH node sees it in
 * its presence list (p50 / p99). Cost: server CPU time and memory (after GC) per member, summed
 * over both nodes, against the same run without presence (plain joins).
 *
 * The 1 000 member sockets run in this one process, which decodes every presence message they
 * get (each joining member's snapshot of up to 1 000 members, and every change): that client
 * work is inside the convergence time, as it is in "last join acked" (without presence the
 * sockets get no presence messages). In production each member decodes only its own.
 *
 * Standalone: `pnpm exec tsx --conditions=@lifeline/source bench/server/presence.ts`. Needs
 * /usr/bin/redis-server (otherwise the rows say "not measured").
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { delay, freePort, waitFor, REDIS_BIN, spawnRedis } from '@lifeline/testkit';
import { forkChild, type Child } from '../lib/child';
import { ensureSourceCondition, isMain } from '../lib/env';
import { formatTable, notMeasured, type Row } from '../lib/row';
import { int, ms, percentile } from '../lib/stats';

const MEMBERS = 1000;
const NODE = fileURLToPath(new URL('./presenceNode.ts', import.meta.url));

interface Member {
  id: string;
}
interface Observed {
  /** Member id → first time seen (performance.now()). */
  readonly seen: Map<string, number>;
}

function observe(socket: Socket): Observed {
  const seen = new Map<string, number>();
  socket.on('lifeline:presence', (m: { members?: Member[]; set?: Member[] }) => {
    const now = performance.now();
    for (const x of [...(m.members ?? []), ...(m.set ?? [])]) if (!seen.has(x.id)) seen.set(x.id, now);
  });
  return { seen };
}

async function connectAll(urls: readonly string[], count: number, prefix: string): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const s = io(urls[i % urls.length]!, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { token: `${prefix}${i}` } });
    sockets.push(s);
  }
  await waitFor(() => sockets.every((s) => s.connected), { timeoutMs: 60_000, intervalMs: 50, message: `${count} sockets connected` });
  return sockets;
}

const join = (s: Socket) => new Promise<void>((resolve) => s.emit('lifeline:join', { channel: 'room' }, () => resolve()));

interface Run {
  readonly p50?: number;
  readonly p99?: number;
  readonly cpuUsPerMember: number;
  readonly bytesPerMember: number;
  /** When the last join was acked, ms after they were all sent. */
  readonly joinedMs: number;
}

async function runOnce(redisUrl: string, presence: boolean): Promise<Run> {
  const nodes: Child[] = [];
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < 2; i++) nodes.push(await forkChild(NODE, ['--expose-gc']).then((c) => c));
    // forkChild passes the env of this process; PRESENCE is read by the child at start.
    const urls = nodes.map((n) => String((n as Child & { ready: { url: string } }).ready.url));
    const observers = await connectAll(urls, 2, 'observer-');
    sockets.push(...observers);
    const views = observers.map(observe);
    await Promise.all(observers.map(join));
    const members = await connectAll(urls, MEMBERS, 'm');
    sockets.push(...members);
    await delay(500);
    const mem0 = await Promise.all(nodes.map((n) => n.request<{ bytes: number }>({ cmd: 'mem' })));
    const cpu0 = await Promise.all(nodes.map((n) => n.request<{ us: number }>({ cmd: 'cpu' })));
    const t0 = performance.now();
    await Promise.all(members.map(join));
    const joinedMs = performance.now() - t0;
    let converged: number[] | undefined;
    if (presence) {
      await waitFor(() => views.every((v) => v.seen.size >= MEMBERS + 2), { timeoutMs: 60_000, intervalMs: 20, message: 'every member seen on both nodes' });
      converged = members.map((_, i) => Math.max(...views.map((v) => v.seen.get(`m${i}`)!)) - t0);
    }
    await delay(2000); // let the batches and heartbeats settle before measuring the cost
    const cpu1 = await Promise.all(nodes.map((n) => n.request<{ us: number }>({ cmd: 'cpu' })));
    const mem1 = await Promise.all(nodes.map((n) => n.request<{ bytes: number }>({ cmd: 'mem' })));
    const sum = (a: Array<{ us?: number; bytes?: number }>, k: 'us' | 'bytes') => a.reduce((t, x) => t + (x[k] ?? 0), 0);
    return {
      ...(converged ? { p50: percentile(converged, 50), p99: percentile(converged, 99) } : {}),
      joinedMs,
      cpuUsPerMember: (sum(cpu1, 'us') - sum(cpu0, 'us')) / MEMBERS,
      bytesPerMember: (sum(mem1, 'bytes') - sum(mem0, 'bytes')) / MEMBERS,
    };
  } finally {
    for (const s of sockets) s.close();
    for (const n of nodes) await n.close().catch(() => {});
  }
}

export async function run(): Promise<Row[]> {
  const bench = 'presence';
  if (!existsSync(REDIS_BIN)) return [notMeasured(bench, `convergence of ${MEMBERS} members across 2 nodes`, `${REDIS_BIN} not installed`)];
  const port = await freePort();
  const redis = spawnRedis(port);
  const url = `redis://127.0.0.1:${port}`;
  process.env.REDIS_URL = url;
  try {
    await delay(300);
    process.env.PRESENCE = '1';
    const withP = await runOnce(url, true);
    process.env.PRESENCE = '0';
    const without = await runOnce(url, false);
    const row = (metric: string, lifeline: string, baselines: string): Row => ({ bench, metric, lifeline, baselines, ratio: '—', target: '—', met: '—' });
    return [
      row(
        `presence convergence, ${MEMBERS} members joining at once across 2 nodes (redisPresence): seen on both nodes, p50 / p99 (from sending all joins)`,
        `${ms(withP.p50!)} / ${ms(withP.p99!)}`,
        `last join acked: ${ms(withP.joinedMs)} with presence, ${ms(without.joinedMs)} without`,
      ),
      row('server CPU per member joining (2 nodes, summed)', `${int(withP.cpuUsPerMember)} µs`, `without presence ${int(without.cpuUsPerMember)} µs`),
      row('server memory per member (2 nodes, after GC)', `${int(withP.bytesPerMember)} B`, `without presence ${int(without.bytesPerMember)} B`),
    ];
  } finally {
    redis.kill();
    delete process.env.PRESENCE;
  }
}

if (isMain(import.meta.url)) {
  ensureSourceCondition();
  console.log(formatTable(await run()));
  process.exit(0);
}
