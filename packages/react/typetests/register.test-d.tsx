/**
 * The `Register` augmentation types every hook that reads the client from the provider. Kept
 * outside src/ and test/ so the root program (which also compiles examples that augment
 * Register with their own client) never sees two augmentations.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createClient, type Channel } from '@lifeline/core';
import { useChannel, useChannelEvent, useEvent, useLatest, useLifeline, useRealtime, type InferEvents } from '@lifeline/react';

const client = createClient({
  url: 'http://127.0.0.1:1',
  autoConnect: false,
  events: { 'comment:added': z.object({ author: z.string(), text: z.string() }) },
});

declare module '@lifeline/react' {
  interface Register {
    client: typeof client;
  }
}

describe('Register', () => {
  it('types hooks without a client argument', () => {
    expectTypeOf(useLifeline()).toEqualTypeOf<typeof client>();
    useEvent('comment:added', (c) => expectTypeOf(c).toEqualTypeOf<{ author: string; text: string }>());
    useChannelEvent('ticket:42', 'comment:added', (c) => expectTypeOf(c.text).toBeString());
    expectTypeOf(useLatest('comment:added')).toEqualTypeOf<{ author: string; text: string } | undefined>();
    expectTypeOf(useChannel('ticket:42')).toEqualTypeOf<Channel<InferEvents<typeof client>> | null>();
    expectTypeOf(useRealtime().channel('x')).toEqualTypeOf<Channel<InferEvents<typeof client>>>();
  });

  it('rejects a wrong event name', () => {
    // @ts-expect-error not a registered event
    useEvent('comment:deleted', () => {});
    // @ts-expect-error not a registered event
    useChannelEvent('ticket:42', 'comment:deleted', () => {});
    // @ts-expect-error not a registered event
    useLatest('comment:deleted');
  });
});
