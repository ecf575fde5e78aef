import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LifelineError, loadHints } from '../errors';
import type { JoinResult } from '../transports/types';
import { createFakeTransports, createTestClient, inspectClient, type FakeTransport, type FakeTransports } from '../testing';

// Error events wait for the hint texts (a lazy chunk): loaded first, they are synchronous as these tests expect.
beforeAll(() => loadHints());

let fakes: FakeTransports;
beforeEach(() => {
  vi.useFakeTimers();
  fakes = createFakeTransports();
});
afterEach(() => vi.useRealTimers());

async function connected(namespace = '/') {
  const client = createTestClient({ url: 'http://api.test', namespace }, { factories: fakes.factories, storage: null });
  const errors: LifelineError[] = [];
  client.on('error', (e) => errors.push(e));
  await vi.advanceTimersByTimeAsync(0);
  const ws = fakes.last('websocket')!;
  ws.open();
  await vi.advanceTimersByTimeAsync(0);
  return { client, ws, errors };
}

/** Drops `ws`, waits out the backoff and opens the websocket the client retries with; `before` scripts it first (e.g. its join replies). */
async function reconnected(ws: FakeTransport, before?: (next: FakeTransport) => void): Promise<FakeTransport> {
  ws.fail('transport-closed');
  await vi.advanceTimersByTimeAsync(5000);
  const next = fakes.last('websocket')!;
  before?.(next);
  next.open();
  await vi.advanceTimersByTimeAsync(0);
  return next;
}

describe('channels', () => {
  it('ref-counts joins: two handles share one server join; leave is sent after the last release', async () => {
    const { client, ws } = await connected();
    const a = client.channel('room');
    const b = client.channel('room');
    await vi.advanceTimersByTimeAsync(0);
    expect(ws.joins).toEqual([{ channel: 'room', cursor: undefined }]);
    a.leave();
    a.leave(); // idempotent
    await vi.advanceTimersByTimeAsync(10);
    expect(ws.leaves).toEqual([]);
    b.leave();
    await vi.advanceTimersByTimeAsync(0);
    expect(ws.leaves).toEqual(['room']);
    client.close();
  });

  it('StrictMode mount → unmount → mount nets one server join and no leave', async () => {
    const { client, ws } = await connected();
    client.channel('room').leave();
    const again = client.channel('room');
    await vi.advanceTimersByTimeAsync(0);
    expect(ws.joins).toHaveLength(1);
    expect(ws.leaves).toEqual([]);
    again.leave();
    client.close();
    expect(inspectClient(client).timers).toBe(0);
  });

  it('dedupes by id against the channel cursor and delivers to channel and client handlers', async () => {
    const { client, ws } = await connected();
    const room = client.channel('room');
    const inRoom: unknown[] = [];
    const all: Array<{ p: unknown; channel?: string; id?: string }> = [];
    room.on('m', (p) => inRoom.push(p));
    client.on('m', (p, meta) => all.push({ p, channel: meta.channel, id: meta.id }));
    await vi.advanceTimersByTimeAsync(0);
    for (const [id, data] of [['1', 'a'], ['2', 'b'], ['2', 'b'], ['1', 'a'], ['10', 'c']] as const) ws.receive({ id, channel: 'room', event: 'm', data });
    expect(inRoom).toEqual(['a', 'b', 'c']);
    expect(all).toEqual([{ p: 'a', channel: 'room', id: '1' }, { p: 'b', channel: 'room', id: '2' }, { p: 'c', channel: 'room', id: '10' }]);
    client.close();
  });

  it('an event with a malformed id is delivered, never becomes the cursor, and loses nothing after it', async () => {
    const { client, ws } = await connected();
    const room = client.channel('room');
    const got: unknown[] = [];
    room.on('m', (p) => got.push(p));
    await vi.advanceTimersByTimeAsync(0);
    for (const [id, data] of [['9', 'a'], ['evt-x', 'odd'], ['10', 'b'], ['10', 'b'], ['11', 'c']] as const) ws.receive({ id, channel: 'room', event: 'm', data });
    expect(got).toEqual(['a', 'odd', 'b', 'c']);
    const next = await reconnected(ws);
    expect(next.joins).toEqual([{ channel: 'room', cursor: '11' }]);
    client.close();
  });

  it('re-joins with the last cursor on every reconnect', async () => {
    const { client, ws } = await connected();
    client.channel('room');
    await vi.advanceTimersByTimeAsync(0);
    ws.receive({ id: '1700000000000-3', channel: 'room', event: 'm', data: 1 });
    const next = await reconnected(ws);
    expect(next.joins).toEqual([{ channel: 'room', cursor: '1700000000000-3' }]);
    client.close();
  });

  it('FORBIDDEN → error event; CURSOR_EXPIRED → error event and resume from now', async () => {
    const { client, ws, errors } = await connected();
    ws.joinReply = (channel, cursor) => (channel === 'secret' ? { ok: false, code: 'FORBIDDEN' } : cursor ? { ok: false, code: 'CURSOR_EXPIRED' } : { ok: true, cursor: '50' });
    client.channel('secret');
    const room = client.channel('room');
    const got: unknown[] = [];
    room.on('m', (p) => got.push(p));
    await vi.advanceTimersByTimeAsync(0);
    expect(errors.map((e) => [e.code, e.details.channel])).toEqual([['FORBIDDEN', 'secret']]);
    ws.receive({ id: '51', channel: 'room', event: 'm', data: 'x' });
    const next = await reconnected(ws, (n) => (n.joinReply = ws.joinReply));
    expect(next.joins.filter((j) => j.channel === 'room')).toEqual([{ channel: 'room', cursor: '51' }, { channel: 'room', cursor: undefined }]);
    expect(errors.at(-1)!.code).toBe('CURSOR_EXPIRED');
    next.receive({ id: '60', channel: 'room', event: 'm', data: 'y' });
    expect(got).toEqual(['x', 'y']);
    client.close();
  });
});

