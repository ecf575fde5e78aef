/**
 * Mount/unmount a component using every hook 1000 times: the client's live listener and timer
 * counts (from `@lifeline/core/testing`) come back to the baseline, and the server saw one join
 * and one leave.
 */
import { StrictMode } from 'react';
import { act, cleanup, render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { delay, waitFor } from '@lifeline/testkit';
import { joinServerPerTest } from '@lifeline/testkit/vitest';
import { inspectClient } from '@lifeline/core/testing';
import { LifelineProvider, useChannel, useChannelEvent, useConnectionState, useEvent, useLatest, useRealtime } from '@lifeline/react';

const events = { 'price:tick': z.object({ price: z.number() }) };
const srv = joinServerPerTest({ beforeClose: cleanup });

describe('leaks', () => {
  it('returns listener and timer counts to baseline after 1000 mount/unmount cycles', async () => {
    const client = srv.client({ events });
    client.connect();
    await waitFor(() => client.getState().status === 'connected');
    const baseline = inspectClient(client);

    function Everything() {
      useConnectionState(client);
      useRealtime(client);
      useChannel('ticket:1', client);
      useLatest('price:tick', client);
      useEvent('price:tick', () => {}, client);
      useEvent('error', () => {}, client);
      useChannelEvent('ticket:1', 'price:tick', () => {}, client);
      return null;
    }
    const mounted = render(<StrictMode><LifelineProvider client={client}><Everything /></LifelineProvider></StrictMode>);
    expect(inspectClient(client).listeners).toBeGreaterThan(baseline.listeners);
    mounted.unmount();
    for (let i = 0; i < 1000; i++) {
      const { unmount } = render(<StrictMode><LifelineProvider client={client}><Everything /></LifelineProvider></StrictMode>);
      act(() => unmount());
    }
    await waitFor(() => srv.leaves['ticket:1'] === 1, { message: 'deferred leave sent' });
    await delay(20);
    expect(inspectClient(client)).toEqual(baseline);
    expect(srv.joins['ticket:1']).toBe(1);
  });
});
