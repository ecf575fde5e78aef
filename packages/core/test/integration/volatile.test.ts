/**
 * Volatile emits (`{ volatile: true }`) against the real companion behind the fault proxy:
 * delivered while connected (websocket and the http rung), dropped while disconnected — not
 * queued in the outbox, not sent after the reconnect, no error — and one POST, never retried.
 */
import { createClient, type ClientOptions, type LifelineClient } from '@lifeline/core';
import { memoryStore, type Lifeline } from '@lifeline/server';
import { delay, startProxy, waitFor, type FaultProxy, type TestServer } from '@lifeline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpTransport } from '../../src/transports/http';
import { contextFor, scriptedServer, type Scripted } from './httpHelpers';
import { FAST, startCompanion } from './setup';

let server: TestServer | undefined;
let lifeline: Lifeline | undefined;
let proxy: FaultProxy | undefined;
let client: LifelineClient | undefined;
let scripted: Scripted | undefined;

afterEach(async () => {
  client?.close();
  await proxy?.close();
  await lifeline?.close();
  await server?.close();
  await scripted?.close();
  server = lifeline = proxy = client = scripted = undefined;
});

async function rig(options: Partial<ClientOptions> | ((proxyUrl: string) => Partial<ClientOptions>) = {}) {
  ({ server, lifeline } = await startCompanion('/ns', { store: memoryStore() }));
  proxy = await startProxy(server.port, 'pass');
  const seen = { typing: [] as unknown[], marker: [] as unknown[] };
  lifeline.on('typing', (data) => void seen.typing.push(data));
  lifeline.on('marker', (data) => (seen.marker.push(data), 'ok'));
  const extra = typeof options === 'function' ? options(proxy.url) : options;
  client = createClient({ url: proxy.url, namespace: '/ns', reconnect: FAST, outbox: { maxSize: 1 }, ...extra } as ClientOptions);
  const errors: string[] = [];
  client.on('error', (e) => errors.push(e.code));
  return { seen, errors, client, proxy, lifeline };
}

describe('volatile emits', () => {
  it('websocket: delivered while connected; while disconnected dropped, never queued, never sent later', async () => {
    const { seen, errors, client: c, proxy: p } = await rig({ transports: ['websocket'] });
    await waitFor(() => c.getState().status === 'connected', { message: 'connected' });
    c.emit('typing', { n: 1 }, { volatile: true });
    await waitFor(() => seen.typing.length === 1, { message: 'volatile delivered while connected' });
    expect(seen.typing).toEqual([{ n: 1 }]);

    p.setMode('down');
    await waitFor(() => c.getState().status !== 'connected', { message: 'disconnected' });
    for (let n = 2; n <= 6; n++) c.emit('typing', { n }, { volatile: true });
    // The outbox holds one item: were any volatile emit queued, this one would be OUTBOX_FULL.
    const marker = c.emit('marker', 'after', { ack: true, timeoutMs: 5000 });
    p.setMode('pass');
    await expect(marker).resolves.toBe('ok');
    await delay(200);
    expect(seen.typing).toEqual([{ n: 1 }]); // none of the five was sent after the reconnect
    expect(errors).toEqual([]); // dropped silently: not an error, not OUTBOX_FULL
  });

  it('http rung: a best-effort POST while connected; dropped while down', async () => {
    const { seen, errors, client: c, proxy: p } = await rig((url) => ({ transports: ['http'], http: { url: `${url}/lifeline`, wait: 1 } }));
    await waitFor(() => c.getState().status === 'connected', { message: 'connected over http' });
    expect(c.getState().transport).toBe('http');
    c.emit('typing', { n: 1 }, { volatile: true });
    await waitFor(() => seen.typing.length === 1, { message: 'volatile POST delivered' });

    p.setMode('down');
    await waitFor(() => c.getState().status !== 'connected', { message: 'disconnected', timeoutMs: 8000 });
    for (let n = 2; n <= 4; n++) c.emit('typing', { n }, { volatile: true });
    const marker = c.emit('marker', 'after', { ack: true, timeoutMs: 8000 });
    p.setMode('pass');
    await expect(marker).resolves.toBe('ok');
    await delay(200);
    expect(seen.typing).toEqual([{ n: 1 }]);
    expect(errors.filter((e) => e === 'OUTBOX_FULL')).toEqual([]);
  });

  it('is refused with BAD_INPUT when combined with ack, and on a closed client', async () => {
    const { client: c } = await rig({ autoConnect: false });
    await expect(c.emit('typing', 1, { volatile: true, ack: true } as never) as unknown as Promise<unknown>).rejects.toMatchObject({ code: 'BAD_INPUT' });
    c.emit('typing', 1, { volatile: true }); // idle: dropped, no throw
    c.close();
    expect(() => c.emit('typing', 1, { volatile: true })).toThrow(/closed/);
  });

  it('http transport: one POST for a volatile emit, not retried on a 503', async () => {
    scripted = await scriptedServer((req) => (req.method === 'POST' ? [503, {}, ''] : [200, { 'content-type': 'application/json' }, '{"events":[],"cursor":"0"}']));
    const t = createHttpTransport(contextFor({ url: scripted.url, wait: 0, intervalMs: 50 }));
    let opened = false;
    t.on('open', () => (opened = true));
    t.connect();
    await waitFor(() => opened, { message: 'open' });
    t.send('typing', { n: 1 }, undefined, true);
    await delay(1200); // a retried emit would have gone again after 250 ms and 500 ms
    t.close();
    expect(scripted.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});
