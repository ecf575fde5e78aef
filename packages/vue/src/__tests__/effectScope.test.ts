/** Composables inside effectScope(): released by scope.stop(), with leak counts from core/testing. */
import { defineComponent, effectScope, h, ref } from 'vue';
import { render } from '@testing-library/vue';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { delay, waitFor } from '@lifeline/testkit';
import { joinServerPerTest } from '@lifeline/testkit/vitest';
import { inspectClient } from '@lifeline/core/testing';
import { createLifeline, useChannel, useChannelEvent, useConnectionState, useEvent, useLatest, useRealtime } from '@lifeline/vue';

const events = { 'price:tick': z.object({ price: z.number() }) };
const srv = joinServerPerTest({ beforeClose: () => vi.restoreAllMocks() });

async function connected() {
  const client = srv.client({ events });
  client.connect();
  await waitFor(() => client.getState().status === 'connected');
  return client;
}
type Client = Awaited<ReturnType<typeof connected>>;

function useEverything(client: Client, channel = ref('ticket:1')) {
  const prices: number[] = [];
  useConnectionState(client);
  useRealtime(client);
  useChannel(channel, client);
  useEvent('price:tick', (t) => prices.push(t.price), client);
  useEvent('error', () => {}, client);
  useChannelEvent(channel, 'price:tick', () => {}, client);
  return { prices, latest: useLatest('price:tick', client), state: useConnectionState(client) };
}

describe('composables in effectScope()', () => {
  it('deliver while the scope lives and release everything on stop()', async () => {
    const client = await connected();
    const baseline = inspectClient(client);
    const scope = effectScope();
    const live = scope.run(() => useEverything(client))!;
    await waitFor(() => srv.joins['ticket:1'] === 1);
    expect(live.state.value.status).toBe('connected');
    srv.broadcast('price:tick', { price: 5 });
    await waitFor(() => live.latest.value?.price === 5);
    expect(live.prices).toEqual([5]);
    scope.stop();
    await waitFor(() => srv.leaves['ticket:1'] === 1);
    srv.broadcast('price:tick', { price: 6 });
    await delay(50);
    expect(live.prices).toEqual([5]);
    expect(inspectClient(client)).toEqual(baseline);
  });

  it('warns in development when called with no scope', async () => {
    const client = await connected();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const off = useConnectionState(client);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('useConnectionState() was called outside'));
    expect(off.value.status).toBe('connected');
  });

  it('returns counts to baseline after 1000 scopes and 1000 component mounts', async () => {
    const client = await connected();
    const baseline = inspectClient(client);
    const first = effectScope();
    first.run(() => useEverything(client));
    expect(inspectClient(client).listeners).toBeGreaterThan(baseline.listeners); // the loops below do subscribe
    first.stop();
    for (let i = 0; i < 1000; i++) {
      const scope = effectScope();
      scope.run(() => useEverything(client));
      scope.stop();
    }
    const Everything = defineComponent(() => {
      useEverything(client);
      return () => h('p', 'x');
    });
    for (let i = 0; i < 1000; i++) render(Everything, { global: { plugins: [createLifeline(client)] } }).unmount();
    await waitFor(() => srv.leaves['ticket:1'] === 1, { message: 'deferred leave sent' });
    await delay(50);
    expect(inspectClient(client)).toEqual(baseline);
    expect({ joins: srv.joins, leaves: srv.leaves }).toEqual({ joins: { 'ticket:1': 1 }, leaves: { 'ticket:1': 1 } });
  });
});
