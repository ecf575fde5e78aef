/**
 * One failover scenario: every subject (Lifeline and each baseline) gets its own ticking
 * server behind its own fault proxy, all started at the same instant in the same process, so
 * they see the same machine at the same time. Records when each tick arrived.
 */
import { performance } from 'node:perf_hooks';
import { delay, startProxy, type FaultProxy, type ProxyMode } from '@lifeline/testkit';
import type { Subscriber } from '../lib/baselines';
import type { ServerModule } from '../lib/lifeline';
import { longestGap, lossAndDuplicates } from '../lib/stats';
import { startTickServer, type TickServer } from '../lib/tickServer';

export interface Subject {
  readonly name: string;
  /** Publish through the companion (Lifeline) rather than plain `io.emit`. */
  readonly companion?: ServerModule | undefined;
  start(url: string, onTick: (seq: number) => void): Subscriber;
}

export interface ScenarioPlan {
  /** Proxy mode from the start (`pass` for a mid-stream break). */
  readonly initial: ProxyMode;
  /**
   * What breaks mid-stream, once every subject has delivered for `settleMs`: a proxy mode to
   * switch to, or `restart` (the server is redeployed: every connection drops, it listens again).
   */
  readonly breakTo?: ProxyMode | 'restart';
  /** Give up waiting for a first event after this long, ms. */
  readonly capMs: number;
  /** Keep watching this long after the last first event (or after the break), ms. */
  readonly observeMs: number;
  /** Delivered-for-this-long before the break, ms. @default 1000 */
  readonly settleMs?: number;
  /** After ticks stop, wait up to this long for late deliveries, ms. @default 3500 */
  readonly drainMs?: number;
  /** Socket.IO server options (e.g. its default pings, 25 s + 20 s: testkit's harness pings every 2 s). */
  readonly serverOptions?: Partial<import('socket.io').ServerOptions>;
  /** The proxy answers upgrades this much later (a slow but working WebSocket path), ms. */
  readonly upgradeDelayMs?: number;
  /** Only these subjects (by name); all when absent. */
  readonly subjects?: readonly string[];
}

export interface Outcome {
  readonly name: string;
  /** ms from client start to the first tick; Infinity when none. */
  readonly firstMs: number;
  /** Longest silence, ms, from the first tick until ticks stopped. */
  readonly gapMs: number;
  readonly lost: number;
  readonly duplicated: number;
  /** Whether it was still receiving at the end. */
  readonly delivering: boolean;
  /** The carrier at the end, when the client reports one. */
  readonly transport?: string | null;
  /** The carrier just before the break (mid-stream cases), when the client reports one. */
  readonly transportAtBreak?: string | null;
  /** ms from the break to the first tick published after it (mid-stream cases); Infinity when none. */
  readonly afterBreakMs?: number;
  /** ms from client start until it first reported the websocket carrier; Infinity when never. */
  readonly websocketMs?: number;
  readonly error?: string;
}

interface Live {
  readonly subject: Subject;
  readonly server: TickServer;
  readonly proxy: FaultProxy;
  readonly times: number[];
  readonly seqs: number[];
  sub?: Subscriber;
  error?: string;
}

