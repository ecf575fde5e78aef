/** Register augmentation: kept outside src/ and test/ so the root program never sees two. */
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createClient } from '@lifeline/core';
import { useChannelEvent, useEvent, useLatest, useLifeline } from '@lifeline/vue';

const client = createClient({ url: 'http://127.0.0.1:1', autoConnect: false, events: { 'comment:added': z.object({ text: z.string() }) } });

declare module '@lifeline/vue' {
  interface Register {
    client: typeof client;
  }
}

describe('Register', () => {
  it('types composables without a client argument', () => {
    expectTypeOf(useLifeline()).toEqualTypeOf<typeof client>();
    useEvent('comment:added', (c) => expectTypeOf(c).toEqualTypeOf<{ text: string }>());
    useChannelEvent('ticket:1', 'comment:added', (c) => expectTypeOf(c.text).toBeString());
    expectTypeOf(useLatest('comment:added').value).toEqualTypeOf<{ text: string } | undefined>();
    // @ts-expect-error not a registered event
    useEvent('comment:deleted', () => {});
    // @ts-expect-error not a registered event
    useLatest('comment:deleted');
  });
});
