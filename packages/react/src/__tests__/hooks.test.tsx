import { StrictMode, useState } from 'react';
import { act, cleanup, render, renderHook, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { delay, waitFor } from '@lifeline/testkit';
import { joinServerPerTest } from '@lifeline/testkit/vitest';
import { lifelineChannelProtocol, type ChannelParams } from '@lifeline/core';
import { inspectClient } from '@lifeline/core/testing';
import { LifelineProvider, useChannel, useChannelEvent, useEvent, useLatest, useLifeline, useRealtime } from '@lifeline/react';

const events = { 'comment:added': z.object({ text: z.string() }), 'price:tick': z.object({ price: z.number() }) };
const srv = joinServerPerTest({ beforeClose: cleanup });

function makeClient() {
  return srv.client({ events });
}
type Client = ReturnType<typeof makeClient>;

function Comments({ client, channel = 'ticket:1', id = 'comments' }: { client: Client; channel?: string; id?: string }) {
  const [list, setList] = useState<string[]>([]);
  useChannelEvent(channel, 'comment:added', (c) => setList((l) => [...l, c.text]), client);
  return <ul data-testid={id}>{list.map((t, i) => <li key={i}>{t}</li>)}</ul>;
}

describe('LifelineProvider + channel hooks (real Socket.IO server)', () => {
  it.each([
    ['plain', false],
    ['StrictMode', true],
  ])('joins once, receives, and leaves once on unmount (%s)', async (_name, strict) => {
    const client = makeClient();
    const tree = (
      <LifelineProvider client={client}>
        <Comments client={client} />
      </LifelineProvider>
    );
    const { unmount } = render(strict ? <StrictMode>{tree}</StrictMode> : tree);
    await waitFor(() => srv.joins['ticket:1'] === 1, { message: 'join' });
    srv.publish('ticket:1', 'comment:added', { text: 'hello' });
    srv.publish('ticket:2', 'comment:added', { text: 'other room' });
    await waitFor(() => screen.getByTestId('comments').textContent === 'hello', { message: 'event rendered' });
    unmount();
    await waitFor(() => srv.leaves['ticket:1'] === 1, { message: 'leave' });
    await delay(50);
    expect({ joins: srv.joins, leaves: srv.leaves }).toEqual({ joins: { 'ticket:1': 1 }, leaves: { 'ticket:1': 1 } });
  });

  it('sends one join for two components on one channel, and both receive', async () => {
    const client = makeClient();
    function Room() {
      const room = useChannel('ticket:1', client);
      return <p data-testid="room">{room?.name ?? 'joining'}</p>;
    }
    const { unmount } = render(
      <StrictMode>
        <LifelineProvider client={client}>
          <Room />
          <Comments client={client} id="a" />
          <Comments client={client} id="b" />
        </LifelineProvider>
      </StrictMode>,
    );
    expect(screen.getByTestId('room').textContent).toBe('ticket:1');
    await waitFor(() => srv.joins['ticket:1'] === 1);
    srv.publish('ticket:1', 'comment:added', { text: 'both' });
    await waitFor(() => screen.getByTestId('a').textContent === 'both' && screen.getByTestId('b').textContent === 'both');
    unmount();
    await waitFor(() => srv.leaves['ticket:1'] === 1);
    expect(srv.joins['ticket:1']).toBe(1);
  });

  it('re-joins when the channel name changes', async () => {
    const client = makeClient();
    client.connect(); // no provider here: the hooks work from the trailing client alone
    const { rerender } = render(<Comments client={client} channel="a" />);
    await waitFor(() => srv.joins.a === 1);
    rerender(<Comments client={client} channel="b" />);
    await waitFor(() => srv.joins.b === 1 && srv.leaves.a === 1);
  });
});

describe('useEvent / useLatest', () => {
  it('channel params: passed on join, equal params in a fresh object do not re-join, new params re-join; events keep flowing', async () => {
    const seen: Array<ChannelParams | undefined> = [];
    const client = srv.client({
      events,
      channels: { ...lifelineChannelProtocol, join: (emit, channel, cursor, params) => (seen.push(params), lifelineChannelProtocol.join(emit, channel, cursor)) },
    });
    function Logs({ level }: { level: string }) {
      const [list, setList] = useState<string[]>([]);
      useChannelEvent('logs', 'comment:added', (c) => setList((l) => [...l, c.text]), { params: { level } }, client);
      const room = useChannel('logs', { params: { level } }, client);
      return <ul data-testid="logs" data-room={room?.name ?? ''}>{list.map((t, i) => <li key={i}>{t}</li>)}</ul>;
    }
    const { rerender, unmount } = render(<LifelineProvider client={client}><Logs level="error" /></LifelineProvider>);
    await waitFor(() => seen.length === 1 && screen.getByTestId('logs').dataset.room === 'logs', { message: 'joined' });
    expect(seen).toEqual([{ level: 'error' }]);
    rerender(<LifelineProvider client={client}><Logs level="error" /></LifelineProvider>); // fresh objects, same params
    await delay(50);
    expect(seen).toHaveLength(1);
    rerender(<LifelineProvider client={client}><Logs level="warn" /></LifelineProvider>);
    await waitFor(() => seen.at(-1)?.level === 'warn', { message: 're-joined with new params' });
    srv.publish('logs', 'comment:added', { text: 'after' });
    await waitFor(() => screen.getByTestId('logs').textContent === 'after', { message: 'event after the re-join' });
    unmount();
  });

  it('calls the latest handler without re-subscribing', async () => {
    const client = makeClient();
    const seen: string[] = [];
    function Listener({ tag }: { tag: string }) {
      useEvent('price:tick', (t) => seen.push(`${tag}:${t.price}`), client);
      return null;
    }
    const { rerender } = render(<LifelineProvider client={client}><Listener tag="v1" /></LifelineProvider>);
    await waitFor(() => client.getState().status === 'connected');
    const listeners = inspectClient(client).listeners;
    // An unsubscribe + subscribe would leave the count unchanged: watch for any new subscription.
    const on = vi.spyOn(client, 'on');
    rerender(<LifelineProvider client={client}><Listener tag="v2" /></LifelineProvider>);
    expect(on).not.toHaveBeenCalled();
    on.mockRestore();
    expect(inspectClient(client).listeners).toBe(listeners);
    srv.broadcast('price:tick', { price: 3 });
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual(['v2:3']);
  });

  it('useLatest holds the latest valid payload', async () => {
    const client = makeClient();
    function Price() {
      const tick = useLatest('price:tick', client);
      return <b data-testid="price">{tick ? tick.price : '—'}</b>;
    }
    const rejected: string[] = [];
    client.on('error', (e) => rejected.push(e.code));
    render(<LifelineProvider client={client}><Price /></LifelineProvider>);
    expect(screen.getByTestId('price').textContent).toBe('—');
    await waitFor(() => client.getState().status === 'connected');
    srv.broadcast('price:tick', { price: 1 });
    await waitFor(() => screen.getByTestId('price').textContent === '1');
    srv.broadcast('price:tick', { price: 'not a number' }); // invalid: never reaches hooks
    await waitFor(() => rejected.includes('VALIDATION'), { message: 'invalid payload rejected' });
    await delay(20); // a render it had caused would have committed by now
    expect(screen.getByTestId('price').textContent).toBe('1');
    srv.broadcast('price:tick', { price: 2 });
    await waitFor(() => screen.getByTestId('price').textContent === '2');
  });

  it('useEvent receives lifecycle errors (validation)', async () => {
    const client = makeClient();
    const codes: string[] = [];
    renderHook(() => useEvent('error', (e) => codes.push(e.code), client));
    client.connect();
    await waitFor(() => client.getState().status === 'connected');
    srv.broadcast('price:tick', { price: 'x' });
    await waitFor(() => codes.includes('VALIDATION'));
  });
});

describe('useRealtime / useLifeline', () => {
  it('reports state and emits with an ack through the provider client', async () => {
    const client = makeClient();
    let rt: ReturnType<typeof useRealtime> | undefined;
    function Send() {
      rt = useRealtime();
      return <p data-testid="status">{rt.status}</p>;
    }
    render(<LifelineProvider client={client}><Send /></LifelineProvider>);
    await waitFor(() => screen.getByTestId('status').textContent === 'connected');
    expect(rt).toMatchObject({ transport: 'websocket', fallback: false, lastError: null });
    await expect(rt!.emit('echo', { n: 1 }, { ack: true })).resolves.toEqual({ echoed: { n: 1 } });
    const room = rt!.channel('manual');
    await waitFor(() => srv.joins.manual === 1);
    room.leave();
    await waitFor(() => srv.leaves.manual === 1);
  });

  it('throws a LifelineError with a hint outside a provider', () => {
    const error = (() => {
      try {
        renderHook(() => useLifeline());
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toMatchObject({ name: 'LifelineError', code: 'BAD_INPUT', hint: expect.stringContaining('<LifelineProvider') });
  });

  it('an owned client (options) connects in an effect and is closed on unmount', async () => {
    function Status() {
      return <p data-testid="status">{useRealtime().status}</p>;
    }
    const { unmount } = render(
      <StrictMode>
        <LifelineProvider options={{ url: srv.server.url, transports: ['websocket'], upgradeIntervalMs: false }}>
          <Status />
        </LifelineProvider>
      </StrictMode>,
    );
    await waitFor(() => screen.getByTestId('status').textContent === 'connected');
    expect(srv.seen.connections).toBe(1); // StrictMode did not open a second socket
    unmount();
    await waitFor(() => srv.server.io.engine.clientsCount === 0, { message: 'owned client closed' });
  });
});

describe('render counts', () => {
  it('connection-state changes re-render exactly the components that read it', async () => {
    const client = makeClient();
    const renders = { status: 0, other: 0 };
    const snapshots: string[] = [];
    client.subscribeState((s) => snapshots.push(s.status));
    function Status() {
      renders.status++;
      return <p data-testid="status">{useRealtime(client).status}</p>;
    }
    function Other() {
      renders.other++;
      useChannel('quiet', client);
      return null;
    }
    render(<LifelineProvider client={client}><Status /><Other /></LifelineProvider>);
    await waitFor(() => screen.getByTestId('status').textContent === 'connected');
    act(() => srv.dropAll());
    await waitFor(() => snapshots.includes('reconnecting') && screen.getByTestId('status').textContent === 'connected');
    expect(renders.other).toBe(2); // first render + the channel handle arriving; never for state
    expect(renders.status).toBeGreaterThanOrEqual(4); // idle, connecting, connected, reconnecting, connected…
    expect(renders.status).toBeLessThanOrEqual(snapshots.length + 1);
  });
});
