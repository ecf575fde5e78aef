/**
 * Cursor expiry as a user sees it, against the real companion on every carrier: one
 * `CURSOR_EXPIRED` error naming the channel, then live events again; and a server event that
 * merely has an expiry-looking name is an ordinary event.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type LifelineClient, type LifelineError, type TransportName } from '@lifeline/core';
import type { EventStore, Lifeline } from '@lifeline/server';
import { delay, waitFor, type TestServer } from '@lifeline/testkit';
import { FAST, restartableStore, startCompanion } from './setup';

let server: TestServer | undefined;
let lifeline: Lifeline | undefined;
let client: LifelineClient | undefined;

afterEach(async () => {
  client?.close();
  await lifeline?.close();
  await server?.close();
  server = lifeline = client = undefined;
});

async function connect(transport: TransportName, store: EventStore) {
  ({ server, lifeline } = await startCompanion('/ns', { store, authenticate: () => ({ name: 'ada' }) }));
  const c = createClient({ url: server.url, namespace: '/ns', transports: [transport], http: { url: `${server.url}/lifeline`, wait: 5 }, reconnect: FAST });
  client = c;
  const errors: LifelineError[] = [];
  c.on('error', (e) => errors.push(e));
  const room = c.channel('c');
  const got: unknown[] = [];
  room.on('e', (data) => got.push(data));
  await waitFor(() => c.getState().status === 'connected', { message: `connected over ${transport}` });
  const l = lifeline!;
  await waitFor(() => (transport === 'http' ? l.stats().waitingPolls === 1 : l.stats().socketSubscriptions === 1), { message: 'joined' });
  await l.publish('c', 'e', 'first');
  await waitFor(() => got.includes('first'), { message: 'joined' });
  return { c, l, room, got, errors };
}

const expiredErrors = (errors: LifelineError[]) => errors.filter((e) => e.code === 'CURSOR_EXPIRED').map((e) => e.details.channel);

describe.each(['websocket', 'polling', 'http'] as const)('cursor expiry over %s', (transport) => {
  it('a rejoin from a cursor the log no longer keeps: one CURSOR_EXPIRED naming the channel, then live events', async () => {
    const { store } = restartableStore(3);
    const { c, l, got, errors } = await connect(transport, store);
    c.disconnect();
    for (let i = 0; i < 10; i++) await l.publish('c', 'e', `missed ${i}`);
    c.connect();
    await waitFor(() => expiredErrors(errors).length > 0, { message: 'CURSOR_EXPIRED' });
    await delay(100);
    await l.publish('c', 'e', 'live');
    await waitFor(() => got.includes('live'), { message: 'live after expiry' });
    expect(expiredErrors(errors)).toEqual(['c']);
    expect(errors.map((e) => e.code)).toEqual(['CURSOR_EXPIRED']);
  });

  it('an event published while the server answers the expiry is not lost: the client resumes from the latest id the answer carries', async () => {
    const { store } = restartableStore(3);
    let gap: (() => Promise<void>) | undefined;
    // A read from an expired cursor fails with the log's latest id; an event published right then
    // (while the expiry is answered) lands after that id.
    const gapStore: EventStore = {
      ...store,
      readAfter: async (cursor, limit) => {
        try {
          return await store.readAfter(cursor, limit);
        } catch (error) {
          const publish = gap;
          gap = undefined;
          await publish?.();
          throw error;
        }
      },
    };
    const { c, l, got, errors } = await connect(transport, gapStore);
    // The http rung polls again (from the cursor of "first") as soon as "first" arrives. Disconnect
    // only once the server holds that poll: a poll still on its way would reach the server's read
    // of the log at any later time (after the publishes below, after the gap is armed) and, from
    // the old cursor, fail and publish "in the gap" before the client even reconnects, so the
    // client then rightly resumes after it (a race this test is not about; it failed whenever the
    // server was slow to take the request, e.g. under load or with a 150 ms authenticate).
    await waitFor(() => l.stats().waitingPolls === (transport === 'http' ? 1 : 0), { message: 'the poll after "first" is held' });
    c.disconnect();
    for (let i = 0; i < 10; i++) await l.publish('c', 'e', `missed ${i}`);
    // That held poll ends when the server sees the client go (no read) or when a publish above
    // wakes it (its read, from the old cursor, runs before this wait returns): either way before
    // the gap is armed.
    await waitFor(() => l.stats().waitingPolls === 0, { message: 'the old long-poll answered' });
    gap = () => l.publish('c', 'e', 'in the gap').then(() => undefined);
    c.connect();
    await waitFor(() => got.includes('in the gap'), { message: 'the event published while the expiry was answered' });
    await l.publish('c', 'e', 'live');
    await waitFor(() => got.includes('live'), { message: 'live after expiry' });
    await delay(100);
    expect(got.filter((d) => d === 'in the gap')).toHaveLength(1);
    expect(errors.map((e) => e.code)).toEqual(['CURSOR_EXPIRED']);
  });

  it('a server event named "lifeline:cursor-expired" is delivered like any other and does not reset the cursor', async () => {
    const { store } = restartableStore(1000);
    const { c, l, room, got, errors } = await connect(transport, store);
    const odd: unknown[] = [];
    room.on('lifeline:cursor-expired', (data) => odd.push(data));
    await l.publish('c', 'lifeline:cursor-expired', { message: 'app data' });
    await l.publish('c', 'e', 'second');
    await waitFor(() => got.includes('second'), { message: 'second' });
    expect(odd).toEqual([{ message: 'app data' }]);
    // Reconnecting resumes after "second": nothing is replayed twice, nothing reported expired.
    c.disconnect();
    await l.publish('c', 'e', 'while away');
    c.connect();
    await waitFor(() => got.includes('while away'), { message: 'replay after reconnect' });
    await delay(100);
    expect(got).toEqual(['first', 'second', 'while away']);
    expect(errors).toEqual([]);
  });
});

describe('cursor expiry of a joined channel on the http rung', () => {
  it('the server restarts with an empty log while joined: one CURSOR_EXPIRED naming the channel, then live events', async () => {
    const { store, restart } = restartableStore(1000);
    const { l, got, errors } = await connect('http', store);
    for (let i = 2; i <= 5; i++) await l.publish('c', 'e', i);
    await waitFor(() => got.includes(5));
    restart();
    await l.publish('c', 'e', 'after restart'); // the poll's cursor is now from the future: 410
    await waitFor(() => expiredErrors(errors).length > 0, { message: 'CURSOR_EXPIRED' });
    await l.publish('c', 'e', 'live');
    await waitFor(() => got.includes('live'), { message: 'live after expiry' });
    await delay(100);
    expect(expiredErrors(errors)).toEqual(['c']);
    expect(errors.map((e) => e.code)).toEqual(['CURSOR_EXPIRED']);
  });
});
