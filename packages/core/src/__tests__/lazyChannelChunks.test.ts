/**
 * Presence and history are lazily loaded chunks (presence.ts on the first presence frame,
 * history.ts on `channel.history()` or a join with `rewind`): an app that uses neither downloads
 * neither. These tests load them for real, and make each fail to load (a chunk a deploy removed,
 * or offline): the failure is a typed `UNREACHABLE` (hint: reload), never a hang or an unhandled
 * rejection, and the client still works and releases everything on `close()`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LifelineError } from '../errors';

async function setup() {
  const { createFakeTransports, createTestClient, inspectClient } = await import('../testing');
  const { loadHints } = await import('../errors');
  await loadHints();
  const fakes = createFakeTransports();
  const client = createTestClient({ url: 'http://api.test', heartbeat: false }, { factories: fakes.factories, storage: null });
  const errors: LifelineError[] = [];
  client.on('error', (e) => errors.push(e));
  await vi.waitFor(() => expect(fakes.last('websocket')).toBeDefined());
  const ws = fakes.last('websocket')!;
  ws.open();
  return { client, ws, errors, inspect: () => inspectClient(client) };
}

const presence = (members: Array<{ id: string }>) => ({ event: 'lifeline:presence', data: { channel: 'room', members } });

function unloadable(path: string) {
  vi.doMock(path, () => {
    throw new Error('Failed to fetch dynamically imported module');
  });
}

afterEach(() => {
  vi.doUnmock('../history');
  vi.doUnmock('../presence');
  vi.resetModules();
});

describe('lazily loaded presence and history', () => {
  it('presence: the first frame loads the chunk, then get() has the members', async () => {
    vi.resetModules();
    const { client, ws, errors, inspect } = await setup();
    const room = client.channel('room');
    expect(room.presence.get()).toEqual([]);
    ws.receive(presence([{ id: 'ann' }]));
    await vi.waitFor(() => expect(room.presence.get().map((m) => m.id)).toEqual(['ann']));
    expect(errors).toEqual([]);
    client.close();
    expect(inspect()).toMatchObject({ timers: 0, listeners: 0, sockets: 0 });
  });

  it('presence: a chunk that cannot load is an UNREACHABLE error (once per frame), members stay empty, events still flow', async () => {
    vi.resetModules();
    unloadable('../presence');
    const { client, ws, errors, inspect } = await setup();
    const room = client.channel('room');
    const got: unknown[] = [];
    room.on('msg', (d) => got.push(d));
    ws.receive(presence([{ id: 'ann' }]));
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({ code: 'UNREACHABLE', message: expect.stringMatching(/^Could not load Lifeline's presence code: /) });
    expect(errors[0]!.hint).toMatch(/could not be downloaded/);
    expect(room.presence.get()).toEqual([]);
    ws.receive({ event: 'msg', data: 1, channel: 'room', id: '1' });
    await vi.waitFor(() => expect(got).toEqual([1]));
    client.close();
    expect(inspect()).toMatchObject({ timers: 0, listeners: 0, sockets: 0 });
  });

  it('history(): a chunk that cannot load rejects with UNREACHABLE (no hang); the next call tries again', async () => {
    vi.resetModules();
    unloadable('../history');
    const { client, inspect } = await setup();
    const room = client.channel('room');
    const failed = await room.history({ limit: 5 }).then(
      () => null,
      (e: LifelineError) => e,
    );
    expect(failed).toMatchObject({ code: 'UNREACHABLE', name: 'LifelineError', message: expect.stringMatching(/^Could not load Lifeline's history code: /) });
    vi.doUnmock('../history');
    // Loaded this time: the fake transport has no history(), so the history code itself answers (PROTOCOL).
    await expect(room.history({ limit: 5 })).rejects.toMatchObject({ code: 'PROTOCOL', message: expect.stringContaining('cannot read history') });
    client.close();
    expect(inspect()).toMatchObject({ timers: 0, listeners: 0, sockets: 0 });
  });

  it('rewind: a chunk that cannot load is reported as UNREACHABLE and the channel joins from now', async () => {
    vi.resetModules();
    unloadable('../history');
    const { client, ws, errors, inspect } = await setup();
    client.channel('room', { rewind: 20 });
    await vi.waitFor(() => expect(ws.joins).toEqual([{ channel: 'room', cursor: undefined }]));
    await vi.waitFor(() => expect(errors.map((e) => e.code)).toEqual(['UNREACHABLE']));
    client.close();
    expect(inspect()).toMatchObject({ timers: 0, listeners: 0, sockets: 0 });
  });
});

describe('history waiting for a connection', () => {
  it('close() ends the wait at once with CLOSED and leaves no timer (it waited out timeoutMs, then said TIMEOUT)', async () => {
    vi.resetModules();
    const { createFakeTransports, createTestClient, inspectClient } = await import('../testing');
    const fakes = createFakeTransports();
    const client = createTestClient({ url: 'http://api.test', autoConnect: false }, { factories: fakes.factories, storage: null });
    const room = client.channel('room');
    const read = room.history({ limit: 5, timeoutMs: 60_000 }).then(
      () => 'read',
      (e: LifelineError) => e.code,
    );
    await vi.waitFor(() => expect(inspectClient(client).timers).toBe(1)); // the history chunk loaded and waits
    const t0 = Date.now();
    client.close();
    expect(await read).toBe('CLOSED');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(inspectClient(client)).toMatchObject({ timers: 0, listeners: 0 });
  });
});
