/**
 * Issue #16 item 5: presence on two companion nodes sharing one real redis-server (redisStore +
 * redisPresence), every client behind its own testkit fault proxy; each node runs in its own
 * process (node B is killed for real, SIGKILL). 50 clients, half per node, over every rung (websocket,
 * polling, http, and the whole ladder), join in bursts and leave:
 * - every client's list holds every member within 1 s of the truth's change (the later of the two
 *   reaching `connected`: a join is sent after it), timed by the clients' own presence listeners;
 * - a 2 s network cut (one client per node and rung) and rung switches (websocket → polling →
 *   http → websocket, every ladder client) make nobody leave or join again anywhere;
 * - a closed client leaves every list no earlier than the grace period after it closed and within
 *   1 s after that;
 * - killing node B makes its members leave node A's lists within ttlMs + heartbeatMs (+ 1 s).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient as createRedis } from 'redis';
import { createClient, type ClientOptions, type LifelineClient, type PresenceMember, type TransportName } from '@lifeline/core';
import { delay, freePort, startProxy, waitFor, type FaultProxy, REDIS_BIN, spawnRedis } from '@lifeline/testkit';

const available = existsSync(REDIS_BIN);
const GRACE_MS = 5000;
const HEARTBEAT_MS = 500;
const TTL_MS = 2000;
/** Clients in the big test (issue #16: 50), half per node, a quarter per kind (three rungs and the ladder). */
const CLIENTS = 50;
/** Every client's list equals the truth within this of the truth's change (issue #16). */
const CONVERGE_MS = 1000;

let redisProc: ChildProcess | undefined;
let redisUrl = '';
const nodes: ChildProcess[] = [];

/**
 * A companion node in its own process (test/fixtures/presenceNode.ts): killable for real, and
 * off this process's event loop, which runs the 50 clients and their proxies (with node A in
 * here, a loaded machine stalled that loop for 0.6 s: joins reached the server 0.8 s after the
 * client connected and the lists were late for reasons of the test's own, not of presence).
 */
