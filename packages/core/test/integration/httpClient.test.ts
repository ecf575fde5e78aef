/**
 * A full Lifeline client forced onto the `http` rung, against the real companion: every published
 * id exactly once and in order, acks over POST /emit, and the request rate of an idle client.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type LifelineClient } from '@lifeline/core';
import { memoryStore, type Lifeline } from '@lifeline/server';
import { startProxy, waitFor, delay, type FaultProxy, type TestServer } from '@lifeline/testkit';
import { startCompanion } from './setup';

let server: TestServer | undefined;
let lifeline: Lifeline | undefined;
let proxy: FaultProxy | undefined;
let client: LifelineClient | undefined;

afterEach(async () => {
  client?.close();
  await proxy?.close();
  await lifeline?.close();
  await server?.close();
  server = lifeline = proxy = client = undefined;
});

async function companion() {
  ({ server, lifeline } = await startCompanion('/ns', {
    store: memoryStore({ maxEvents: 10_000 }),
    authenticate: (auth) => (auth.token === 'ada-token' ? { name: 'ada' } : null),
  }));
  return lifeline;
}

describe('Lifeline client on the http rung', () => {
  it('receives every published id exactly once, in order, and gets acks over POST /emit', async () => {
    const l = await companion();
    l.on('echo', (data) => ({ echoed: data }));
    client = createClient({
      url: server!.url,
      namespace: '/ns',
      auth: { token: 'ada-token' },
      transports: ['http'],
      http: { url: `${server!.url}/lifeline`, wait: 5 },
      reconnect: { attempts: 3, delayMs: 50, maxDelayMs: 200, timeoutMs: 2000 },
    });
    const ids: string[] = [];
    client.channel('feed').on('tick', (_data, meta) => ids.push(meta.id ?? '?'));
    await waitFor(() => client!.getState().status === 'connected' && client!.getState().transport === 'http', { message: 'connected over http' });
    await waitFor(() => l.stats().waitingPolls === 1, { message: 'channel joined, long-poll held' });
    const published: string[] = [];
    for (let i = 0; i < 200; i++) {
      published.push((await l.publish('feed', 'tick', i)).id);
      if (i % 50 === 0) await delay(5);
    }
    await waitFor(() => ids.length >= 200, { message: '200 events' });
    await delay(100);
    expect(ids).toEqual(published);
    expect(await client.emit('echo', { a: 1 }, { ack: true, timeoutMs: 2000 })).toEqual({ echoed: { a: 1 } });
  });

  it('an idle client long-polls: at most 3 requests per minute (measured over 2 s with wait=1, extrapolated to wait=25)', async () => {
    await companion();
    proxy = await startProxy(server!.port, 'pass');
    client = createClient({
      url: proxy.url,
      namespace: '/ns',
      auth: { token: 'ada-token' },
      transports: ['http'],
      http: { url: `${proxy.url}/lifeline`, wait: 1 },
    });
    client.channel('quiet');
    await waitFor(() => client!.getState().status === 'connected');
    await delay(300); // connect + join polls settle
    const before = proxy.stats.requests;
    await delay(2000);
    const perSecondOfWait = (proxy.stats.requests - before) / 2; // with wait=1: ≈ 1 request per second
    // It does long-poll: a client that stopped polling would also stay under the ceiling.
    expect(perSecondOfWait).toBeGreaterThanOrEqual(0.5);
    expect(perSecondOfWait).toBeLessThanOrEqual(1.5);
    // Each idle request is held `wait` seconds, so with the default wait=25 the rate is 60 / 25.
    const perMinuteAtDefault = (perSecondOfWait * 60) / 25;
    expect(perMinuteAtDefault).toBeLessThanOrEqual(3);
  });
});
