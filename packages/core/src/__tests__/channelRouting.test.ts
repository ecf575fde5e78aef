/**
 * Channels on an unmodified server (issue #12): the channel protocol names the channel of events
 * that carry none (`channelOf`), params reach every join and re-join, joins of one tick go out in
 * one `joinMany`, and `room.on` without a way to tell is an error, never silence.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { lifelineChannelProtocol } from '../channelProtocol';
import { LifelineError, loadHints } from '../errors';
import { batchedChannelProtocol } from '../protocols';
import type { ChannelProtocol, JoinResult, TransportName } from '../transports/types';
import type { EventMeta } from '../types';
import { createFakeTransports, createTestClient, inspectClient, type FakeTransports } from '../testing';

let fakes: FakeTransports;
beforeEach(() => {
  vi.useFakeTimers();
  fakes = createFakeTransports();
});
afterEach(() => vi.useRealTimers());

/** A `subscribe { channels }` server's protocol: `notification` events belong to `user:<userId>`. */
const subscribeProtocol: ChannelProtocol = {
  join: async () => ({ ok: true }),
  leave: async () => {},
  channelOf: (event, [data]) => (event === 'notification' ? `user:${(data as { userId: string }).userId}` : undefined),
};

async function connectedOn(rung: TransportName, channels: ChannelProtocol = subscribeProtocol) {
  // Error events wait for the hint texts (a lazy chunk): loaded here, so that the errors these
  // tests check synchronously are reported at once, however long the chunk takes on a busy machine.
  await loadHints();
  const client = createTestClient(
    { url: 'http://api.test', transports: [rung], channels, ...(rung === 'http' ? { http: { url: 'http://api.test/lifeline' } } : {}) },
    { factories: fakes.factories, storage: null },
  );
  const errors: LifelineError[] = [];
  client.on('error', (e) => errors.push(e));
  await vi.advanceTimersByTimeAsync(0);
  const t = fakes.last(rung)!;
  t.open();
  await vi.advanceTimersByTimeAsync(0);
  return { client, t, errors };
}