describe('a join nobody answers', () => {
  it('TIMEOUT names the channel and namespace and says what answers joins (was a hint about "? ms")', async () => {
    const { client, ws, errors } = await connected('/');
    ws.joinReply = () => ({ ok: false, code: 'TIMEOUT', message: 'operation has timed out' });
    client.channel('tickets');
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toHaveLength(1);
    const [e] = errors;
    expect([e!.code, e!.details.channel, e!.details.namespace]).toEqual(['TIMEOUT', 'tickets', '/']);
    expect(e!.hint).toContain(`createLifeline(io.of('/'))`);
    expect(e!.hint).toContain('namespace "/"');
    expect(e!.hint).not.toContain('?');
    client.close();
  });
});

describe('a join cut short', () => {
  it('by disconnect(): no TIMEOUT error (nothing to act on), and the channel joins again on connect()', async () => {
    const { client, ws, errors } = await connected();
    let answer!: (r: JoinResult) => void;
    ws.joinReply = () => new Promise<JoinResult>((resolve) => (answer = resolve));
    client.channel('tickets');
    await vi.advanceTimersByTimeAsync(0);
    client.disconnect();
    answer({ ok: false, code: 'TIMEOUT', message: 'transport closed' });
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([]);
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    const next = fakes.last('websocket')!;
    next.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(next.joins).toEqual([{ channel: 'tickets', cursor: undefined }]);
    client.close();
  });

  it('on the active transport it is still reported', async () => {
    const { client, ws, errors } = await connected();
    ws.joinReply = () => ({ ok: false, code: 'TIMEOUT', message: 'operation has timed out' });
    client.channel('tickets');
    await vi.advanceTimersByTimeAsync(0);
    expect(errors.map((e) => e.code)).toEqual(['TIMEOUT']);
    client.close();
  });
});

describe('cursor expiry', () => {
  it('a server event named "lifeline:cursor-expired" is an ordinary event: delivered, cursor advanced, no error', async () => {
    const { client, ws, errors } = await connected();
    const room = client.channel('room');
    const got: unknown[] = [];
    room.on('lifeline:cursor-expired', (p) => got.push(p));
    await vi.advanceTimersByTimeAsync(0);
    ws.receive({ id: '9', channel: 'room', event: 'm', data: 1 });
    ws.receive({ id: '10', event: 'lifeline:cursor-expired', channel: 'room', data: { cursor: '9', message: 'app data' } });
    expect(got).toEqual([{ cursor: '9', message: 'app data' }]);
    expect(errors).toEqual([]);
    const next = await reconnected(ws);
    expect(next.joins).toEqual([{ channel: 'room', cursor: '10' }]);
    client.close();
  });

  it('CURSOR_EXPIRED with the latest id: one error, re-join from that id; refused again, join from now (no loop, one error)', async () => {
    const { client, ws, errors } = await connected();
    ws.joinReply = (_channel, cursor) => (cursor === undefined ? { ok: true, cursor: '1' } : { ok: false, code: 'CURSOR_EXPIRED', cursor: '70' });
    const room = client.channel('room');
    await vi.advanceTimersByTimeAsync(0);
    ws.receive({ id: '5', channel: 'room', event: 'm', data: 'x' });
    const next = await reconnected(ws, (n) => (n.joinReply = (_channel, cursor) => (cursor === '5' ? { ok: false, code: 'CURSOR_EXPIRED', cursor: '70' } : cursor === '70' ? { ok: true, cursor: '70' } : { ok: true, cursor: '99' })));
    expect(next.joins).toEqual([{ channel: 'room', cursor: '5' }, { channel: 'room', cursor: '70' }]);
    expect(errors.map((e) => [e.code, e.details.channel])).toEqual([['CURSOR_EXPIRED', 'room']]);
    // A server that refuses even the id it gave: the channel joins from now, still one error.
    const third = await reconnected(next, (n) => (n.joinReply = (_channel, cursor) => (cursor === undefined ? { ok: true, cursor: '99' } : { ok: false, code: 'CURSOR_EXPIRED', cursor: '70' })));
    expect(third.joins).toEqual([{ channel: 'room', cursor: '70' }, { channel: 'room', cursor: '70' }, { channel: 'room', cursor: undefined }]);
    expect(errors.map((e) => e.code)).toEqual(['CURSOR_EXPIRED', 'CURSOR_EXPIRED']);
    room.leave();
    client.close();
  });

  it('a server answering CURSOR_EXPIRED to a join that asked for no cursor is a PROTOCOL error, not a loop of re-joins', async () => {
    const { client, ws, errors } = await connected();
    ws.joinReply = () => ({ ok: false, code: 'CURSOR_EXPIRED' });
    client.channel('room');
    await vi.advanceTimersByTimeAsync(0);
    expect(ws.joins).toEqual([{ channel: 'room', cursor: undefined }]);
    expect(errors.map((e) => [e.code, e.details.channel])).toEqual([['PROTOCOL', 'room']]);
    client.close();
  });
});
