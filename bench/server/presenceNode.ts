/**
 * Child of the presence benchmark: one companion node (Socket.IO + @lifeline/server, memory
 * store) with presence shared through redisPresence on REDIS_URL, or without presence
 * (PRESENCE=0). IPC: `mem` (after GC), `cpu` (process.cpuUsage, µs), `exit`.
 */
import { createClient } from 'redis';
import { delay, startServer } from '@lifeline/testkit';
import { createLifeline, memoryStore, redisPresence, type Lifeline } from '@lifeline/server';

const withPresence = process.env.PRESENCE !== '0';
const connect = async () => {
  const c = createClient({ url: process.env.REDIS_URL });
  c.on('error', () => {});
  return c.connect();
};
const [client, subscriber] = withPresence ? await Promise.all([connect(), connect()]) : [];
let lifeline!: Lifeline<{ id: string }>;
const server = await startServer({
  serverOptions: { pingInterval: 25_000, pingTimeout: 20_000 },
  setup: (io) => {
    lifeline = createLifeline<{ id: string }>(io.of('/'), {
      store: memoryStore(),
      authenticate: (auth) => (typeof auth.token === 'string' ? { id: auth.token } : null),
      ...(withPresence && client && subscriber ? { presence: true, presenceStore: redisPresence({ client, subscriber, key: 'bench:presence', heartbeatMs: 1000, ttlMs: 5000, blockMs: 200 }) } : {}),
    });
  },
});

type Msg = { id?: number; cmd: string };
const reply = (m: Msg, body: Record<string, unknown>) => process.send!({ id: m.id, ...body });
process.on('message', async (m: Msg) => {
  switch (m.cmd) {
    case 'mem': {
      const gc = (globalThis as { gc?: () => void }).gc;
      for (let i = 0; i < 3; i++) {
        gc?.();
        await delay(20);
      }
      const u = process.memoryUsage();
      return reply(m, { bytes: u.heapUsed + u.external, gc: Boolean(gc) });
    }
    case 'cpu': {
      const c = process.cpuUsage();
      return reply(m, { us: c.user + c.system });
    }
    case 'exit':
      await lifeline.close();
      await server.close();
      await client?.quit();
      await subscriber?.quit();
      process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true, url: server.url });
