import { type } from 'arktype';
import * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createClient, type AnyLifelineError, type TransportChange } from '../index';

describe('createClient types', () => {
  const client = createClient({
    url: 'https://api.example.com',
    events: {
      'ticket:updated': z.object({ id: z.string(), status: z.enum(['open', 'closed']) }),
      'comment:added': v.object({ text: v.string(), likes: v.number() }),
      'metric': type({ cpu: 'number', host: 'string' }),
    },
  });

  it('infers payloads from zod, valibot and arktype schemas', () => {
    client.on('ticket:updated', (ticket, meta) => {
      expectTypeOf(ticket).toEqualTypeOf<{ id: string; status: 'open' | 'closed' }>();
      expectTypeOf(meta.id).toEqualTypeOf<string | undefined>();
    });
    client.on('comment:added', (c) => expectTypeOf(c).toEqualTypeOf<{ text: string; likes: number }>());
    client.on('metric', (m) => expectTypeOf(m).toEqualTypeOf<{ cpu: number; host: string }>());
    client.channel('t').on('ticket:updated', (t) => expectTypeOf(t.status).toEqualTypeOf<'open' | 'closed'>());
  });

  it('types lifecycle events', () => {
    client.on('error', (e) => expectTypeOf(e).toEqualTypeOf<AnyLifelineError>());
    client.on('transport', (c) => expectTypeOf(c).toEqualTypeOf<TransportChange>());
  });

  it('rejects an event name that is not declared', () => {
    // @ts-expect-error 'ticket:deleted' is not in `events`
    client.on('ticket:deleted', () => {});
    // @ts-expect-error not on the channel either
    client.channel('t').on('nope', () => {});
  });

  it('rejects reserved names in `events`', () => {
    // @ts-expect-error 'error' is a reserved lifecycle event
    createClient({ url: 'https://x.test', events: { error: z.string() } });
    // @ts-expect-error 'transport' is a reserved lifecycle event
    createClient({ url: 'https://x.test', events: { transport: z.string() } });
  });

  it('history entries are typed from events, narrowed by name', async () => {
    const page = await client.channel('t', { rewind: 20 }).history({ limit: 10 });
    for (const e of page) {
      if (e.event === 'ticket:updated') expectTypeOf(e.data).toEqualTypeOf<{ id: string; status: 'open' | 'closed' }>();
      if (e.event === 'metric') expectTypeOf(e.data).toEqualTypeOf<{ cpu: number; host: string }>();
      expectTypeOf(e.id).toEqualTypeOf<string>();
    }
    // @ts-expect-error limit is required
    void client.channel('t').history({});
    client.channel('t', { since: '1041' });
  });

  it('emit returns void, or a typed promise with ack', () => {
    expectTypeOf(client.emit('a', 1, { volatile: true })).toEqualTypeOf<void>();
    // @ts-expect-error a volatile emit has no ack
    client.emit('a', 1, { volatile: true, ack: true });
    expectTypeOf(client.emit('a', 1)).toEqualTypeOf<void>();
    expectTypeOf(client.emit<{ ok: boolean }>('a', 1, { ack: true })).toEqualTypeOf<Promise<{ ok: boolean }>>();
  });

  it('an untyped client accepts any event with an unknown payload', () => {
    const plain = createClient({ url: 'https://x.test' });
    plain.on('anything', (p) => expectTypeOf(p).toEqualTypeOf<unknown>());
  });
});

describe('issue #12 types: several arguments, onAny, channel options, protocols', () => {
  it('args(schema) types the payload as the tuple of all arguments; single-argument events keep (payload, meta)', async () => {
    const { args } = await import('../index');
    const c = createClient({
      url: 'https://api.example.com',
      events: { message: args(z.tuple([z.object({ name: z.string() }), z.string()])), news: z.string() },
    });
    c.on('message', ([user, text], meta) => {
      expectTypeOf(user).toEqualTypeOf<{ name: string }>();
      expectTypeOf(text).toEqualTypeOf<string>();
      expectTypeOf(meta.args).toEqualTypeOf<readonly unknown[] | undefined>();
    });
    c.on('news', (n, meta) => {
      expectTypeOf(n).toEqualTypeOf<string>();
      expectTypeOf(meta.transport).toEqualTypeOf<'websocket' | 'polling' | 'http'>();
    });
    // @ts-expect-error the payload of an args() event is a tuple, not a string
    c.on('message', (m: string) => m);
    // @ts-expect-error args() needs a schema whose output is a tuple (an array)
    args(z.string());
  });

  it('onAny takes (event, ...args) and returns off', () => {
    const c = createClient({ url: 'https://api.example.com' });
    const off = c.onAny((event, ...rest) => {
      expectTypeOf(event).toEqualTypeOf<string>();
      expectTypeOf(rest).toEqualTypeOf<unknown[]>();
    });
    expectTypeOf(off).toEqualTypeOf<() => void>();
  });

  it('channel(name, { params }) takes an object of params; url and query are optional options', () => {
    const c = createClient({ query: { userId: 'u-1' }, withCredentials: true });
    c.channel('logs', { params: { level: 'error', filters: ['a'] } });
    // @ts-expect-error params is an object
    c.channel('logs', { params: 'level=error' });
    // @ts-expect-error query values are strings
    createClient({ query: { n: 1 } });
  });

  it('batchedChannelProtocol takes joinMany (typed joins) and keeps channelOf', async () => {
    const { batchedChannelProtocol } = await import('../protocols');
    const p = batchedChannelProtocol({
      leave: async () => {},
      joinMany: async (_emit, joins) => joins.map((j) => (expectTypeOf(j.params).toEqualTypeOf<Readonly<Record<string, unknown>> | undefined>(), { ok: true as const })),
      channelOf: (event, a, joined) => (expectTypeOf(joined).toEqualTypeOf<ReadonlyMap<string, Readonly<Record<string, unknown>> | undefined>>(), event === 'n' ? String(a[0]) : undefined),
    });
    createClient({ url: 'https://api.example.com', channels: p });
    // @ts-expect-error joinMany is required
    batchedChannelProtocol({ leave: async () => {} });
  });
});