describe('channelOf: events of an unmodified server reach room.on', () => {
  it.each(['websocket', 'polling', 'http'] as const)('the same on the %s rung: routed by name and payload, meta.channel set, client.on still called', async (rung) => {
    const { client, t, errors } = await connectedOn(rung);
    const mine: Array<[unknown, EventMeta]> = [];
    const other: unknown[] = [];
    const all: unknown[] = [];
    client.channel('user:1').on('notification', (data, meta) => void mine.push([data, meta]));
    client.channel('user:2').on('notification', (data) => void other.push(data));
    client.on('notification', (data) => void all.push(data));
    await vi.advanceTimersByTimeAsync(0);
    t.receive({ event: 'notification', data: { userId: '1', text: 'a' } });
    t.receive({ event: 'notification', data: { userId: '3', text: 'nobody' } });
    t.receive({ event: 'news', data: 'x' });
    expect(mine).toEqual([[{ userId: '1', text: 'a' }, { transport: rung, channel: 'user:1' }]]);
    expect(other).toEqual([]);
    expect(all).toHaveLength(2);
    expect(errors).toEqual([]);
    client.close();
  });

  it('an event that carries its channel (the companion) keeps it; channelOf is asked only for the rest', async () => {
    const channelOf = vi.fn(() => 'user:1');
    const { client, t } = await connectedOn('websocket', { ...subscribeProtocol, channelOf });
    const got: string[] = [];
    client.channel('user:1').on('notification', (_d, meta) => void got.push(meta.channel!));
    t.receive({ event: 'notification', data: {}, channel: 'user:1', id: '5' });
    expect(channelOf).not.toHaveBeenCalled();
    t.receive({ event: 'notification', data: { userId: '1' }, args: [{ userId: '1' }, 'second'] });
    expect(channelOf).toHaveBeenCalledWith('notification', [{ userId: '1' }, 'second'], new Map([['user:1', undefined]]));
    expect(got).toEqual(['user:1', 'user:1']);
    client.close();
  });

  it('channelOf sees the joined channels with their current params (after new params, joins and leaves)', async () => {
    const seen: Array<Array<[string, unknown]>> = [];
    const { client, t } = await connectedOn('websocket', { ...subscribeProtocol, channelOf: (_e, _a, joined) => (seen.push([...joined]), undefined) });
    const a = client.channel('logs', { params: { level: 'error' } });
    t.receive({ event: 'x', data: 1 });
    t.receive({ event: 'x', data: 2 });
    client.channel('logs', { params: { level: 'warn' } });
    const b = client.channel('user:1');
    t.receive({ event: 'x', data: 3 });
    b.leave();
    await vi.advanceTimersByTimeAsync(0);
    t.receive({ event: 'x', data: 4 });
    expect(seen).toEqual([
      [['logs', { level: 'error' }]],
      [['logs', { level: 'error' }]],
      [['logs', { level: 'warn' }], ['user:1', undefined]],
      [['logs', { level: 'warn' }]],
    ]);
    a.leave();
    client.close();
  });

  it('a channelOf that throws is a PROTOCOL error; the event still reaches client.on', async () => {
    const { client, t, errors } = await connectedOn('websocket', { ...subscribeProtocol, channelOf: () => { throw new Error('boom'); } });
    client.channel('user:1').on('notification', () => { throw new Error('must not be called'); });
    const all: unknown[] = [];
    client.on('notification', (d) => void all.push(d));
    t.receive({ event: 'notification', data: 1 });
    expect(all).toEqual([1]);
    expect(errors.map((e) => [e.code, e.message])).toEqual([['PROTOCOL', expect.stringContaining('boom')]]);
    client.close();
  });

  it('with a custom protocol that cannot tell (no channelOf), an event room.on waits for arriving without a channel is one BAD_INPUT error, never silence', async () => {
    const { client, t, errors } = await connectedOn('websocket', { join: async () => ({ ok: true }), leave: async () => {} });
    const got: unknown[] = [];
    client.channel('user:1').on('notification', (d) => void got.push(d));
    t.receive({ event: 'other', data: 0 }); // nobody listens on a room for it: no error
    t.receive({ event: 'notification', data: 1 });
    t.receive({ event: 'notification', data: 2 });
    expect(errors.map((e) => [e.code, e.details.event])).toEqual([['BAD_INPUT', 'notification']]);
    expect(errors[0]!.hint).toContain('channelOf');
    // Events that carry their channel on the wire still reach the room.
    t.receive({ event: 'notification', data: 3, channel: 'user:1' });
    expect(got).toEqual([3]);
    client.close();
  });

  it('the default Lifeline protocol routes by the channel on the wire: room.on works, plain events reach client.on only', async () => {
    const { client, t } = await connectedOn('websocket', lifelineChannelProtocol);
    const got: unknown[] = [];
    client.channel('room').on('m', (d) => void got.push(d));
    t.receive({ event: 'm', data: 'plain' });
    t.receive({ event: 'm', data: 'published', channel: 'room', id: '1' });
    expect(got).toEqual(['published']);
    client.close();
  });
});

