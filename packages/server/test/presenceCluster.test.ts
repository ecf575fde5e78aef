/**
 * Presence on two companion nodes sharing one real redis-server (redisStore + redisPresence),
 * each behind the testkit fault proxy; node B runs in its own process so it can be killed for
 * real (SIGKILL). Clients over mixed rungs (websocket, polling, http) join on both nodes:
 * every member list equals the truth within 1 s of a join; a 2 s network cut produces no leave
 * for anyone; a client that goes away leaves after the grace period; killing node B makes its
 * members leave within ttlMs + heartbeatMs (+ a second of slack for delivery).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient as createRedis } from 'redis';
import { createClient, type ClientOptions, type LifelineClient, type PresenceMember, type TransportName } from '@lifeline/core';
import { createLifeline, redisPresence, redisStore, type Lifeline } from '@lifeline/server';
import { delay, freePort, startProxy, startServer, waitFor, type FaultProxy, type TestServer, REDIS_BIN, spawnRedis } from '@lifeline/testkit';

const available = existsSync(REDIS_BIN);
const GRACE_MS = 5000;
const HEARTBEAT_MS = 500;
const TTL_MS = 2000;
/** Clients in the big test (the issue asks 50; 30 on the shared 2-core machine, 10 per rung). */
const CLIENTS = 30;

type Redis = ReturnType<typeof createRedis>;
let redisProc: ChildProcess | undefined;
let redisUrl = '';
const redisClients: Redis[] = [];

async function redis(): Promise<Redis> {
  const c = createRedis({ url: redisUrl });
  c.on('error', () => {});
  await c.connect();
  redisClients.push(c);
  return c;
}

/** Node A, in this process. */
async function nodeA(): Promise<{ server: TestServer; lifeline: Lifeline<{ id: string }> }> {
  const [client, subscriber, presenceSub] = await Promise.all([redis(), redis(), redis()]);
  let lifeline!: Lifeline<{ id: string }>;
  const server = await startServer({
    setup: (io) => {
      lifeline = createLifeline<{ id: string }>(io.of('/ns'), {
        store: redisStore({ client, subscriber, key: 'test:events', blockMs: 200 }),
        presence: true,
        presenceGraceMs: GRACE_MS,
        presenceStore: redisPresence({ client, subscriber: presenceSub, key: 'test:presence', heartbeatMs: HEARTBEAT_MS, ttlMs: TTL_MS, blockMs: 200 }),
        authenticate: (auth) => (typeof auth.token === 'string' ? { id: auth.token } : null),
      });
    },
    http: (req, res, next) => lifeline.http(req, res, next),
  });
  return { server, lifeline };
}

