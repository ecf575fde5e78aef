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

  /**
   * A node-redis client whose MGET answers (the liveness checks) wait while `hold()` is on: Redis
   * runs the command in its turn, only the answer is late (a busy process reading it late).
   */
  const lateLiveness = (real: Awaited<ReturnType<typeof redis>>) => {
    let held: Array<() => void> | undefined;
    return {
      hold: () => void (held = []),
      held: () => held?.length ?? 0,
      release: () => {
        const go = held ?? [];
        held = undefined;
        for (const f of go) f();
      },
      sendCommand: (args: string[]) => {
        const answer = real.sendCommand(args);
        const h = held;
        return h && args[0] === 'MGET' ? answer.then((r) => new Promise<unknown>((go) => h.push(() => go(r)))) : answer;
      },
    };
  };

  it("a first read of a channel (HGETALL, then the nodes' liveness) does not undo a newer change the follower read meanwhile", async () => {
    // A's first interest in a channel reads the hash, then checks which nodes are alive (a second
    // round trip). A change of B read by the follower between the two was overwritten by the
    // older hash when the liveness answer came: A showed B's old members until B changed again.
    const aClient = lateLiveness(await redis());
    const a = redisPresence({ client: aClient, subscriber: await redis(), key: 'ld', heartbeatMs: 100, ttlMs: 1000, blockMs: 100 });
    const b = redisPresence({ client: await redis(), subscriber: await redis(), key: 'ld', heartbeatMs: 100, ttlMs: 1000, blockMs: 100 });
    a.start(() => {});
    b.start(() => {});
    const admin = await redis();
    b.publish('room', [{ id: 'bob', data: null, connections: 1 }]);
    await waitFor(async () => (await admin.hLen('ld:ch:room')) === 1, { message: "B's members in Redis" });
    aClient.hold();
    const seenOnA = () => [...a.others('room')].flat().map((m: Member) => `${m.id}:${m.connections}`).sort().join(',');
    expect(seenOnA()).toBe(''); // A takes an interest: its first read starts
    await waitFor(() => aClient.held() > 0, { message: "A's liveness check of B answered (after the hash)" });
    b.publish('room', [{ id: 'bea', data: null, connections: 1 }, { id: 'bob', data: null, connections: 2 }]);
    await waitFor(() => seenOnA() === 'bea:1,bob:2', { message: "A's follower read B's change", timeoutMs: 3000 });
    aClient.release();
    await new Promise((r) => setTimeout(r, 300)); // the first read's liveness answer is in
    expect(seenOnA()).toBe('bea:1,bob:2');
    await b.close();
    await a.close();
  });

  it('a node found dead that is back (republished) before the answer is read is not dropped, nor its members deleted from Redis', async () => {
    // A's heartbeat found B's key gone, but read that answer only after B had found it too and
    // republished its members (and A's follower had read them): A dropped B anyway and deleted
    // B's members from the hash, and B, whose key was back, never republished again.
    const aClient = lateLiveness(await redis());
    const bReal = await redis();
    let bHeld: Array<() => void> | undefined;
    /** B's command client; its heartbeats (SET of its key) wait to be sent while `bHeld` is set. */
    const bClient = {
      sendCommand: (args: string[]) => (bHeld && args[0] === 'SET' ? new Promise<unknown>((go, fail) => bHeld!.push(() => void bReal.sendCommand(args).then(go, fail))) : bReal.sendCommand(args)),
    };
    const a = redisPresence({ client: aClient, subscriber: await redis(), key: 'td', heartbeatMs: 100, ttlMs: 1000, blockMs: 100 });
    const b = redisPresence({ client: bClient, subscriber: await redis(), key: 'td', heartbeatMs: 100, ttlMs: 1000, blockMs: 100 });
    let changesOnA = 0;
    a.start(() => void changesOnA++);
    b.start(() => {});
    const seenOnA = () => [...a.others('room')].flat().map((m: Member) => m.id).sort().join(',');
    seenOnA();
    b.publish('room', [{ id: 'bob', data: null, connections: 1 }]);
    await waitFor(() => seenOnA() === 'bob', { message: "A sees B's member" });
    const admin = await redis();
    const [bNode] = await admin.hKeys('td:ch:room');
    // B pauses (its heartbeats wait) and its key expires; A checks it (the answer is read late).
    bHeld = [];
    await admin.del(`td:node:${bNode}`);
    aClient.hold();
    await waitFor(() => aClient.held() > 0, { message: "A checked B's key after it vanished" });
    // B wakes up, finds its key gone and republishes; A's follower reads that.
    const before = changesOnA;
    const go = bHeld;
    bHeld = undefined;
    for (const f of go) f();
    await waitFor(() => changesOnA > before, { message: "A's follower read B's republish", timeoutMs: 3000 });
    aClient.release();
    await new Promise((r) => setTimeout(r, 500)); // A's late answers read, a few heartbeats more
    expect(seenOnA()).toBe('bob');
    expect(await admin.hGet('td:ch:room', bNode!)).not.toBeNull();
    await b.close();
    await a.close();
  });

  it('round trips: a publish sends its hash write and its stream entry at once; changes read in one XREAD are fetched in one go (all HGETs in flight together)', async () => {
    /** A node-redis client that counts the most commands of `names` in flight at once. */
    const counting = (real: Awaited<ReturnType<typeof redis>>, names: readonly string[]) => {
      let inFlight = 0;
      const c = {
        max: 0,
        sendCommand: (args: string[]) => {
          if (!names.includes(args[0]!)) return real.sendCommand(args);
          c.max = Math.max(c.max, ++inFlight);
          return real.sendCommand(args).finally(() => inFlight--);
        },
      };
      return c;
    };
    /** A subscriber whose XREADs wait at a gate the test opens (so entries pile up for one read). */
    const gated = (real: Awaited<ReturnType<typeof redis>>) => {
      let open = true;
      let held: Array<() => void> = [];
      return {
        held: () => held.length,
        close: () => void (open = false),
        open: () => {
          open = true;
          for (const go of held.splice(0)) go();
        },
        sendCommand: (args: string[]) =>
          open || args[0] !== 'XREAD' ? real.sendCommand(args) : new Promise<unknown>((go, fail) => held.push(() => void real.sendCommand(args).then(go, fail))),
      };
    };
    const channels = Array.from({ length: 10 }, (_, i) => `room:${i}`);
    const aClient = counting(await redis(), ['HGET']);
    const aSub = gated(await redis());
    const a = redisPresence({ client: aClient, subscriber: aSub, key: 'rt', heartbeatMs: 100, ttlMs: 1000, blockMs: 100 });
    const bClient = counting(await redis(), ['HSET', 'XADD']);
    const b = redisPresence({ client: bClient, subscriber: await redis(), key: 'rt', heartbeatMs: 100, ttlMs: 1000, blockMs: 100 });
    a.start(() => {});
    b.start(() => {});
    const seenOnA = () => channels.map((c) => [...a.others(c)].flat().map((m: Member) => m.id).join(',')).join(' ');
    seenOnA(); // A takes an interest in every channel
    await new Promise((r) => setTimeout(r, 300)); // A's first loads are done (nothing there yet)
    aClient.max = 0;

    // Hold A's next XREAD, let B change all ten channels, then let A read them in one batch.
    aSub.close();
    await waitFor(() => aSub.held() === 1, { message: "A's next XREAD held", timeoutMs: 3000 });
    b.publish(channels[0]!, [{ id: 'bob', data: null, connections: 1 }]);
    expect(bClient.max).toBe(2); // HSET and XADD in flight together: one round trip
    for (const c of channels.slice(1)) b.publish(c, [{ id: 'bob', data: null, connections: 1 }]);
    const admin = await redis();
    await waitFor(async () => (await admin.xLen('rt:changes')) === 10, { message: 'ten changes on the stream' });
    aSub.open();
    await waitFor(() => seenOnA() === channels.map(() => 'bob').join(' '), { message: "A sees bob in all ten", timeoutMs: 3000 });
    expect(aClient.max).toBe(10); // the ten hashes read at once, not one round trip after another
    await b.close();
    await a.close();
  });
});
