/**
 * History (docs/protocol.md, "History") on the real companion: `lifeline:history` over Socket.IO
 * and `GET …/history`, oldest first, bounded, paged with `before`, authorized like a join, and a
 * `cursor` to join from with nothing lost or doubled; bad requests are 4xx, never 5xx.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket as ClientSocket } from 'socket.io-client';
import { memoryStore, type StoredEvent } from '@lifeline/server';
import { authHeaders, baseOptions, join, record, socketFor, startCompanion, wrapStore, type Companion } from './helpers';
import { waitFor } from '@lifeline/testkit';

let c: Companion | undefined;
const sockets: ClientSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await c?.close();
  c = undefined;
});

interface HistoryReply {
  ok: boolean;
  events?: StoredEvent[];
  cursor?: string;
  code?: string;
  message?: string;
}
const history = (s: ClientSocket, payload: unknown) => s.timeout(5000).emitWithAck('lifeline:history', payload) as Promise<HistoryReply>;

async function seeded() {
  c = await startCompanion();
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) ids.push((await c.lifeline.publish(i % 3 === 0 ? 'ticket:1' : 'other', 'n', i)).id);
  return ids;
}

describe('history', () => {
  it('over Socket.IO: the last `limit` events of the channel, oldest first, then `before` pages back', async () => {
    await seeded();
    const s = await socketFor(c!.url);
    sockets.push(s);
    const last = await history(s, { channel: 'ticket:1', limit: 4 });
    expect(last.ok).toBe(true);
    expect(last.events!.map((e) => e.data)).toEqual([18, 21, 24, 27]);
    expect(last.cursor).toBe(await c!.lifeline.store.latest()); // '30': the log's end, past event 27
    const older = await history(s, { channel: 'ticket:1', limit: 3, before: last.events![0]!.id });
    expect(older.events!.map((e) => e.data)).toEqual([9, 12, 15]);
    const all = await history(s, { channel: 'ticket:1', limit: 1000 });
    expect(all.events!.map((e) => e.data)).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 27]);
    expect((await history(s, { channel: 'empty', limit: 5 })).events).toEqual([]);
  });

  it('joining from the history cursor continues live with nothing lost or doubled', async () => {
    await seeded();
    const s = await socketFor(c!.url);
    sockets.push(s);
    const page = await history(s, { channel: 'ticket:1', limit: 2 });
    const published = [(await c!.lifeline.publish('ticket:1', 'n', 'between')).id]; // after the read, before the join
    const seen = record(s, 'ticket:1');
    await join(s, 'ticket:1', page.cursor);
    published.push((await c!.lifeline.publish('ticket:1', 'n', 'live')).id);
    await waitFor(() => seen.length === 2, { message: 'replay + live' });
    expect(seen.map((e) => e.id)).toEqual(published);
  });

  it('only users authorize lets join may read it; bad requests are answered, never thrown', async () => {
    await seeded();
    const bob = await socketFor(c!.url, { token: 'bob-token' });
    sockets.push(bob);
    expect(await history(bob, { channel: 'ticket:1', limit: 5 })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    for (const bad of [{ channel: 'ticket:1', limit: 0 }, { channel: 'ticket:1', limit: 1001 }, { channel: 'ticket:1', limit: '5x' }, { channel: 'ticket:1', limit: 5, before: 'abc' }, { channel: '', limit: 5 }, null, 'x']) {
      expect(await history(bob, bad), JSON.stringify(bad)).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    }
  });

  it('over HTTP: GET …/history, 403 for a channel the user may not read, 400 for bad limits, 401 without credentials', async () => {
    await seeded();
    const get = (q: string, token = 'ada-token') => fetch(`${c!.base}/history?${q}`, { headers: authHeaders(token) });
    const ok = await get('channel=ticket%3A1&limit=3');
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { events: StoredEvent[]; cursor: string };
    expect(body.events.map((e) => e.data)).toEqual([21, 24, 27]);
    expect(body.cursor).toBe('30');
    const older = (await (await get(`channel=ticket%3A1&limit=2&before=${body.events[0]!.id}`)).json()) as { events: StoredEvent[] };
    expect(older.events.map((e) => e.data)).toEqual([15, 18]);
    expect((await get('channel=ticket%3A1&limit=3', 'bob-token')).status).toBe(403);
    expect((await get('channel=ticket%3A1&limit=0')).status).toBe(400);
    expect((await get('channel=ticket%3A1')).status).toBe(400);
    expect((await get('limit=3')).status).toBe(400);
    expect((await fetch(`${c!.base}/history?channel=a&limit=1`)).status).toBe(401);
  });

  it('a store without readBefore answers UNSUPPORTED (501), not a crash', async () => {
    const inner = memoryStore();
    c = await startCompanion('node', { ...baseOptions(), store: wrapStore(inner, {}) });
    const s = await socketFor(c.url);
    sockets.push(s);
    expect(await history(s, { channel: 'a', limit: 1 })).toMatchObject({ ok: false, code: 'UNSUPPORTED' });
    expect((await fetch(`${c.base}/history?channel=a&limit=1`, { headers: authHeaders() })).status).toBe(501);
  });
});