/** Node B, in a child process (killable). */
async function nodeB(): Promise<{ child: ChildProcess; port: number }> {
  const script = fileURLToPath(new URL('./fixtures/presenceNode.ts', import.meta.url));
  const child = fork(script, [], {
    execArgv: ['--import', 'tsx', '--conditions=@lifeline/source'],
    env: { ...process.env, REDIS_URL: redisUrl, GRACE_MS: String(GRACE_MS), HEARTBEAT_MS: String(HEARTBEAT_MS), TTL_MS: String(TTL_MS) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('node B did not start within 20 s')), 20_000);
    child.once('exit', (code) => reject(new Error(`node B exited with ${code}`)));
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
  afterAll(async () => {
    for (const c of redisClients.splice(0)) await c.quit().catch(() => {});
    redisProc?.kill();
  });

  it(`${CLIENTS} clients over mixed rungs on two nodes: lists equal the truth within 1 s; a 2 s cut is no leave; a killed node's members leave within ttl + heartbeat`, async () => {
    const a = await nodeA();
    const b = await nodeB();
    const proxies: FaultProxy[] = [];
    const clients: Array<{ id: string; node: 'A' | 'B'; client: LifelineClient; proxy: FaultProxy; leaves: string[]; joins: string[]; room: ReturnType<LifelineClient['channel']> }> = [];
    const rungs: TransportName[] = ['websocket', 'polling', 'http'];
    try {
      const add = async (id: string, node: 'A' | 'B', rung: TransportName) => {
        const proxy = await startProxy(node === 'A' ? a.server.port : b.port, 'pass');
        proxies.push(proxy);
        const client = createClient({
          url: proxy.url,
          namespace: '/ns',
          auth: { token: id },
          transports: [rung],
          reconnect: { attempts: 3, delayMs: 50, maxDelayMs: 300, timeoutMs: 2000 },
          ...(rung === 'http' ? { http: { url: `${proxy.url}/lifeline`, wait: 2 } } : {}),
        } as ClientOptions);
        const room = client.channel('room');
        const entry = { id, node, client, proxy, leaves: [] as string[], joins: [] as string[], room };
        room.presence.on('leave', (m) => entry.leaves.push(m.id));
        room.presence.on('join', (m) => {
          entry.joins.push(m.id);
          if (m.id === 'late') (entry as { sawLate?: number }).sawLate ??= Date.now();
        });
        clients.push(entry);
        return entry;
      };
      for (let i = 0; i < CLIENTS; i++) await add(`u${i}`, i % 2 ? 'B' : 'A', rungs[i % 3]!);
      const truth = () => [...new Set(clients.filter((c) => !c.client.getState().status.startsWith('closed')).map((c) => c.id))].sort().join(',');
      const converged = () => clients.every((c) => c.client.getState().status === 'closed' || ids(c.room.presence.get()) === truth());
      await waitFor(converged, { message: 'initial convergence', timeoutMs: 20_000 });

      // A join on node A is seen on every client of both nodes within 1 s.
      const late = await add('late', 'A', 'websocket');
      await waitFor(() => late.client.getState().status === 'connected', { message: 'late connected' });
      const joinedAt = Date.now();
      await waitFor(converged, { message: 'a join seen everywhere within 1 s', timeoutMs: 1000 + 500 /* connect-to-join */ }).catch(async (e: unknown) => {
        await delay(3000);
        const off = clients.map((c) => `${c.id}@${c.node}/${c.client.getState().transport}: ${((c as { sawLate?: number }).sawLate ?? NaN) - joinedAt} j${c.joins.filter((x) => x === 'late').length} l${c.leaves.length}`);
        throw new Error(`${String(e)}; 3 s later still off: ${off.join(' ')}`);
      });
      expect(Date.now() - joinedAt).toBeLessThan(1500);

      // A 2 s network cut of one client per node and rung: no leave for anyone.
      const cut = clients.filter((c) => c.id === 'u0' || c.id === 'u1' || c.id === 'u2');
      for (const c of cut) c.proxy.setMode('down');
      await delay(2000);
      for (const c of cut) c.proxy.setMode('pass');
      await waitFor(() => cut.every((c) => c.client.getState().status === 'connected'), { message: 'cut clients back', timeoutMs: 8000 });
      await delay(GRACE_MS + 500);
      expect(clients.flatMap((c) => c.leaves)).toEqual([]);

      // A client that goes away leaves everywhere after the grace period.
      const gone = clients.find((c) => c.id === 'u4')!;
      gone.client.close();
      await waitFor(converged, { message: 'u4 left everywhere', timeoutMs: GRACE_MS + 1500 });

      // Kill node B: its members (odd ids) leave the lists of node A's clients within ttl + heartbeat.
      const onA = clients.filter((c) => c.node === 'A' && c.client.getState().status !== 'closed');
      const onB = clients.filter((c) => c.node === 'B');
      b.child.kill('SIGKILL');
      const killedAt = Date.now();
      for (const c of onB) c.client.close(); // their connections are dead with the node; keep them out of the truth
      await waitFor(() => onA.every((c) => ids(c.room.presence.get()) === truth()), { message: "node B's members left", timeoutMs: TTL_MS + HEARTBEAT_MS + 1000 });
      const bound = TTL_MS + HEARTBEAT_MS;
      expect(Date.now() - killedAt).toBeLessThan(bound + 1000);
    } finally {
      for (const c of clients) c.client.close();
      for (const p of proxies) await p.close();
      b.child.kill('SIGKILL');
      await a.lifeline.close();
      await a.server.close();
    }
  }, 90_000);
});
