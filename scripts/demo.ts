/**
 * The Quick start demo: a ticket desk on 127.0.0.1.
 *
 * A Socket.IO server with the Lifeline companion publishes `ticket:updated` to channel
 * `ticket:42` every 400 ms. A Lifeline client connects through a fault proxy. The demo breaks the
 * proxy the ways production proxies break WebSockets and prints what the client does: which
 * transport it falls back to, when it climbs back, and that every published id arrived once.
 */
import http from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';
import { createClient, type ConnectionState } from '@lifeline/core';
import { createLifeline, memoryStore } from '@lifeline/server';
import { delay, startProxy, type ProxyMode } from '@lifeline/testkit';

const c = { dim: '\x1b[2m', bold: '\x1b[1m', green: '\x1b[32m', yellow: '\x1b[33m', red: '\x1b[31m', cyan: '\x1b[36m', reset: '\x1b[0m' };
const t0 = Date.now();
// Bounded whatever happens: the tour takes ~30 s; a hang anywhere ends the demo with an error.
const watchdog = setTimeout(() => {
  console.error('demo: did not finish within 90 s');
  process.exit(1);
}, 90_000);
watchdog.unref();
const log = (msg: string) => console.log(`${c.dim}${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s${c.reset}  ${msg}`);

const httpServer = http.createServer();
const io = new Server(httpServer);
const lifeline = createLifeline(io.of('/notifications'), {
  store: memoryStore({ maxEvents: 10_000 }),
  authenticate: async (auth) => (auth.token === 'demo-token' ? { name: 'ada' } : null),
  authorize: async (_user, channel) => channel.startsWith('ticket:'),
});
httpServer.on('request', (req, res) => {
  if (req.url?.startsWith('/lifeline')) lifeline.http(req, res, () => res.writeHead(404).end());
});
await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
const port = (httpServer.address() as { port: number }).port;
const proxy = await startProxy(port);

log(`${c.bold}server${c.reset} Socket.IO + @lifeline/server on 127.0.0.1:${port}, namespace /notifications`);
log(`${c.bold}proxy${c.reset}  fault-injecting proxy on ${proxy.url}`);

const client = createClient({
  url: proxy.url,
  namespace: '/notifications',
  auth: async () => ({ token: 'demo-token' }),
  events: { 'ticket:updated': z.object({ id: z.number(), status: z.string() }) },
  transports: ['websocket', 'polling', 'http'],
  http: { url: `${proxy.url}/lifeline` },
  reconnect: { attempts: 3, delayMs: 300, maxDelayMs: 1500, timeoutMs: 3000 },
  upgradeIntervalMs: 2000,
});

let last = '';
const offState = client.subscribeState((s: ConnectionState) => {
  const line = `${s.status}${s.transport ? ` over ${s.transport}` : ''}${s.fallback ? ' (fallback)' : ''}`;
  const why = s.lastError && s.status !== 'connected' ? ` — ${s.lastError.code}` : '';
  if (line + why === last) return;
  last = line + why;
  const color = s.status === 'connected' ? (s.fallback ? c.yellow : c.green) : c.red;
  log(`${c.bold}state${c.reset}  ${color}${line}${c.reset}${c.dim}${why}${c.reset}`);
});
client.on('transport', ({ from, to, reason }) => log(`${c.cyan}switch${c.reset} ${from ?? '—'} → ${to ?? '—'}: ${reason}`));
client.on('error', (e) => log(`${c.red}error${c.reset}  [${e.code}] ${e.message}\n         ${c.dim}hint: ${e.hint}${c.reset}`));

const received: number[] = [];
const room = client.channel('ticket:42');
room.on('ticket:updated', (t, meta) => {
  received.push(t.id);
  if (t.id % 5 === 0) log(`${c.dim}event  ticket:updated #${t.id} via ${meta.transport}${c.reset}`);
});

let published = 0;
const ticker = setInterval(() => void lifeline.publish('ticket:42', 'ticket:updated', { id: ++published, status: 'open' }), 400);

const tour: Array<[ProxyMode, number, string]> = [
  ['pass', 3000, 'healthy proxy'],
  ['strip-upgrade', 6000, 'nginx forwards the upgrade without Upgrade/Connection headers'],
  ['pass', 4000, 'nginx fixed: the client should climb back to websocket'],
  ['blackhole-upgrade', 6000, 'a proxy that never answers the upgrade'],
  ['pass', 4000, 'healthy again'],
  ['freeze', 7000, 'a NAT forgets the flow: no close, no error; the heartbeat notices within about 4 s'],
  ['pass', 3000, 'healthy again'],
  ['down', 2000, 'backend unreachable for 2 s'],
  ['pass', 4000, 'back up'],
];
const tourOnly = process.argv.includes('--quick') ? tour.slice(0, 3) : tour;
for (const [mode, ms, why] of tourOnly) {
  log(`${c.bold}proxy  → ${mode}${c.reset} ${c.dim}(${why})${c.reset}`);
  proxy.setMode(mode);
  await delay(ms);
}

clearInterval(ticker);
await delay(800);
const unique = new Set(received);
const missing = Array.from({ length: published }, (_, i) => i + 1).filter((id) => !unique.has(id));
const dupes = received.length - unique.size;
log(`${c.bold}done${c.reset}   published ${published}, received ${received.length}, missing ${missing.length}${missing.length ? ` (${missing.slice(0, 10).join(', ')}…)` : ''}, duplicated ${dupes}; last round trip ${client.rtt ?? '—'} ms`);
offState();
room.leave();
client.close();
await lifeline.close?.();
await proxy.close();
io.close();
httpServer.close();
process.exit(missing.length || dupes ? 1 : 0);
