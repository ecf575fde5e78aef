/**
 * History against the real companion: `channel.history()` (validated like live events,
 * authorized like a join), `client.channel(name, { rewind })` and `{ since }` — nothing lost or
 * doubled between the replayed part and live events, on websocket and on the http rung.
 */
import { createClient, isLifelineError, type ClientOptions, type LifelineClient } from '@lifeline/core';
import { memoryStore, type Lifeline } from '@lifeline/server';
import { delay, waitFor, type TestServer } from '@lifeline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FAST, startCompanion } from './setup';

let server: TestServer | undefined;
let lifeline: Lifeline<{ name: string }> | undefined;
const clients: LifelineClient<never>[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await lifeline?.close();
  await server?.close();
  server = lifeline = undefined;
});

const events = { n: z.number(), note: z.string() };

async function companion() {
  ({ server, lifeline } = await startCompanion('/ns', {
    store: memoryStore(),
    authenticate: (auth) => (auth.token === 'ada' || auth.token === 'bob' ? { name: auth.token } : null),
    authorize: (user, channel) => user.name === 'ada' || !channel.startsWith('private:'),
  }));
  return lifeline;
}

const RUNGS = [
  ['websocket', (url: string): Partial<ClientOptions> => ({ transports: ['websocket'] })],
  ['http', (url: string): Partial<ClientOptions> => ({ transports: ['http'], http: { url: `${url}/lifeline`, wait: 1 } })],
] as const;

function client(over: Partial<ClientOptions>, token = 'ada') {
  const c = createClient({ url: server!.url, namespace: '/ns', auth: { token }, reconnect: FAST, events, ...over } as ClientOptions<typeof events>);
  clients.push(c as never);
  return c;
}

describe.each(RUNGS)('history on %s', (_rung, rungOptions) => {
  it('channel.history(): the last events, oldest first, paged with before, validated', async () => {
    const l = await companion();
    for (let i = 0; i < 10; i++) await l.publish(i % 2 ? 'other' : 'feed', 'n', i);
    await l.publish('feed', 'n', 'not a number'); // fails the schema: left out, reported
    await l.publish('feed', 'note', 'last');
    const c = client(rungOptions(server!.url));
    const errors: string[] = [];
    c.on('error', (e) => errors.push(e.code));
    const feed = c.channel('feed');
    const last = await feed.history({ limit: 4 }); // waits for the connection
    expect(last.map((e) => [e.event, e.data])).toEqual([['n', 6], ['n', 8], ['note', 'last']]);
    await waitFor(() => errors.length > 0, { message: 'the invalid entry reported' }); // error events wait for the lazy hints
    expect(errors).toEqual(['VALIDATION']);
    expect(Object.isFrozen(last)).toBe(true);
    const older = await feed.history({ limit: 2, before: last[0]!.id });
    expect(older.map((e) => e.data)).toEqual([2, 4]);
    await expect(feed.history({ limit: 0 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('rewind: the last N events first, then live, nothing lost or doubled', async () => {
    const l = await companion();
    for (let i = 0; i < 30; i++) await l.publish('feed', 'n', i);
    const c = client(rungOptions(server!.url));
    const got: number[] = [];
    c.channel('feed', { rewind: 5 }).on('n', (n) => got.push(n));
    // Publish while the client connects, rewinds and joins: every one arrives once, in order.
    for (let i = 30; i < 40; i++) {
      await l.publish('feed', 'n', i);
      await delay(15);
    }
    await waitFor(() => got.at(-1) === 39, { message: `up to 39, got ${JSON.stringify(got)}`, timeoutMs: 8000 });
    await delay(300);
    // The last 5 as of the history read (which ran while 30–39 were being published), then every
    // later one: consecutive, each once.
    const first = got[0]!;
    expect(first).toBeGreaterThanOrEqual(25);
    expect(got).toEqual(Array.from({ length: 40 - first }, (_, i) => first + i));
    expect(got.length).toBeGreaterThanOrEqual(5);
  });

  it('rewind on a quiet channel: exactly the last N, then live', async () => {
    const l = await companion();
    for (let i = 0; i < 30; i++) await l.publish(i % 2 ? 'feed' : 'other', 'n', i);
    const c = client(rungOptions(server!.url));
    const got: number[] = [];
    c.channel('feed', { rewind: 3 }).on('n', (n) => got.push(n));
    await waitFor(() => got.length === 3, { message: 'rewound' });
    expect(got).toEqual([25, 27, 29]);
    await l.publish('feed', 'n', 30);
    await waitFor(() => got.length === 4, { message: 'live' });
    await delay(200);
    expect(got).toEqual([25, 27, 29, 30]);
  });

  it('since: continues from exactly that id', async () => {
    const l = await companion();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await l.publish('feed', 'n', i)).id);
    const c = client(rungOptions(server!.url));
    const got: number[] = [];
    c.channel('feed', { since: ids[6]! }).on('n', (n) => got.push(n));
    await waitFor(() => got.length === 3, { message: 'replayed after since' });
    await l.publish('feed', 'n', 10);
    await waitFor(() => got.length === 4, { message: 'live after the replay' });
    await delay(200);
    expect(got).toEqual([7, 8, 9, 10]);
  });

  it('history of a channel authorize refuses: FORBIDDEN', async () => {
    const l = await companion();
    await l.publish('private:x', 'n', 1);
    const c = client(rungOptions(server!.url), 'bob');
    const err = await c.channel('private:x').history({ limit: 5 }).catch((e: unknown) => e);
    expect(isLifelineError(err) && err.code).toBe('FORBIDDEN');
  });
});

describe('history options', () => {
  it('bad rewind / since are BAD_INPUT; history waits for a connection, then TIMEOUT', async () => {
    await companion();
    const c = client({ autoConnect: false });
    expect(() => c.channel('a', { rewind: 0 })).toThrow(/rewind/);
    expect(() => c.channel('a', { since: 'abc' })).toThrow(/since/);
    const err = await c.channel('a').history({ limit: 1, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(isLifelineError(err) && err.code).toBe('TIMEOUT');
  });
});
