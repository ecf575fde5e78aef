// @vitest-environment node
/** Server rendering: every composable renders static refs; no socket is opened. */
import { createSSRApp, defineComponent, h } from 'vue';
import { renderToString } from '@vue/server-renderer';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { delay } from '@lifeline/testkit';
import { joinServerPerTest } from '@lifeline/testkit/vitest';
import { inspectClient } from '@lifeline/core/testing';
import type { LifelineClient } from '@lifeline/core';
import { createLifeline, useChannel, useChannelEvent, useConnectionState, useEvent, useLatest, useLifeline, useRealtime } from '@lifeline/vue';

const events = { 'price:tick': z.object({ price: z.number() }) };
const srv = joinServerPerTest();

const Everything = defineComponent(() => {
  const c = useLifeline() as LifelineClient<typeof events>;
  const state = useConnectionState(c);
  const { status } = useRealtime(c);
  const room = useChannel('ticket:1', c);
  const tick = useLatest('price:tick', c);
  useEvent('price:tick', () => {}, c);
  useChannelEvent('ticket:1', 'price:tick', () => {}, c);
  return () => h('p', `${state.value.status}|${status.value}|${room.value ? 'joined' : 'no-room'}|${tick.value?.price ?? 'no-tick'}`);
});

describe('server rendering', () => {
  it('renders with a given client and opens no socket', async () => {
    const client = srv.client({ events });
    const baseline = inspectClient(client);
    const html = await renderToString(createSSRApp(Everything).use(createLifeline(client)));
    expect(html).toContain('idle|idle|no-room|no-tick');
    await delay(100);
    expect(srv.seen).toEqual({ connections: 0, requests: 0 });
    expect(inspectClient(client)).toEqual(baseline); // nothing subscribed, no socket, no timer
    expect(baseline).toMatchObject({ sockets: 0, timers: 0 });
  });

  it('renders with an owned client (options, even autoConnect: true) and opens no socket', async () => {
    const plugin = createLifeline({ url: srv.server.url, events, autoConnect: true });
    const baseline = inspectClient(plugin.client);
    const html = await renderToString(createSSRApp(Everything).use(plugin));
    expect(html).toContain('idle|idle|no-room|no-tick');
    await delay(100);
    expect(srv.seen).toEqual({ connections: 0, requests: 0 });
    expect(inspectClient(plugin.client)).toEqual(baseline);
    expect(baseline).toMatchObject({ sockets: 0, timers: 0 });
  });
});
