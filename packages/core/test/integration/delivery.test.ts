import type { LifelineError } from '@lifeline/core';
import { waitFor } from '@lifeline/testkit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { lifelineHandlers, rigPerTest } from './setup';

const rig = rigPerTest();

describe('delivery', () => {
  it('an invalid payload never reaches handlers and becomes a VALIDATION error', async () => {
    const r = await rig();
    const client = r.client({ events: { news: z.object({ n: z.number() }) } });
    const got: Array<{ n: number }> = [];
    const errors: LifelineError[] = [];
    client.on('news', (p) => got.push(p));
    client.on('error', (e) => errors.push(e));
    await waitFor(() => client.getState().status === 'connected', { message: 'connected' });
    r.server.io.emit('news', { n: 'one' });
    r.server.io.emit('news', { n: 2 });
    await waitFor(() => got.length === 1, { message: 'valid event' });
    // The error event comes once the hint texts loaded (the first error of the process loads them).
    await waitFor(() => errors.length > 0, { message: 'VALIDATION error event' });
    expect(got).toEqual([{ n: 2 }]);
    // Error events wait for the lazily loaded hint texts (issue #14): the valid event may come first.
    await waitFor(() => errors.length > 0, { message: 'VALIDATION error' });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe('VALIDATION');
    expect(errors[0]!.details.event).toBe('news');
    expect(errors[0]!.details.issues?.[0]?.path).toBeDefined();
  });

  it('channel events reach channel and client handlers once, and survive a transport switch', async () => {
    const joins: Array<{ channel: string; cursor?: string }> = [];
    const r = await rig('reject-upgrade', (io) => {
      lifelineHandlers(io); // joins the room and acks
      io.on('connection', (socket) => socket.on('lifeline:join', (p: { channel: string; cursor?: string }) => joins.push(p)));
    });
    const client = r.client();
    const room = client.channel('ticket:42');
    const inRoom: string[] = [];
    const everywhere: Array<string | undefined> = [];
    room.on('comment', (p, meta) => inRoom.push(`${String(p)}@${meta.id}`));
    client.on('comment', (_p, meta) => everywhere.push(meta.channel));
    await waitFor(() => joins.length === 1, { message: 'joined over polling' });
    const publish = (id: string, data: string) => r.server.io.to('ticket:42').emit('lifeline:event', { id, channel: 'ticket:42', event: 'comment', data });
    publish('1', 'a');
    publish('1', 'a'); // duplicate: dropped
    publish('2', 'b');
    await waitFor(() => inRoom.length === 2, { message: 'two events' });
    r.proxy.setMode('pass');
    await waitFor(() => client.getState().transport === 'websocket', { message: 'climbed' });
    expect(joins.at(-1)).toEqual({ channel: 'ticket:42', cursor: '2' }); // re-joined with the cursor
    publish('2', 'b'); // replayed overlap: dropped
    publish('3', 'c');
    await waitFor(() => inRoom.length === 3, { message: 'after the switch' });
    expect(inRoom).toEqual(['a@1', 'b@2', 'c@3']);
    expect(everywhere).toEqual(['ticket:42', 'ticket:42', 'ticket:42']);
  });

  it('a custom channel protocol speaks the server’s own subscribe event', async () => {
    const subs: unknown[] = [];
    const r = await rig('pass', (io) =>
      io.on('connection', (socket) => {
        socket.on('subscribe', (p: { channels: string[] }, ack: () => void) => {
          subs.push(p);
          for (const c of p.channels) void socket.join(c);
          ack();
        });
      }),
    );
    const client = r.client({
      channels: {
        join: async (emit, channel) => {
          await emit('subscribe', { channels: [channel] }, 1000);
          return { ok: true };
        },
        leave: async () => {},
      },
    });
    const got: unknown[] = [];
    client.channel('metrics').on('cpu', (p) => got.push(p));
    await waitFor(() => subs.length === 1, { message: 'subscribed' });
    expect(subs[0]).toEqual({ channels: ['metrics'] });
    r.server.io.to('metrics').emit('lifeline:event', { channel: 'metrics', event: 'cpu', data: 0.5 });
    await waitFor(() => got.length === 1, { message: 'channel event' });
  });
});
