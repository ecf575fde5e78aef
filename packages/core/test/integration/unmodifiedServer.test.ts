/**
 * Issue #12 against a plain Express + socket.io server (no companion) behind the fault proxy, on
 * the websocket and the polling rung alike: room handlers fire for `io.to(room).emit` (routed by
 * the protocol's `channelOf`), an event emitted with several arguments arrives whole (typed tuple
 * with `args(schema)`, all arguments in `onAny`), `query` reaches the handshake, acks work, and no
 * token appears in any URL the server sees.
 */
import { args, createClient, type ChannelProtocol, type EventMeta } from '@lifeline/core';
import { startProxy, startServer, waitFor, type FaultProxy, type TestServer } from '@lifeline/testkit';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FAST } from './setup';

const channels: ChannelProtocol = {
  join: async (emit, channel) => (((await emit('subscribe', { channels: [channel] }, 2000)) as { success?: boolean }).success ? { ok: true } : { ok: false, code: 'FORBIDDEN' }),
  leave: async (emit, channel) => void (await emit('unsubscribe', { channels: [channel] }, 2000)),
  channelOf: (event, [data]) => (event === 'ticket:updated' ? `ticket:${(data as { id: string }).id}` : undefined),
};

let server: TestServer | undefined;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await server?.close();
});

describe('a plain Express + socket.io server, no companion', () => {
  it.each([
    ['pass', 'websocket'],
    ['reject-upgrade', 'polling'],
  ] as const)('proxy %s → %s: room handlers, several arguments, onAny, query and acks; no token in a URL', async (mode, transport) => {
    const urls: string[] = [];
    const queries: unknown[] = [];
    const app = express();
    app.get('/api/health', (_req, res) => void res.json({ ok: true }));
    server = await startServer({
      setup: (io, httpServer) => {
        httpServer.prependListener('request', (req) => urls.push(req.url ?? ''));
        httpServer.prependListener('upgrade', (req) => urls.push(req.url ?? ''));
        io.on('connection', (socket) => {
          queries.push(socket.handshake.query.userId);
          socket.on('subscribe', ({ channels: list }: { channels: string[] }, ack: (r: unknown) => void) => {
            for (const c of list) void socket.join(c);
            ack({ success: true, channels: list });
          });
          socket.on('unsubscribe', ({ channels: list }: { channels: string[] }, ack: (r: unknown) => void) => {
            for (const c of list) void socket.leave(c);
            ack({ success: true });
          });
          socket.on('comment:add', (data: { text: string }, ack: (r: unknown) => void) => ack({ saved: data.text }));
        });
      },
      http: (req, res, next) => app(req as express.Request, res as express.Response, next),
    });
    proxy = await startProxy(server.port, mode);
    const client = createClient({
      url: proxy.url,
      auth: { token: 'secret-token-123' },
      query: { userId: 'u-1' },
      channels,
      events: { message: args(z.tuple([z.object({ name: z.string() }), z.string()])), 'ticket:updated': z.object({ id: z.string(), status: z.string() }) },
      reconnect: FAST,
      upgradeIntervalMs: false,
    });
    const inRoom: Array<[{ id: string }, EventMeta]> = [];
    const messages: Array<[{ name: string }, string]> = [];
    const any: unknown[][] = [];
    client.channel('ticket:42').on('ticket:updated', (t, meta) => void inRoom.push([t, meta]));
    client.on('message', (pair) => void messages.push(pair));
    client.onAny((event, ...rest) => void any.push([event, ...rest]));
    await waitFor(() => client.getState().transport === transport && client.getState().status === 'connected', { message: `connected on ${transport}` });
    const io = server.io;
    await waitFor(() => {
      io.to('ticket:42').emit('ticket:updated', { id: '42', status: 'open' });
      io.to('ticket:42').emit('ticket:updated', { id: '7', status: 'other ticket' }); // same room, another ticket: channelOf says ticket:7
      return inRoom.length > 0;
    }, { message: 'room event', intervalMs: 100 });
    expect(inRoom.every(([t, m]) => t.id === '42' && m.channel === 'ticket:42' && m.transport === transport)).toBe(true);

    io.emit('message', { name: 'ada' }, 'hello');
    await waitFor(() => messages.length === 1, { message: 'two-argument event' });
    expect(messages).toEqual([[{ name: 'ada' }, 'hello']]);
    expect(any).toContainEqual(['message', { name: 'ada' }, 'hello']);

    expect(await client.emit('comment:add', { text: 'hi' }, { ack: true, timeoutMs: 2000 })).toEqual({ saved: 'hi' });
    expect(queries).toContain('u-1');
    expect(urls.some((u) => u.includes('userId=u-1'))).toBe(true);
    expect(urls.filter((u) => u.includes('secret-token'))).toEqual([]);
    client.close();
  });
});
