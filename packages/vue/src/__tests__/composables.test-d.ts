/** Inference from a trailing `client` argument; Register is tested in typetests/. */
import { createApp, ref, type ShallowRef } from 'vue';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createClient, type Channel, type AnyLifelineError, type ConnectionState } from '@lifeline/core';
import { createLifeline, useChannel, useChannelEvent, useConnectionState, useEvent, useLatest, useLifeline, useRealtime, type InferEvents } from '@lifeline/vue';

const client = createClient({
  url: 'http://127.0.0.1:1',
  autoConnect: false,
  events: { 'ticket:updated': z.object({ id: z.string(), status: z.enum(['open', 'closed']) }), 'price:tick': z.object({ price: z.number() }) },
});
type Events = InferEvents<typeof client>;

describe('composables with a trailing client', () => {
  it('types handlers, payload refs and channels', () => {
    useEvent('ticket:updated', (t) => expectTypeOf(t).toEqualTypeOf<{ id: string; status: 'open' | 'closed' }>(), client);
    useEvent('error', (e) => expectTypeOf(e).toEqualTypeOf<AnyLifelineError>(), client);
    useChannelEvent(ref('ticket:1'), 'price:tick', (t) => expectTypeOf(t.price).toBeNumber(), client);
    expectTypeOf(useLatest('price:tick', client).value).toEqualTypeOf<{ price: number } | undefined>();
    expectTypeOf(useChannel(() => 'ticket:1', client)).toEqualTypeOf<Readonly<ShallowRef<Channel<Events> | null>>>();
    expectTypeOf(useConnectionState(client).value).toEqualTypeOf<ConnectionState>();
    expectTypeOf(useLifeline(client)).toEqualTypeOf(client);
    expectTypeOf(useRealtime(client).status.value).toEqualTypeOf<ConnectionState['status']>();
  });

  it('rejects a wrong event name', () => {
    // @ts-expect-error not an event of this client
    useEvent('ticket:deleted', () => {}, client);
    // @ts-expect-error not an event of this client
    useChannelEvent('ticket:1', 'nope', () => {}, client);
    // @ts-expect-error not an event of this client
    useLatest('nope', client);
  });

  it('state refs are readonly', () => {
    // @ts-expect-error readonly
    useConnectionState(client).value = client.getState();
  });

  it('is a plugin for app.use with either a client or options', () => {
    createApp({}).use(createLifeline(client));
    const plugin = createLifeline({ url: 'http://127.0.0.1:1', events: { a: z.string() } });
    plugin.client.on('a', (s) => expectTypeOf(s).toBeString());
    createApp({}).use(plugin);
  });
});
