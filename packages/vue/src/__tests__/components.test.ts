/** Real components (@testing-library/vue, render functions) against a real Socket.IO server. */
import { defineComponent, h, nextTick, ref } from 'vue';
import { cleanup, render, screen } from '@testing-library/vue';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { delay, waitFor } from '@lifeline/testkit';
import { joinServerPerTest } from '@lifeline/testkit/vitest';
import { lifelineChannelProtocol, type ChannelParams } from '@lifeline/core';
import { createLifeline, useChannel, useChannelEvent, useConnectionState, useLatest, useLifeline, useRealtime } from '@lifeline/vue';

const events = { 'comment:added': z.object({ text: z.string() }), 'price:tick': z.object({ price: z.number() }) };
const srv = joinServerPerTest({ beforeClose: cleanup });
const makeClient = () => srv.client({ events });
type Client = ReturnType<typeof makeClient>;

const Comments = defineComponent({
  props: { client: { type: Object as () => Client, required: true }, channel: { type: String, default: 'ticket:1' }, testid: { type: String, default: 'comments' } },
  setup(props) {
    const list = ref<string[]>([]);
    useChannelEvent(() => props.channel, 'comment:added', (c) => list.value.push(c.text), props.client);
    return () => h('ul', { 'data-testid': props.testid }, list.value.map((t) => h('li', t)));
  },
});