export async function runScenario(subjects: readonly Subject[], plan: ScenarioPlan): Promise<Outcome[]> {
  const lives: Live[] = [];
  let sampler: ReturnType<typeof setInterval> | undefined;
  try {
    for (const subject of subjects.filter((s) => !plan.subjects || plan.subjects.includes(s.name))) {
      const server = await startTickServer({ companion: subject.companion, ...(plan.serverOptions ? { serverOptions: plan.serverOptions } : {}) });
      const proxy = await startProxy(server.port, plan.initial);
      proxy.upgradeDelayMs = plan.upgradeDelayMs ?? 0;
      lives.push({ subject, server, proxy, times: [], seqs: [] });
    }
    await delay(100);
    const t0 = performance.now();
    for (const l of lives) {
      try {
        l.sub = l.subject.start(l.proxy.url, (seq) => {
          l.times.push(performance.now());
          l.seqs.push(seq);
        });
      } catch (e) {
        l.error = e instanceof Error ? e.message : String(e);
      }
    }
    const onWebsocket = new Map<Live, number>();
    sampler = setInterval(() => {
      for (const l of lives) if (!onWebsocket.has(l) && l.sub?.transport?.() === 'websocket') onWebsocket.set(l, performance.now() - t0);
    }, 5);
    const allFirst = () => lives.every((l) => l.times.length > 0 || l.error);
    const deadline = t0 + plan.capMs;
    while (!allFirst() && performance.now() < deadline) await delay(10);

    const atBreak = new Map<Live, string | null | undefined>();
    const seqAtBreak = new Map<Live, number>();
    let breakAt = 0;
    if (plan.breakTo) {
      await delay(plan.settleMs ?? 1000);
      for (const l of lives) atBreak.set(l, l.sub?.transport?.());
      for (const l of lives) seqAtBreak.set(l, l.server.last());
      breakAt = performance.now();
      const to = plan.breakTo;
      if (to === 'restart') await Promise.all(lives.map((l) => l.server.restart()));
      else for (const l of lives) l.proxy.setMode(to);
    }
    await delay(plan.observeMs);
    const stoppedAt = performance.now();
    const transports = new Map(lives.map((l) => [l, l.sub?.transport?.()]));
    const lastSeq = new Map(lives.map((l) => [l, l.server.last()]));
    for (const l of lives) l.server.stop();
    const drainEnd = stoppedAt + (plan.drainMs ?? 3500);
    const drained = () => lives.every((l) => l.seqs.length === 0 || l.seqs.includes(lastSeq.get(l)!));
    while (!drained() && performance.now() < drainEnd) await delay(20);

    return lives.map((l) => {
      const firstMs = l.times.length ? l.times[0]! - t0 : Number.POSITIVE_INFINITY;
      if (!l.times.length) return { name: l.subject.name, firstMs, websocketMs: onWebsocket.get(l) ?? Number.POSITIVE_INFINITY, ...(plan.breakTo ? { afterBreakMs: Number.POSITIVE_INFINITY } : {}), gapMs: Number.POSITIVE_INFINITY, lost: Number.NaN, duplicated: Number.NaN, delivering: false, ...(l.error ? { error: l.error } : {}) };
      const inWindow = l.times.filter((t) => t <= stoppedAt);
      // Deliveries of ticks published before the stop; late ones (polling) still count as delivered.
      const { lost, duplicated } = lossAndDuplicates(l.seqs, l.seqs[0]!, lastSeq.get(l)!);
      const delivering = l.times.some((t) => t > stoppedAt - 500);
      const transport = transports.get(l);
      const before = atBreak.get(l);
      const last = seqAtBreak.get(l);
      const firstAfter = last === undefined ? -1 : l.seqs.findIndex((q) => q > last);
      return {
        ...(last !== undefined ? { afterBreakMs: firstAfter < 0 ? Number.POSITIVE_INFINITY : l.times[firstAfter]! - breakAt } : {}),
        websocketMs: onWebsocket.get(l) ?? Number.POSITIVE_INFINITY,
        name: l.subject.name,
        firstMs,
        gapMs: longestGap(inWindow, l.times[0]!, stoppedAt),
        lost,
        duplicated,
        delivering,
        ...(transport !== undefined ? { transport } : {}),
        ...(before !== undefined ? { transportAtBreak: before } : {}),
      };
    });
  } finally {
    clearInterval(sampler);
    for (const l of lives) {
      try {
        l.sub?.close();
      } catch {
        // a broken subject must not keep the others from closing
      }
    }
    await Promise.all(lives.map(async (l) => {
      await l.proxy.close();
      await l.server.close();
    }));
  }
}
