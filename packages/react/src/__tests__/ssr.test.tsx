// @vitest-environment node
/**
 * Server rendering: a tree that uses every hook renders to a string with the idle snapshot and
 * opens no socket (the provider connects in an effect, and effects never run on the server).
 */
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { delay } from '@lifeline/testkit';
import { joinServerPerTest } from '@lifeline/testkit/vitest';
import { inspectClient } from '@lifeline/core/testing';
import type { LifelineClient } from '@lifeline/core';
import { LifelineProvider, useChannel, useChannelEvent, useConnectionState, useEvent, useLatest, useLifeline, useRealtime } from '@lifeline/react';

const events = { 'price:tick': z.object({ price: z.number() }) };
const srv = joinServerPerTest();

function Everything({ client }: { client?: LifelineClient<typeof events> }) {
  const c = useLifeline(client);
  const state = useConnectionState(c);
  const rt = useRealtime(c);
  const room = useChannel('ticket:1', c);
  const tick = useLatest('price:tick', c);
  useEvent('price:tick', () => {}, c);
  useChannelEvent('ticket:1', 'price:tick', () => {}, c);
  return <p>{`${state.status}|${rt.status}|${room ? 'joined' : 'no-room'}|${tick ? tick.price : 'no-tick'}`}</p>;
}

describe('server rendering', () => {
  it('renders with a given client and opens no socket', async () => {
    const client = srv.client({ events });
    const html = renderToString(
      <LifelineProvider client={client}>
        <Everything client={client} />
      </LifelineProvider>,
    );
    expect(html).toContain('idle|idle|no-room|no-tick');
    await delay(100);
    expect(srv.seen).toEqual({ connections: 0, requests: 0 });
    expect(inspectClient(client)).toMatchObject({ sockets: 0, timers: 0 });
  });

  it('renders with an owned client (options) and opens no socket', async () => {
    function Owned() {
      return <Everything client={useLifeline() as LifelineClient<typeof events>} />;
    }
    const html = renderToString(
      <LifelineProvider options={{ url: srv.server.url, events, autoConnect: true }}>
        <Owned />
      </LifelineProvider>,
    );
    expect(html).toContain('idle|idle|no-room|no-tick');
    await delay(100);
    expect(srv.seen).toEqual({ connections: 0, requests: 0 });
  });
});