async function startNode(name: string): Promise<{ child: ChildProcess; port: number }> {
  const script = fileURLToPath(new URL('./fixtures/presenceNode.ts', import.meta.url));
  const child = fork(script, [], {
    execArgv: ['--import', 'tsx', '--conditions=@lifeline/source'],
    env: { ...process.env, REDIS_URL: redisUrl, GRACE_MS: String(GRACE_MS), HEARTBEAT_MS: String(HEARTBEAT_MS), TTL_MS: String(TTL_MS) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  nodes.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node ${name} did not start within 20 s`)), 20_000);
    child.once('exit', (code) => reject(new Error(`node ${name} exited with ${code}`)));
    child.on('message', (m: { ready?: boolean; port?: number }) => {
      if (m.ready) {
        clearTimeout(timer);
        resolve(m.port!);
      }
    });
  });
  child.removeAllListeners('exit');
  return { child, port };
}

const ids = (members: readonly PresenceMember[]) => members.map((m) => m.id).sort().join(',');

/** How each client connects: one rung only, or the whole ladder (the ones that switch rung). */
type Kind = 'websocket' | 'polling' | 'http' | 'ladder';
const KINDS: readonly Kind[] = ['websocket', 'polling', 'http', 'ladder'];

/** One client and everything it saw, each with the time it saw it. */
interface Watched {
  readonly id: string;
  readonly node: 'A' | 'B';
  readonly kind: Kind;
  readonly client: LifelineClient;
  readonly proxy: FaultProxy;
  readonly room: ReturnType<LifelineClient['channel']>;
  /** When it first reached `connected`: its join (where the truth changes) is sent after this. */
  connectedAt: number | undefined;
  /** When the test closed it: its member leaves the truth GRACE_MS after this at the earliest. */
  closedAt: number | undefined;
  /** Member ids entering / leaving its list (`presence.subscribe`), with the time. */
  readonly appeared: Array<{ id: string; at: number }>;
  readonly vanished: Array<{ id: string; at: number }>;
  /** `presence.on('join' | 'leave')`, with the time. */
  readonly joins: Array<{ id: string; at: number }>;
  readonly leaves: Array<{ id: string; at: number }>;
}

const isLive = (w: Watched) => w.closedAt === undefined;
const firstAt = (list: ReadonlyArray<{ id: string; at: number }>, id: string) => list.find((e) => e.id === id)?.at;
const summary = (lags: readonly number[]) => {
  const s = [...lags].sort((x, y) => x - y);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `n=${s.length} p50=${q(0.5)} p99=${q(0.99)} max=${s[s.length - 1]} ms`;
};

describe.skipIf(!available && process.env.CI !== 'true')('presence across two nodes on one redis-server', () => {
  beforeAll(async () => {
    const port = await freePort();
    redisProc = spawnRedis(port);
    redisUrl = `redis://127.0.0.1:${port}`;
    await waitFor(async () => {
      const c = createRedis({ url: redisUrl });
      c.on('error', () => {});
      await c.connect();
      await c.quit();
      return true;
    }, { timeoutMs: 5000, intervalMs: 50, message: 'redis-server up' });
  });
  afterAll(() => {
    for (const child of nodes.splice(0)) child.kill('SIGKILL');
    redisProc?.kill();
  });

  it(`${CLIENTS} clients over mixed rungs join and leave on two nodes: every list equals the truth within ${CONVERGE_MS} ms of each change; rung switches and 2 s cuts are no leave; a killed node's members leave within ttl + heartbeat`, async () => {
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const [a, b] = await Promise.all([startNode('A'), startNode('B')]);
    const clients: Watched[] = [];
    const byId = new Map<string, Watched>();

    const add = async (i: number): Promise<Watched> => {
      const id = `u${i}`;
      const node = i % 2 ? 'B' : 'A';
      const kind = KINDS[Math.floor(i / 2) % KINDS.length]!;
      const proxy = await startProxy(node === 'A' ? a.port : b.port, 'pass');
      const client = createClient({
        url: proxy.url,
        namespace: '/ns',
        auth: { token: id },
        transports: kind === 'ladder' ? ['websocket', 'polling', 'http'] : [kind],
        reconnect: { attempts: 3, delayMs: 50, maxDelayMs: 300, timeoutMs: 2000 },
        upgradeIntervalMs: 300,
        ...(kind === 'http' || kind === 'ladder' ? { http: { url: `${proxy.url}/lifeline`, wait: 2 } } : {}),
      } as ClientOptions);
      const room = client.channel('room');
      const w: Watched = { id, node, kind, client, proxy, room, connectedAt: undefined, closedAt: undefined, appeared: [], vanished: [], joins: [], leaves: [] };
      const offState = client.subscribeState((s) => {
        if (s.status !== 'connected') return;
        w.connectedAt = Date.now();
        offState();
      });
      let before = new Set<string>();
      room.presence.subscribe((members) => {
        const at = Date.now();
        const now = new Set(members.map((m) => m.id));
        for (const x of now) if (!before.has(x)) w.appeared.push({ id: x, at });
        for (const x of before) if (!now.has(x)) w.vanished.push({ id: x, at });
        before = now;
      });
      room.presence.on('join', (m) => void w.joins.push({ id: m.id, at: Date.now() }));
      room.presence.on('leave', (m) => void w.leaves.push({ id: m.id, at: Date.now() }));
      clients.push(w);
      byId.set(id, w);
      return w;
    };
    const close = (w: Watched) => {
      w.closedAt ??= Date.now();
      w.client.close();
    };
    /** Who is a member once all is said and done: every client the test has not closed. */
    const truth = () => clients.filter(isLive).map((w) => w.id).sort().join(',');
    const converged = () => clients.every((w) => !isLive(w) || ids(w.room.presence.get()) === truth());
    const converge = (message: string, timeoutMs = 20_000) =>
      waitFor(converged, { message, timeoutMs }).catch((e: unknown) => {
        const off = clients.filter((w) => isLive(w) && ids(w.room.presence.get()) !== truth()).map((w) => `${w.id}@${w.node}/${w.client.getState().transport}/${w.client.getState().status}`);
        throw new Error(`${String(e)}; off: ${off.join(' ')}`);
      });
    /**
     * Every live client saw every live member arrive within CONVERGE_MS of the later of the two
     * reaching `connected` (the member's join changes the truth after its own; a later observer
     * gets it in the snapshot of its join). Timed by the listeners, not by polling.
     */
    const expectJoinsWithinBound = (phase: string) => {
      const lags: number[] = [];
      const late: string[] = [];
      const live = clients.filter(isLive);
      for (const o of live) {
        for (const m of live) {
          const from = Math.max(o.connectedAt!, m.connectedAt!);
          const at = firstAt(o.appeared, m.id);
          const lag = at === undefined ? Infinity : at - from;
          lags.push(lag);
          if (!(lag <= CONVERGE_MS)) late.push(`${m.id}@${m.node}/${m.kind} in ${o.id}@${o.node}/${o.kind}: ${lag} ms `);
        }
      }
      const by = new Map<string, number[]>();
      for (const o of live) for (const m of live) {
        const at = firstAt(o.appeared, m.id);
        const k = `${o.node === m.node ? 'same node' : 'other node'}, seen by ${o.kind}`;
        (by.get(k) ?? by.set(k, []).get(k)!).push(at === undefined ? Infinity : at - Math.max(o.connectedAt!, m.connectedAt!));
      }
      const loopMs = Math.round(loop.max / 1e6);
      console.log(`presenceCluster ${phase}: join seen ${summary(lags)}; this process's longest event-loop stall ${loopMs} ms`);
      expect(late, `${phase}: members seen later than ${CONVERGE_MS} ms after their join (stall ${loopMs} ms)\n${[...by].map(([k, v]) => `  ${k}: ${summary(v)}`).join('\n')}`).toEqual([]);
      loop.reset();
      expect(late, `${phase}: members seen later than ${CONVERGE_MS} ms after their join`).toEqual([]);
    };

    try {
      // Warm-up, on another channel: this process loads the clients' lazy chunks (http rung,
      // presence) once, as each browser tab would before its first join.
      const warm = (['http', 'websocket'] as const).map((kind) => {
        const client = createClient({ url: `http://127.0.0.1:${a.port}`, namespace: '/ns', auth: { token: `warm-${kind}` }, transports: [kind], http: { url: `http://127.0.0.1:${a.port}/lifeline`, wait: 2 } });
        return { client, channel: client.channel('warm-up') };
      });
      await waitFor(() => warm.every((w) => w.channel.presence.get().length === 2), { message: 'warm-up', timeoutMs: 20_000 });
      for (const w of warm) w.client.close();
      loop.reset();

      // Joining: two bursts on both nodes, over every rung.
      const burst = async (from: number, to: number) => Promise.all(Array.from({ length: to - from }, (_, k) => add(from + k)));
      await burst(0, 24);
      await converge('first burst converged');
      expectJoinsWithinBound('first burst (24)');
      await burst(24, 40);
      await converge('second burst converged');
      expectJoinsWithinBound('second burst (40)');

      // At once: a 2 s network cut of one client per node and single rung, and every ladder
      // client switching rung websocket → polling → http → websocket. Nobody leaves (or joins again).
      const cut = (['websocket', 'polling', 'http'] as const).flatMap((kind) => (['A', 'B'] as const).map((node) => clients.find((w) => w.kind === kind && w.node === node)!));
      const switching = clients.filter((w) => w.kind === 'ladder');
      const on = (w: Watched, transport: TransportName) => () => w.client.getState().status === 'connected' && w.client.getState().transport === transport;
      const disturbedAt = Date.now();
      await Promise.all([
        (async () => {
          for (const w of cut) w.proxy.setMode('down');
          await delay(2000);
          for (const w of cut) w.proxy.setMode('pass');
          await waitFor(() => cut.every((w) => w.client.getState().status === 'connected'), { message: 'cut clients back', timeoutMs: 8000 });
        })(),
        ...switching.map(async (w) => {
          await waitFor(on(w, 'websocket'), { message: `${w.id} on websocket`, timeoutMs: 8000 });
          w.proxy.setMode('reject-upgrade');
          await waitFor(on(w, 'polling'), { message: `${w.id} fell to polling`, timeoutMs: 8000 });
          w.proxy.setMode('block-socketio');
          await waitFor(on(w, 'http'), { message: `${w.id} fell to http`, timeoutMs: 8000 });
          w.proxy.setMode('pass');
          await waitFor(on(w, 'websocket'), { message: `${w.id} climbed back to websocket`, timeoutMs: 8000 });
        }),
      ]);
      // Past every grace period the cuts and switches started.
      await delay(Math.max(0, disturbedAt + 2000 + GRACE_MS + 500 - Date.now()));
      await converge('converged after the cuts and switches', 1000);
      const flaps = clients.flatMap((o) => [...o.leaves.map((e) => `leave ${e.id} in ${o.id}`), ...o.vanished.map((e) => `vanished ${e.id} from ${o.id}`)]);
      expect(flaps, 'a 2 s cut or a rung switch made someone leave').toEqual([]);

      // Joining and leaving at once: 10 more join while 8 socket clients (2 per node and rung) close.
      const leaving = (['websocket', 'polling'] as const).flatMap((kind) => (['A', 'B'] as const).flatMap((node) => clients.filter((w) => w.kind === kind && w.node === node && !cut.includes(w)).slice(0, 2)));
      expect(leaving).toHaveLength(8);
      for (const w of leaving) close(w);
      await burst(40, CLIENTS);
      await converge('third burst converged');
      expectJoinsWithinBound(`third burst (${CLIENTS}, while 8 leave)`);
      await converge('the 8 left everywhere', GRACE_MS + 3000);
      // A member leaves the truth when its grace period ends (GRACE_MS after its socket closed, at
      // the earliest): not one client drops it before, every live one within CONVERGE_MS after.
      const leaveLags: number[] = [];
      const wrongLeaves: string[] = [];
      for (const o of clients.filter(isLive)) {
        for (const m of leaving) {
          if (o.connectedAt! >= m.closedAt! + GRACE_MS) continue; // joined after m had left: never sees it (converge checked)
          const at = firstAt(o.vanished, m.id);
          const from = m.closedAt! + GRACE_MS;
          const lag = at === undefined ? Infinity : at - from;
          leaveLags.push(lag);
          if (!(lag >= 0 && lag <= CONVERGE_MS)) wrongLeaves.push(`${m.id}@${m.node}/${m.kind} in ${o.id}@${o.node}/${o.kind}: ${lag} ms after its grace period`);
        }
      }
      console.log(`presenceCluster leaves: seen ${summary(leaveLags)} after the grace period`);
      expect(wrongLeaves, `members that left before their grace period or later than ${CONVERGE_MS} ms after it`).toEqual([]);

      // No flapping anywhere so far: every member entered each list once, and the only leaves
      // are the 8, once each (as events, too).
      const gone = new Set(leaving.map((w) => w.id));
      const flapped: string[] = [];
      for (const o of clients.filter(isLive)) {
        const count = (list: ReadonlyArray<{ id: string }>, id: string) => list.filter((e) => e.id === id).length;
        for (const m of clients) {
          if (count(o.appeared, m.id) > 1 || count(o.joins, m.id) > 1) flapped.push(`${m.id} joined ${o.id} twice`);
          const leaves = gone.has(m.id) && count(o.appeared, m.id) > 0 ? 1 : 0;
          if (count(o.vanished, m.id) !== leaves || count(o.leaves, m.id) !== leaves) flapped.push(`${m.id} left ${o.id} ${count(o.leaves, m.id)} times`);
        }
      }
      expect(flapped).toEqual([]);

      // Kill node B: its members leave the lists of node A's clients within ttl + heartbeat
      // (its liveness key expires within ttl of its last beat; A checks every heartbeat), each
      // list then within CONVERGE_MS.
      const onA = clients.filter((w) => w.node === 'A' && isLive(w));
      const onB = clients.filter((w) => w.node === 'B' && isLive(w));
      b.child.kill('SIGKILL');
      const killedAt = Date.now();
      for (const w of onB) close(w); // their connections died with the node; keep them out of the truth
      const bound = TTL_MS + HEARTBEAT_MS + CONVERGE_MS;
      await converge("node B's members left", bound + 2000);
      const killLags: number[] = [];
      const slow: string[] = [];
      for (const o of onA) {
        for (const m of onB) {
          const at = firstAt(o.vanished, m.id);
          const lag = at === undefined ? Infinity : at - killedAt;
          killLags.push(lag);
          if (!(lag <= bound)) slow.push(`${m.id} in ${o.id}: ${lag} ms`);
        }
      }
      console.log(`presenceCluster node kill: members left ${summary(killLags)} after SIGKILL (bound ${bound} ms)`);
      expect(slow, `node B's members left later than ttl + heartbeat + ${CONVERGE_MS} ms`).toEqual([]);
      expect(onA.flatMap((o) => o.leaves.filter((e) => !gone.has(e.id)).map((e) => e.id)).sort()).toEqual(onA.flatMap(() => onB.map((m) => m.id)).sort());
    } finally {
      for (const w of clients) w.client.close();
      for (const w of clients) await w.proxy.close();
      for (const child of [a.child, b.child]) child.kill('SIGKILL');
    }
  }, 120_000);
});