describe('channel params', () => {
  it('reach the protocol on the first join and on every re-join; new params re-join, equal ones do not', async () => {
    const { client, t } = await connectedOn('websocket');
    const a = client.channel('logs', { params: { level: 'error', tags: ['a'] } });
    await vi.advanceTimersByTimeAsync(0);
    expect(t.joins).toEqual([{ channel: 'logs', cursor: undefined, params: { level: 'error', tags: ['a'] } }]);
    // Same params in a fresh object (a re-render): no re-join.
    const b = client.channel('logs', { params: { level: 'error', tags: ['a'] } });
    // No params: keeps the channel's.
    const c = client.channel('logs');
    await vi.advanceTimersByTimeAsync(0);
    expect(t.joins).toHaveLength(1);
    const d = client.channel('logs', { params: { level: 'warn' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(t.joins).toHaveLength(2);
    expect(t.joins.at(-1)).toMatchObject({ channel: 'logs', params: { level: 'warn' } });
    // A reconnect re-joins with the latest params.
    t.fail('transport-closed');
    await vi.advanceTimersByTimeAsync(5000);
    const next = fakes.last('websocket')!;
    next.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(next.joins).toEqual([{ channel: 'logs', cursor: '0', params: { level: 'warn' } }]);
    for (const h of [a, b, c, d]) h.leave();
    await vi.advanceTimersByTimeAsync(0);
    expect(next.leaves).toEqual(['logs']);
    client.close();
  });

  it('params that are not a JSON object are BAD_INPUT at channel()', async () => {
    const { client } = await connectedOn('websocket');
    expect(() => client.channel('x', { params: { n: 10n } as never })).toThrow(/params: .*BigInt/);
    expect(() => client.channel('x', { params: 'level=error' as never })).toThrow(/not an object/);
    client.close();
  });
});

describe('batchedChannelProtocol: a subscribe { channels: [...] } server gets every join of one tick in one request', () => {
  const emit = async () => ({});
  const leave = async () => {};
  it('calls joinMany once per tick and connection with every join, and hands each its own result', async () => {
    const joinMany = vi.fn(async (_emit: unknown, joins: readonly { channel: string }[]): Promise<JoinResult[]> => joins.map((j) => (j.channel === 'b' ? { ok: false, code: 'FORBIDDEN' } : { ok: true })));
    const p = batchedChannelProtocol({ joinMany, leave });
    const other = async () => ({});
    const results = await Promise.all([
      ...['a', 'b', 'c'].map((channel) => p.join(emit, channel, undefined, channel === 'a' ? { f: 1 } : undefined)),
      p.join(other, 'x', '7'), // another connection: its own request
    ]);
    expect(joinMany).toHaveBeenCalledTimes(2);
    expect(joinMany.mock.calls[0]![1]).toEqual([{ channel: 'a', cursor: undefined, params: { f: 1 } }, { channel: 'b', cursor: undefined, params: undefined }, { channel: 'c', cursor: undefined, params: undefined }]);
    expect(joinMany.mock.calls[1]![1]).toEqual([{ channel: 'x', cursor: '7', params: undefined }]);
    expect(results).toEqual([{ ok: true }, { ok: false, code: 'FORBIDDEN' }, { ok: true }, { ok: true }]);
    // A later tick is a new batch.
    await p.join(emit, 'd', undefined);
    expect(joinMany).toHaveBeenCalledTimes(3);
  });

  it('a joinMany that throws or answers too few results fails each join with PROTOCOL, never hangs', async () => {
    const throwing = batchedChannelProtocol({ leave, joinMany: async () => { throw new Error('nope'); } });
    expect(await throwing.join(emit, 'a', undefined)).toEqual({ ok: false, code: 'PROTOCOL', message: 'nope' });
    const short = batchedChannelProtocol({ leave, joinMany: async () => [{ ok: true }] });
    const r = await Promise.all([short.join(emit, 'a', undefined), short.join(emit, 'b', undefined)]);
    expect(r[0]).toEqual({ ok: true });
    expect(r[1]).toMatchObject({ ok: false, code: 'PROTOCOL', message: expect.stringContaining('1 results for 2 channels') });
  });

  it('keeps leave and channelOf of the spec', () => {
    const channelOf = () => 'x';
    const p = batchedChannelProtocol({ leave, channelOf, joinMany: async () => [] });
    expect(p.leave).toBe(leave);
    expect(p.channelOf).toBe(channelOf);
  });
});

describe('events with several arguments and onAny', () => {
  it('the payload is the first argument (single-argument handlers unchanged); meta.args holds them all', async () => {
    const { client, t } = await connectedOn('websocket');
    const got: Array<[unknown, EventMeta]> = [];
    client.on('message', (d, meta) => void got.push([d, meta]));
    t.receive({ event: 'message', data: 'one' });
    t.receive({ event: 'message', data: { name: 'ada' }, args: [{ name: 'ada' }, 'hi'] });
    expect(got).toEqual([['one', { transport: 'websocket' }], [{ name: 'ada' }, { transport: 'websocket', args: [{ name: 'ada' }, 'hi'] }]]);
    client.close();
  });

  it('args(schema) validates every argument and delivers their typed tuple; invalid arguments are a VALIDATION error', async () => {
    const { args } = await import('../args');
    const client = createTestClient({ url: 'http://api.test', transports: ['websocket'], events: { message: args(z.tuple([z.object({ name: z.string() }), z.string()])) } }, { factories: fakes.factories, storage: null });
    const errors: LifelineError[] = [];
    client.on('error', (e) => errors.push(e));
    const got: Array<[{ name: string }, string]> = [];
    client.on('message', (pair) => void got.push(pair));
    const any: unknown[][] = [];
    client.onAny((event, ...rest) => void any.push([event, ...rest]));
    await vi.advanceTimersByTimeAsync(0);
    const t = fakes.last('websocket')!;
    t.open();
    t.receive({ event: 'message', data: { name: 'ada' }, args: [{ name: 'ada' }, 'hi'] });
    t.receive({ event: 'message', data: { name: 'ada' } }); // one argument: the tuple is too short
    expect(got).toEqual([[{ name: 'ada' }, 'hi']]);
    expect(any).toEqual([['message', { name: 'ada' }, 'hi']]);
    expect(errors.map((e) => e.code)).toEqual(['VALIDATION']);
    client.close();
  });

  it('onAny sees every incoming event with all its arguments (not the lifecycle events); off and close() release it', async () => {
    const { client, t } = await connectedOn('websocket');
    const any: unknown[][] = [];
    const off = client.onAny((event, ...rest) => void any.push([event, ...rest]));
    t.receive({ event: 'a', data: 1 });
    t.receive({ event: 'b', data: 1, args: [1, 2, 3] });
    t.receive({ event: 'c', data: undefined });
    expect(any).toEqual([['a', 1], ['b', 1, 2, 3], ['c']]);
    off();
    t.receive({ event: 'd', data: 1 });
    expect(any).toHaveLength(3);
    client.onAny(() => {});
    expect(() => client.onAny('x' as never)).toThrow(/needs a handler function/);
    client.close();
    expect(inspectClient(client).listeners).toBe(0);
  });
});

describe('url, query and withCredentials', () => {
  it('without a url and without location (server rendering) the client never connects and holds nothing', async () => {
    expect((globalThis as { location?: unknown }).location).toBeUndefined();
    const client = createTestClient({ events: {} }, { factories: fakes.factories, storage: null });
    client.connect();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fakes.created).toHaveLength(0);
    expect(client.getState().status).toBe('idle');
    expect(inspectClient(client)).toMatchObject({ timers: 0, sockets: 0 });
    client.close();
    const relative = createTestClient({ url: '/' }, { factories: fakes.factories, storage: null });
    await vi.advanceTimersByTimeAsync(0);
    expect(fakes.created).toHaveLength(0);
    relative.close();
  });

  it('in a browser an omitted or relative url is the page origin, as io() does; a path is still refused with a hint', async () => {
    vi.stubGlobal('location', { href: 'https://app.example.com/tickets/42?x=1' });
    try {
      const page = createTestClient({}, { factories: fakes.factories, storage: null });
      await vi.advanceTimersByTimeAsync(0);
      expect(fakes.last('websocket')!.context.url).toBe('https://app.example.com');
      page.close();
      const other = createTestClient({ url: '//api.example.com' }, { factories: fakes.factories, storage: null });
      await vi.advanceTimersByTimeAsync(0);
      expect(fakes.last('websocket')!.context.url).toBe('https://api.example.com');
      other.close();
      // The message names the option; the hint (lazily loaded texts) says it has a path and offers both fixes.
      expect(() => createTestClient({ url: '/api' }, { factories: fakes.factories, storage: null })).toThrow(
        expect.objectContaining({ code: 'BAD_INPUT', message: 'Bad `url`: "/api".', details: expect.objectContaining({ path: '/api', origin: 'https://app.example.com' }) }),
      );
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('query and withCredentials reach every transport', async () => {
    const client = createTestClient({ url: 'http://api.test', query: { userId: 'u-1' }, withCredentials: true }, { factories: fakes.factories, storage: null });
    await vi.advanceTimersByTimeAsync(0);
    expect(fakes.last('websocket')!.context).toMatchObject({ query: { userId: 'u-1' }, withCredentials: true });
    client.close();
  });
});
