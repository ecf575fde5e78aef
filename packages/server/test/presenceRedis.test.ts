/**
 * redisPresence on a real redis-server, without sockets: two shares (nodes) see each other's
 * members; a node whose liveness key is gone is dropped by the other, and comes back by itself
 * with its next heartbeat (it republishes its members when it finds its key expired).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { redisPresence, type Member, type PresenceShare } from '@lifeline/server';
import { freePort, waitFor, REDIS_BIN, spawnRedis } from '@lifeline/testkit';

let proc: ChildProcess | undefined;
let url = '';
const clients: Array<ReturnType<typeof createClient>> = [];
async function redis() {
  const c = createClient({ url });
  c.on('error', () => {});
  await c.connect();
  clients.push(c);
  return c;
}

describe.skipIf(!existsSync(REDIS_BIN) && process.env.CI !== 'true')('redisPresence (real redis-server)', () => {
  beforeAll(async () => {
    const port = await freePort();
    proc = spawnRedis(port);
    url = `redis://127.0.0.1:${port}`;
    await waitFor(async () => Boolean(await redis()), { timeoutMs: 5000, intervalMs: 50, message: 'redis up' });
  });
  afterAll(async () => {
    for (const c of clients) await c.quit().catch(() => {});
    proc?.kill();
  });

  it('nodes see each other; a node whose key vanished is dropped, then republishes itself', async () => {
    const make = async () => redisPresence({ client: await redis(), subscriber: await redis(), key: 'p', heartbeatMs: 100, ttlMs: 400, blockMs: 100 });
    const a: PresenceShare = await make();
    const b: PresenceShare = await make();
    const changedOnA: string[] = [];
    a.start((c) => changedOnA.push(c));
    b.start(() => {});
    const seenOnA = () => [...a.others('room')].flat().map((m: Member) => m.id).sort().join(',');
    seenOnA(); // A takes an interest in "room"
    b.publish('room', [{ id: 'bob', data: null, connections: 1 }]);
    await waitFor(() => seenOnA() === 'bob', { message: "A sees B's member" });
    expect(changedOnA).toContain('room');

    // B's key vanishes (as after a pause longer than ttlMs) and A tidies its members away: B
    // finds its key gone at its next heartbeat and publishes its members again.
    const admin = await redis();
    const [bNode] = await admin.hKeys('p:ch:room');
    expect(bNode).toBeDefined();
    await admin.del(`p:node:${bNode}`);
    await admin.hDel('p:ch:room', bNode!);
    await waitFor(async () => (await admin.hGet('p:ch:room', bNode!)) !== null, { message: 'B republished its members', timeoutMs: 3000 });
    await waitFor(() => seenOnA() === 'bob', { message: 'A still sees bob' });
    await b.close();
    await waitFor(() => seenOnA() === '', { message: 'B closed: bob gone', timeoutMs: 3000 });
    await a.close();
  });
});
