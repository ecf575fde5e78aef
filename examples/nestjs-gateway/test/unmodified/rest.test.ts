/**
 * Issue #12 item 5, the REST side, against the unmodified NestJS app (test/unmodified/gateway.ts:
 * gateway on `/api/v1/ws` plus a Nest controller `GET /api/v1/notifications?since=N` and
 * `POST /api/v1/notifications/read` with Bearer auth over the gateway's notification log; no
 * `@lifeline/server`), behind the fault proxy including `block-socketio`: the client's `http` rung
 * is core's REST adapter (`http: { poll, send }`, docs/rest-adapter.md). It delivers every
 * notification once across falls and climbs, acks work on every rung, a revoked token stops the
 * client with UNAUTHORIZED, and no token appears in any URL the server saw.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type LifelineClient, type PollAdapter, type SendAdapter, type TransportName } from '@lifeline/core';
import { batchedChannelProtocol } from '@lifeline/core/protocols';
import { inspectClient } from '@lifeline/core/testing';
import { startProxy, waitFor, type FaultProxy } from '@lifeline/testkit';
import { startPlainGateway, type Notification, type PlainApp } from './gateway';

const TOKEN = 'ada-token';
const FAST = { attempts: 2, delayMs: 50, maxDelayMs: 200, jitter: 0.5, timeoutMs: 1000 } as const;

const channels = batchedChannelProtocol({
  async joinMany(emit, joins) {
    const ack = (await emit('subscribe', { channels: joins.map((j) => j.channel) }, 2000)) as { success?: boolean; channels?: string[] };
    return joins.map((j) => (ack.channels?.includes(j.channel) ? { ok: true as const } : { ok: false as const, code: 'FORBIDDEN' as const }));
  },
  leave: async (emit, channel) => void (await emit('unsubscribe', { channels: [channel] }, 2000)),
  channelOf: (event, [data]) => (event === 'notification' ? `user:${(data as Notification).userId}` : undefined),
});

const bearer = (auth: Readonly<Record<string, unknown>>) => ({ authorization: `Bearer ${String(auth.token)}` });

/** The Nest controller's GET as the `http` rung. */
const restPoll = (api: string): PollAdapter => async ({ cursor, auth, signal }) => {
  const url = new URL('/api/v1/notifications', api);
  if (cursor !== undefined) url.searchParams.set('since', String(cursor));
  const res = await fetch(url, { headers: bearer(auth), signal });
  if (!res.ok) throw res; // 401 → UNAUTHORIZED
  const body = (await res.json()) as { items: Notification[]; latest: number };
  return { events: body.items.map((n) => ({ id: n.seq, event: 'notification', data: n, channel: `user:${n.userId}` })), cursor: body.latest };
};

/** `notification:read` over the controller's POST, so its ack works on the `http` rung. */
const restSend = (api: string): SendAdapter => async (event, data, { auth, signal }) => {
  if (event !== 'notification:read') throw new Error(`no REST route for "${event}"`);
  const res = await fetch(new URL('/api/v1/notifications/read', api), { method: 'POST', headers: { ...bearer(auth), 'content-type': 'application/json' }, body: JSON.stringify(data), signal });
  if (!res.ok) throw res;
  return res.json();
};

let nest: PlainApp | undefined;
let proxy: FaultProxy | undefined;
const clients: LifelineClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) {
    c.close();
    expect(inspectClient(c)).toMatchObject({ timers: 0, listeners: 0, sockets: 0 });
  }
  await proxy?.close();
  await nest?.close();
  nest = proxy = undefined;
});

async function start() {
  nest = await startPlainGateway({ tokens: { [TOKEN]: '1' } });
  proxy = await startProxy(nest.port, 'pass');
  const client = createClient({
    url: proxy.url,
    namespace: '/api/v1/ws',
    auth: () => ({ token: TOKEN }),
    channels,
    transports: ['websocket', 'polling', 'http'],
    http: { poll: restPoll(proxy.url), send: restSend(proxy.url), intervalMs: 300 },
    cursorOf: (_event, data) => (data as Partial<Notification> | null)?.seq,
    reconnect: FAST,
    upgradeIntervalMs: 300,
  });
  clients.push(client);
  const got: Array<[Notification, string | undefined, TransportName | undefined]> = [];
  client.channel('user:1').on('notification', (n, meta) => void got.push([n as Notification, meta.channel, meta.transport]));
  return { nest, proxy, client, got };
}

const connectedOn = (client: LifelineClient, transport: TransportName) => () => client.getState().status === 'connected' && client.getState().transport === transport;

