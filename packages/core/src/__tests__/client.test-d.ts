import { type } from 'arktype';
import * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createClient, type LifelineError, type TransportChange } from '../index';

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
    client.on('error', (e) => expectTypeOf(e).toEqualTypeOf<LifelineError>());
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