describe('createLifeline + channel composables', () => {
  it('joins once, receives, and leaves once on unmount', async () => {
    const client = makeClient();
    const { unmount } = render(Comments, { props: { client }, global: { plugins: [createLifeline(client)] } });
    await waitFor(() => srv.joins['ticket:1'] === 1, { message: 'join' });
    srv.publish('ticket:1', 'comment:added', { text: 'hello' });
    srv.publish('ticket:2', 'comment:added', { text: 'other room' });
    await waitFor(() => screen.getByTestId('comments').textContent === 'hello');
    unmount();
    await waitFor(() => srv.leaves['ticket:1'] === 1, { message: 'leave' });
    await delay(50);
    expect({ joins: srv.joins, leaves: srv.leaves }).toEqual({ joins: { 'ticket:1': 1 }, leaves: { 'ticket:1': 1 } });
  });

  it('sends one join for two components on one channel, and both receive', async () => {
    const client = makeClient();
    const Room = defineComponent(() => {
      const room = useChannel('ticket:1'); // from the plugin
      return () => h('p', { 'data-testid': 'room' }, room.value?.name ?? 'none');
    });
    const Both = defineComponent(() => () => [h(Room), h(Comments, { client, testid: 'a' }), h(Comments, { client, testid: 'b' })]);
    const { unmount } = render(Both, { global: { plugins: [createLifeline(client)] } });
    expect(screen.getByTestId('room').textContent).toBe('ticket:1');
    await waitFor(() => srv.joins['ticket:1'] === 1);
    srv.publish('ticket:1', 'comment:added', { text: 'both' });
    await waitFor(() => screen.getByTestId('a').textContent === 'both' && screen.getByTestId('b').textContent === 'both');
    unmount();
    await waitFor(() => srv.leaves['ticket:1'] === 1);
    expect(srv.joins['ticket:1']).toBe(1);
  });

  it('re-joins when the channel ref changes', async () => {
    const client = makeClient();
    const name = ref('a');
    const Follow = defineComponent(() => {
      useChannel(name, client);
      return () => null;
    });
    render(Follow, { global: { plugins: [createLifeline(client)] } });
    await waitFor(() => srv.joins.a === 1);
    name.value = 'b';
    await waitFor(() => srv.joins.b === 1 && srv.leaves.a === 1);
  });

  it('channel params (a getter): passed on join, the same content does not re-join, new params re-join; events keep flowing', async () => {
    const seen: Array<ChannelParams | undefined> = [];
    const client = srv.client({
      events,
      channels: { ...lifelineChannelProtocol, join: (emit, channel, cursor, params) => (seen.push(params), lifelineChannelProtocol.join(emit, channel, cursor)) },
    });
    const level = ref('error');
    const tick = ref(0);
    const list = ref<string[]>([]);
    const Logs = defineComponent(() => {
      // A getter that builds a fresh object on every run (it reads `tick` too).
      useChannelEvent('logs', 'comment:added', (c) => list.value.push(c.text), () => (tick.value, { params: { level: level.value } }), client);
      return () => h('p', list.value.join(','));
    });
    render(Logs, { global: { plugins: [createLifeline(client)] } });
    await waitFor(() => seen.length === 1, { message: 'joined' });
    expect(seen).toEqual([{ level: 'error' }]);
    tick.value++;
    await nextTick();
    await delay(50);
    expect(seen).toHaveLength(1);
    level.value = 'warn';
    await waitFor(() => seen.at(-1)?.level === 'warn', { message: 're-joined with new params' });
    srv.publish('logs', 'comment:added', { text: 'after' });
    await waitFor(() => list.value.includes('after'), { message: 'event after the re-join' });
  });

  it('useLatest and useRealtime show state, payloads and emit with an ack', async () => {
    const client = makeClient();
    let rt: ReturnType<typeof useRealtime> | undefined;
    const Live = defineComponent(() => {
      rt = useRealtime();
      const tick = useLatest('price:tick', client);
      return () => h('p', { 'data-testid': 'live' }, `${rt!.status.value}|${tick.value?.price ?? '-'}`);
    });
    const rejected: string[] = [];
    client.on('error', (e) => rejected.push(e.code));
    render(Live, { global: { plugins: [createLifeline(client)] } });
    await waitFor(() => screen.getByTestId('live').textContent === 'connected|-');
    srv.broadcast('price:tick', { price: 1 });
    await waitFor(() => screen.getByTestId('live').textContent === 'connected|1');
    srv.broadcast('price:tick', { price: 'bad' }); // invalid: never reaches composables
    await waitFor(() => rejected.includes('VALIDATION'), { message: 'invalid payload rejected' });
    await nextTick();
    expect(screen.getByTestId('live').textContent).toBe('connected|1');
    srv.broadcast('price:tick', { price: 2 });
    await waitFor(() => screen.getByTestId('live').textContent === 'connected|2');
    expect(rt!.transport.value).toBe('websocket');
    await expect(rt!.emit('echo', 7, { ack: true })).resolves.toEqual({ echoed: 7 });
  });

  it('an owned client (options) connects on install and closes on app unmount', async () => {
    const Status = defineComponent(() => {
      const state = useConnectionState();
      return () => h('p', { 'data-testid': 'status' }, state.value.status);
    });
    const { unmount } = render(Status, { global: { plugins: [createLifeline({ url: srv.server.url, transports: ['websocket'], upgradeIntervalMs: false })] } });
    await waitFor(() => screen.getByTestId('status').textContent === 'connected');
    unmount();
    await waitFor(() => srv.server.io.engine.clientsCount === 0, { message: 'owned client closed' });
  });

  it('throws a LifelineError with a hint without a plugin or client', () => {
    expect(() => useLifeline()).toThrow(expect.objectContaining({ code: 'BAD_INPUT', hint: expect.stringContaining('setup()') }));
    let error: unknown;
    const NoPlugin = defineComponent(() => {
      try {
        useConnectionState();
      } catch (e) {
        error = e;
      }
      return () => null;
    });
    render(NoPlugin);
    expect(error).toMatchObject({ name: 'LifelineError', code: 'BAD_INPUT', hint: expect.stringContaining('createLifeline') });
  });
});

describe('render counts', () => {
  it('connection-state changes re-render exactly the components that read it', async () => {
    const client = makeClient();
    const renders = { status: 0, other: 0 };
    const snapshots: string[] = [];
    client.subscribeState((s) => snapshots.push(s.status));
    const Status = defineComponent(() => {
      const state = useConnectionState();
      return () => {
        renders.status++;
        return h('p', { 'data-testid': 'status' }, state.value.status);
      };
    });
    const Other = defineComponent(() => {
      useChannel('quiet');
      return () => {
        renders.other++;
        return h('p', 'static');
      };
    });
    render(defineComponent(() => () => [h(Status), h(Other)]), { global: { plugins: [createLifeline(client)] } });
    await waitFor(() => screen.getByTestId('status').textContent === 'connected');
    srv.dropAll();
    await waitFor(() => snapshots.includes('reconnecting') && screen.getByTestId('status').textContent === 'connected');
    expect(renders.other).toBe(1);
    expect(renders.status).toBeGreaterThanOrEqual(3);
    expect(renders.status).toBeLessThanOrEqual(snapshots.length + 1);
  });
});

