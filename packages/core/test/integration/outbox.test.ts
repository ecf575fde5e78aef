import { isLifelineError } from '@lifeline/core';
import { waitFor } from '@lifeline/testkit';
import { describe, expect, it } from 'vitest';
import { lifelineHandlers, rigPerTest } from './setup';

const rig = rigPerTest();

describe('outbox and acks', () => {
  it('queues emits while down and flushes them in order across a disconnect', async () => {
    const seen: number[] = [];
    const r = await rig('pass', (io) => {
      lifelineHandlers(io); // its `echo` acks the payload
      io.on('connection', (s) => s.on('note', (n: number) => seen.push(n)));
    });
    const client = r.client({ autoConnect: false });
    client.emit('note', 1);
    client.emit('note', 2);
    const reply = client.emit<{ ok: number }>('echo', { ok: 3 }, { ack: true, timeoutMs: 3000 });
    client.connect();
    await expect(reply).resolves.toEqual({ ok: 3 });
    await waitFor(() => seen.length === 2, { message: 'first flush' });
    r.proxy.setMode('down');
    await waitFor(() => client.getState().status !== 'connected', { message: 'lost' });
    client.emit('note', 3);
    client.emit('note', 4);
    r.proxy.setMode('pass');
    await waitFor(() => seen.length === 4, { message: 'second flush', timeoutMs: 5000 });
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('rejects with ACK_TIMEOUT when the server never acknowledges', async () => {
    const r = await rig('pass', (io) => io.on('connection', (s) => s.on('slow', () => {})));
    const client = r.client();
    await waitFor(() => client.getState().status === 'connected', { message: 'connected' });
    const err = await client.emit('slow', 1, { ack: true, timeoutMs: 150 }).catch((e: unknown) => e);
    expect(isLifelineError(err) && err.code).toBe('ACK_TIMEOUT');
  });

  it('OUTBOX_FULL: an ack emit rejects, a plain emit becomes an error event', async () => {
    const r = await rig();
    const client = r.client({ autoConnect: false, outbox: { maxSize: 1 } });
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.code));
    client.emit('a', 1);
    client.emit('b', 2);
    const err = await client.emit('c', 3, { ack: true }).catch((e: unknown) => e);
    expect(isLifelineError(err) && err.code).toBe('OUTBOX_FULL');
    expect(errors).toEqual(['OUTBOX_FULL']);
  });
});
