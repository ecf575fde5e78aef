/**
 * Inference from a trailing `client` argument (no Register needed). Register augmentation is
 * tested in typetests/register.test-d.tsx, outside the root program, where examples augment it.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createClient, type Channel, type EventMeta, type AnyLifelineError, type TransportChange } from '@lifeline/core';
import { LifelineProvider, useChannel, useChannelEvent, useEvent, useLatest, useLifeline, useRealtime, type InferEvents } from '@lifeline/react';

const client = createClient({
  url: 'http://127.0.0.1:1',
  autoConnect: false,
  events: {
    'ticket:updated': z.object({ id: z.string(), status: z.enum(['open', 'closed']) }),
    'price:tick': z.object({ price: z.number() }),
  },
});
type Events = InferEvents<typeof client>;

describe('hooks with a trailing client', () => {
  it('types handlers from the client events', () => {
    useEvent('ticket:updated', (ticket, meta) => {
      expectTypeOf(ticket).toEqualTypeOf<{ id: string; status: 'open' | 'closed' }>();
      expectTypeOf(meta).toEqualTypeOf<EventMeta>();
    }, client);
    useChannelEvent('ticket:42', 'price:tick', (tick) => expectTypeOf(tick.price).toBeNumber(), client);
    expectTypeOf(useLatest('price:tick', client)).toEqualTypeOf<{ price: number } | undefined>();
  });

  it('accepts lifecycle events', () => {
    useEvent('error', (err) => expectTypeOf(err).toEqualTypeOf<AnyLifelineError>(), client);
    useEvent('transport', (change) => expectTypeOf(change).toEqualTypeOf<TransportChange>(), client);
  });

  it('rejects a wrong event name', () => {
    // @ts-expect-error 'ticket:deleted' is not an event of this client
    useEvent('ticket:deleted', () => {}, client);
    // @ts-expect-error not an event of this client
    useChannelEvent('ticket:42', 'nope', () => {}, client);
    // @ts-expect-error not an event of this client
    useLatest('nope', client);
  });

  it('rejects a handler of the wrong payload type', () => {
    // @ts-expect-error status is a string union, not a number
    useEvent('ticket:updated', (ticket: { status: number }) => ticket, client);
  });

  it('returns typed channels, clients and bound functions', () => {
    expectTypeOf(useChannel('ticket:42', client)).toEqualTypeOf<Channel<Events> | null>();
    expectTypeOf(useChannel('logs', { params: { level: 'error' } }, client)).toEqualTypeOf<Channel<Events> | null>();
    useChannelEvent('ticket:42', 'price:tick', (tick) => expectTypeOf(tick.price).toBeNumber(), { params: { level: 'error' } }, client);
    // @ts-expect-error params is an object
    useChannel('logs', { params: 'level=error' }, client);
    expectTypeOf(useLifeline(client)).toEqualTypeOf(client);
    const rt = useRealtime(client);
    expectTypeOf(rt.status).toEqualTypeOf<'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed'>();
    expectTypeOf(rt.emit('x', 1)).toBeVoid();
    expectTypeOf(rt.emit<{ ok: boolean }>('x', 1, { ack: true })).toEqualTypeOf<Promise<{ ok: boolean }>>();
    expectTypeOf(rt.channel('a')).toEqualTypeOf<Channel<Events>>();
  });

  it('takes either client or options on the provider, not both', () => {
    void (<LifelineProvider client={client}>x</LifelineProvider>);
    void (<LifelineProvider options={{ url: 'http://127.0.0.1:1' }}>x</LifelineProvider>);
    // @ts-expect-error client and options are exclusive
    void (<LifelineProvider client={client} options={{ url: 'http://127.0.0.1:1' }}>x</LifelineProvider>);
  });
});
