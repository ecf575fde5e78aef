/**
 * The existing backend (Express + Socket.IO, no companion: src/backend.ts) and the app's client
 * (src/notifications.ts), behind the testkit's fault proxy: the REST adapter rung, switches
 * between rungs with `cursorOf`, acks on every rung, auth refusals, and no token in any URL.
 */
import type { LifelineClient } from '@lifeline/core';
import { startProxy, waitFor, type FaultProxy } from '@lifeline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackend, type Backend, type Notification } from '../src/backend';
import { createNotificationsClient, type NotificationsOptions } from '../src/notifications';
import { FAST, fallsAndClimbs } from '../src/switches';

const TOKEN = 'ada-token';

let backend: Backend | undefined;
let proxy: FaultProxy | undefined;
const clients: LifelineClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await proxy?.close();
  await backend?.close();
  backend = proxy = undefined;
});

async function start(options: Partial<NotificationsOptions> = {}) {
  backend = await startBackend({ tokens: { [TOKEN]: 'ada' } });
  proxy = await startProxy(backend.url);
  const client = createNotificationsClient({ url: proxy.url, getToken: () => TOKEN, reconnect: FAST, upgradeIntervalMs: 300, ...options });
  clients.push(client);
  const got: Notification[] = [];
  client.on('notification', (n) => got.push(n as Notification));
  const room = client.channel('alerts');
  return { backend, proxy, client, got, room };
}

const connectedOn = (client: LifelineClient, transport: string) => () => client.getState().status === 'connected' && client.getState().transport === transport;

describe('an existing Express + Socket.IO backend, no companion', () => {
  it('with cursorOf: three falls to the REST rung and three climbs back lose nothing and deliver nothing twice', async () => {
    const { lost, duplicated, received } = await fallsAndClimbs({});
    expect(received).toBeGreaterThan(30);
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
  });

  it('the REST rung delivers each notification once (ids deduplicated) and acks emits through http.send', async () => {
    const { backend, proxy, client, got } = await start();
    proxy.setMode('block-socketio');
    await waitFor(connectedOn(client, 'http'), { message: 'on the REST rung', timeoutMs: 10_000 });
    for (let i = 0; i < 10; i++) backend.publish('alerts', `n${i}`);
    backend.publish('deploys', 'not subscribed');
    await waitFor(() => got.length >= 10, { message: 'ten notifications' });
    await new Promise((r) => setTimeout(r, 1500)); // one more poll of the same log
    expect(got.map((n) => n.text)).toEqual(Array.from({ length: 10 }, (_, i) => `n${i}`));
    await expect(client.emit('comment:add', { text: 'over REST' }, { ack: true })).resolves.toEqual({ id: 1, text: 'over REST' });
    expect(backend.comments).toEqual([{ id: 1, text: 'over REST', by: 'ada' }]);
  });

  it('acks work and room handlers fire on every rung: websocket, polling and the REST rung (one subscribe per connection)', async () => {
    const { backend, proxy, client, room } = await start();
    const subscribes: unknown[] = [];
    backend.io.of('/api/v1/ws').on('connection', (socket) => socket.on('subscribe', (body: unknown) => subscribes.push(body)));
    const deploys = client.channel('deploys');
    const inRoom: Array<[string, string | undefined, string]> = [];
    room.on('notification', (n, meta) => inRoom.push([(n as Notification).text, meta.channel, meta.transport]));
    deploys.on('notification', (n, meta) => inRoom.push([(n as Notification).text, meta.channel, meta.transport]));
    const replies: unknown[] = [];
    const onEveryRung = async (rung: string) => {
      await waitFor(connectedOn(client, rung), { message: rung, timeoutMs: 10_000 });
      await waitFor(() => client.getState().status === 'connected' && subscribes.length > 0 || rung === 'http', { message: 'subscribed' });
      replies.push(await client.emit('comment:add', { text: rung }, { ack: true }));
      const before = inRoom.length;
      // Subscribed when the join answer came: publish until both rooms heard one.
      await waitFor(() => {
        backend.publish('alerts', `a-${rung}`);
        backend.publish('deploys', `d-${rung}`);
        return inRoom.slice(before).some(([t]) => t === `a-${rung}`) && inRoom.slice(before).some(([t]) => t === `d-${rung}`);
      }, { message: `room handlers on ${rung}`, intervalMs: 200 });
    };
    await onEveryRung('websocket');
    proxy.setMode('reject-upgrade');
    await onEveryRung('polling');
    proxy.setMode('block-socketio');
    await onEveryRung('http');
    expect(replies).toEqual([
      { id: 1, text: 'websocket' },
      { id: 2, text: 'polling' },
      { id: 3, text: 'http' },
    ]);
    for (const rung of ['websocket', 'polling', 'http']) {
      expect(inRoom).toContainEqual([`a-${rung}`, 'alerts', rung]);
      expect(inRoom).toContainEqual([`d-${rung}`, 'deploys', rung]);
    }
    // A room handler never sees another room's notification.
    expect(inRoom.every(([text, channel]) => (text.startsWith('a-') ? channel === 'alerts' : channel === 'deploys'))).toBe(true);
    // Both channels in one subscribe per socket connection (batched), never one per channel.
    expect(subscribes.every((b) => (b as { channels: string[] }).channels.length === 2)).toBe(true);
  });

  it('a revoked token: the REST rung answers 401 and the client stops with UNAUTHORIZED (an error event, once)', async () => {
    const { backend, proxy, client } = await start();
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.code));
    proxy.setMode('block-socketio');
    await waitFor(connectedOn(client, 'http'), { message: 'on the REST rung', timeoutMs: 10_000 });
    backend.tokens.delete(TOKEN);
    await waitFor(() => client.getState().status === 'idle', { message: 'stops', timeoutMs: 15_000 });
    expect(client.getState().lastError?.code).toBe('UNAUTHORIZED');
    expect(errors.filter((c) => c === 'UNAUTHORIZED')).toHaveLength(1);
  });

  it('no token in any URL the server saw (websocket, polling, the REST rung and the climb back, acks on each)', async () => {
    const { backend, proxy, client, got } = await start();
    for (const [mode, rung] of [['pass', 'websocket'], ['reject-upgrade', 'polling'], ['block-socketio', 'http'], ['pass', 'websocket']] as const) {
      proxy.setMode(mode);
      await waitFor(connectedOn(client, rung), { message: rung, timeoutMs: 10_000 });
      await client.emit('comment:add', { text: rung }, { ack: true });
      // A notification through this rung (on the REST rung: its polls).
      await waitFor(() => {
        backend.publish('alerts', `n-${rung}`);
        return got.some((n) => n.text === `n-${rung}`);
      }, { message: `a notification over ${rung}`, intervalMs: 200, timeoutMs: 10_000 });
    }
    const urls = [...backend.urls];
    expect(urls.length).toBeGreaterThan(10);
    expect(urls.filter((u) => u.includes(TOKEN))).toEqual([]);
    expect(urls.some((u) => u.startsWith('/api/v1/notifications?'))).toBe(true); // the REST rung was exercised
    expect(urls.some((u) => u.startsWith('/socket.io/') && u.includes('transport=polling'))).toBe(true);
    expect(urls.some((u) => u.startsWith('/socket.io/') && u.includes('transport=websocket'))).toBe(true);
  });
});