describe('an unmodified NestJS app (gateway + Bearer REST controller), REST adapter as the http rung, behind the fault proxy', () => {
  it('three falls to the REST rung (block-socketio) and three climbs back: every notification exactly once, 0 lost, 0 duplicated', async () => {
    const { nest, proxy, client, got } = await start();
    const timer = setInterval(() => {
      nest.gateway.notify('1', { id: 'x', userId: '1', text: 'tick' });
      nest.gateway.notify('2', { id: 'y', userId: '2', text: 'not mine' });
    }, 15);
    try {
      await waitFor(connectedOn(client, 'websocket'), { message: 'on websocket', timeoutMs: 10_000 });
      await waitFor(() => got.length >= 5, { message: 'notifications over websocket' });
      for (let i = 1; i <= 3; i++) {
        proxy.setMode('block-socketio');
        await waitFor(connectedOn(client, 'http'), { message: `fall ${i} to the REST rung`, timeoutMs: 10_000 });
        const onHttp = got.filter(([, , t]) => t === 'http').length;
        await waitFor(() => got.filter(([, , t]) => t === 'http').length >= onHttp + 5, { message: `delivered over http (${i})`, timeoutMs: 10_000 });
        proxy.setMode('pass');
        await waitFor(connectedOn(client, 'websocket'), { message: `climb ${i} back to websocket`, timeoutMs: 10_000 });
        const onWs = got.length;
        await waitFor(() => got.length >= onWs + 5, { message: `delivered over websocket (${i})` });
      }
    } finally {
      clearInterval(timer);
    }
    const last = nest.gateway.notify('1', { id: 'last', userId: '1', text: 'last' });
    await waitFor(() => got.some(([n]) => n.seq === last.seq), { message: 'the last one arrives' });

    const seqs = got.map(([n]) => n.seq);
    const sent = nest.gateway.notifications.filter((n) => n.userId === '1' && n.seq >= seqs[0]! && n.seq <= last.seq).map((n) => n.seq);
    expect(got.filter(([, , t]) => t === 'http').length).toBeGreaterThanOrEqual(15);
    expect({ duplicated: seqs.length - new Set(seqs).size, lost: sent.filter((s) => !seqs.includes(s)).length }).toEqual({ duplicated: 0, lost: 0 });
    expect(seqs).toEqual(sent); // in order, too
    expect(got.every(([n, channel]) => n.userId === '1' && channel === 'user:1')).toBe(true);
  }, 90_000);

  it('acks work on every rung (websocket, polling, REST), and room handlers fire on each', async () => {
    const { nest, proxy, client, got } = await start();
    const replies: unknown[] = [];
    const onRung = async (rung: TransportName) => {
      await waitFor(connectedOn(client, rung), { message: rung, timeoutMs: 10_000 });
      await waitFor(() => {
        nest.gateway.notify('1', { id: `n-${rung}`, userId: '1', text: rung });
        return got.some(([n, , t]) => n.text === rung && t === rung);
      }, { message: `room handler on ${rung}`, intervalMs: 200, timeoutMs: 10_000 });
      replies.push(await client.emit('notification:read', { id: `n-${rung}` }, { ack: true, timeoutMs: 3000 }));
    };
    await onRung('websocket');
    proxy.setMode('reject-upgrade');
    await onRung('polling');
    proxy.setMode('block-socketio');
    await onRung('http');
    expect(replies).toEqual([
      { ok: true, id: 'n-websocket' },
      { ok: true, id: 'n-polling' },
      { ok: true, id: 'n-http' },
    ]);
  }, 60_000);

  it('the controller answers 401 without a token and with a wrong one; a revoked token stops the client with UNAUTHORIZED', async () => {
    const { nest, proxy, client } = await start();
    expect((await fetch(`http://127.0.0.1:${nest.port}/api/v1/notifications?since=0`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${nest.port}/api/v1/notifications?since=0`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${nest.port}/api/v1/notifications/read`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${nest.port}/api/v1/notifications?since=x`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(400);
    const errors: string[] = [];
    client.on('error', (e) => void errors.push(e.code));
    proxy.setMode('block-socketio');
    await waitFor(connectedOn(client, 'http'), { message: 'on the REST rung', timeoutMs: 10_000 });
    nest.tokens.delete(TOKEN);
    await waitFor(() => client.getState().status === 'idle', { message: 'stops', timeoutMs: 15_000 });
    expect(client.getState().lastError?.code).toBe('UNAUTHORIZED');
    expect(errors.filter((c) => c === 'UNAUTHORIZED')).toHaveLength(1);
  }, 30_000);

  it('no token in any URL the server saw (REST, polling and upgrades all recorded, and the climb back)', async () => {
    const { nest, proxy, client, got } = await start();
    for (const [mode, rung] of [['pass', 'websocket'], ['reject-upgrade', 'polling'], ['block-socketio', 'http'], ['pass', 'websocket']] as const) {
      proxy.setMode(mode);
      await waitFor(connectedOn(client, rung), { message: rung, timeoutMs: 10_000 });
      await client.emit('notification:read', { id: `n-${rung}` }, { ack: true, timeoutMs: 3000 });
      // A notification through this rung (on the REST rung: its polls).
      await waitFor(() => {
        nest.gateway.notify('1', { id: `n-${rung}`, userId: '1', text: rung });
        return got.some(([n, , t]) => n.text === rung && t === rung);
      }, { message: `a notification over ${rung}`, intervalMs: 200, timeoutMs: 10_000 });
    }
    const seenUrls = [...nest.urls];
    expect(seenUrls.some((u) => u.startsWith('/api/v1/notifications?since='))).toBe(true);
    expect(seenUrls.some((u) => u.startsWith('/socket.io/') && u.includes('transport=polling'))).toBe(true);
    expect(seenUrls.some((u) => u.startsWith('/socket.io/') && u.includes('transport=websocket'))).toBe(true);
    expect(seenUrls.filter((u) => u.includes(TOKEN))).toEqual([]);
  }, 60_000);
});
