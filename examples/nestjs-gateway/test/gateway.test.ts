/**
 * The NestJS gateway of the production notes, for real: Nest boots on 127.0.0.1, Socket.IO shares
 * its port, and Lifeline clients connect as a browser app would. The right namespace receives what
 * the app publishes; a wrong one stops at once with INVALID_NAMESPACE and a hint that names the
 * gateway's namespace, where plain socket.io-client only reports "Invalid namespace".
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type ClientOptions, type LifelineClient, type LifelineError } from '@lifeline/core';
import { delay, waitFor } from '@lifeline/testkit';
import { startGatewayApp, type GatewayApp } from '../src/app';

describe('NestJS @WebSocketGateway({ namespace: "notifications" }) with @lifeline/server', () => {
  let nest: GatewayApp;
  const clients: LifelineClient[] = [];
  const client = (options: Partial<ClientOptions>) => {
    const c = createClient({ url: nest.url, auth: { token: 'demo-token' }, transports: ['websocket', 'polling'], reconnect: { delayMs: 50, maxDelayMs: 200 }, ...options });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    nest = await startGatewayApp();
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await nest?.close();
  });

  it("a client with namespace '/notifications' receives what the app publishes, through the gateway and over HTTP", async () => {
    const c = client({ namespace: '/notifications' });
    const received: unknown[] = [];
    const room = c.channel('broadcast');
    room.on('notification:created', (data) => void received.push(data));
    await waitFor(() => c.getState().status === 'connected', { message: 'client connected' });

    // A join is acknowledged before its live events flow: publish until the first one arrives.
    await waitFor(async () => {
      await nest.gateway.publish('broadcast', 'notification:created', { text: 'first' });
      return received.length > 0;
    }, { message: 'first notification', intervalMs: 100 });
    const res = await fetch(`${nest.url}/notifications/broadcast`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'notification:created', data: { text: 'from the controller' } }),
    });
    expect(res.status).toBe(201);
    await waitFor(() => received.some((d) => (d as { text: string }).text === 'from the controller'), { message: 'controller notification' });
    expect(c.getState()).toMatchObject({ status: 'connected', transport: 'websocket', lastError: null });
  });

  it('shows presence on the gateway: who has the broadcast channel open, one member per user', async () => {
    const ada = client({ namespace: '/notifications' });
    const grace = client({ namespace: '/notifications', auth: { token: 'agent-token' } });
    const adaTab = client({ namespace: '/notifications' });
    const rooms = [ada, grace, adaTab].map((c) => c.channel('broadcast'));
    const who = (i: number) => rooms[i]!.presence.get().map((m) => `${m.id}:${m.connections}`).sort().join(',');
    await waitFor(() => [0, 1, 2].every((i) => who(i) === 'ada:2,grace:1'), { message: 'ada (two tabs) and grace present', timeoutMs: 8000 });
  });

  it('the controller answers a publish without an event name with 400, not 500', async () => {
    const res = await fetch(`${nest.url}/notifications/broadcast`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"data":1}' });
    expect(res.status).toBe(400);
  });

  it.each([
    ['/api/notifications', "an HTTP prefix glued to the namespace (io('https://host/api/notifications'))", "`path: '/api/socket.io'` with `namespace: '/notifications'`"],
    ['/api', "the app's global prefix taken for a namespace (io('https://host/api'))", "namespace: 'notifications' }) listens on \"/notifications\""],
  ])("namespace '%s' (%s) stops with INVALID_NAMESPACE and a hint naming the gateway's namespace", async (namespace, _why, hintPart) => {
    const c = client({ namespace });
    const errors: LifelineError[] = [];
    c.on('error', (e) => void errors.push(e));
    await waitFor(() => c.getState().lastError?.code === 'INVALID_NAMESPACE', { message: 'INVALID_NAMESPACE' });
    // The error event comes with the hint texts (a lazy chunk); lastError's hint reads in full from then on.
    await waitFor(() => errors.length > 0, { message: 'the error event' });
    const { lastError } = c.getState();
    expect(lastError?.hint).toContain(`no Socket.IO namespace "${namespace}"`);
    expect(lastError?.hint).toContain(hintPart);
    expect(lastError?.hint).toContain('"/notifications"');
    expect(errors.map((e) => e.code)).toContain('INVALID_NAMESPACE');
    // A configuration error is not retried: the client stays down instead of hammering the server.
    await delay(500);
    expect(c.getState().status).toBe('idle'); // stopped: not connecting, not waiting to retry
  });
});
