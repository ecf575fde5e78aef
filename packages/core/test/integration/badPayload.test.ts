import { isLifelineError, loadHints, type LifelineError } from '@lifeline/core';
import { waitFor } from '@lifeline/testkit';
import { describe, expect, it } from 'vitest';
import { lifelineHandlers, rigPerTest } from './setup';

const rig = rigPerTest();
/** A rig whose server records every `note` payload it receives, in order (`echo` acks as usual). */
async function rigRecordingNotes() {
  const seen: number[] = [];
  const r = await rig('pass', (io) => {
    lifelineHandlers(io);
    io.on('connection', (s) => s.on('note', (n: number) => seen.push(n)));
  });
  return { r, seen };
}
const cyclic = (): Record<string, unknown> => {
  const o: Record<string, unknown> = { a: 1 };
  o.self = o;
  return o;
};

describe('emit with a payload that cannot be sent', () => {
  it.each([
    ['a BigInt', () => ({ n: 10n })],
    ['a cycle', cyclic],
    ['a toJSON that throws', () => ({ toJSON: () => { throw new Error('not today'); } })],
  ])('%s: BAD_INPUT at the call while connected, and the connection carries on', async (_what, payload) => {
    const { r, seen } = await rigRecordingNotes();
    const client = r.client();
    await waitFor(() => client.getState().status === 'connected', { message: 'connected' });
    let thrown: unknown;
    try {
      client.emit('note', payload());
    } catch (e) {
      thrown = e;
    }
    expect(isLifelineError(thrown) && thrown.code).toBe('BAD_INPUT');
    expect((thrown as LifelineError).message).toContain('"note"');
    await loadHints(); // thrown at the call: its hint reads in full once the hint texts loaded
    expect((thrown as LifelineError).hint).toMatch(/JSON/);
    const rejected = await client.emit('echo', payload(), { ack: true }).catch((e: unknown) => e);
    expect(isLifelineError(rejected) && rejected.code).toBe('BAD_INPUT');
    client.emit('note', 1);
    await expect(client.emit('echo', 'still here', { ack: true })).resolves.toBe('still here');
    await waitFor(() => seen.length === 1, { message: 'a good emit after the bad one' });
    expect(client.getState().status).toBe('connected');
  });

  it('refused while offline too: it never enters the outbox, so the flush on connect delivers the rest in order', async () => {
    const { r, seen } = await rigRecordingNotes();
    const client = r.client({ autoConnect: false });
    client.emit('note', 1);
    expect(() => client.emit('note', cyclic())).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    const rejected = await client.emit('note', { n: 1n }, { ack: true }).catch((e: unknown) => e);
    expect(isLifelineError(rejected) && rejected.code).toBe('BAD_INPUT');
    client.emit('note', 2);
    client.connect();
    await waitFor(() => seen.length === 2, { message: 'flushed' });
    expect(seen).toEqual([1, 2]);
    expect(client.getState().status).toBe('connected');
    expect(client.getState().lastError).toBeNull();
  });
});

describe('a queued payload whose toJSON throws when the outbox flushes', () => {
  it('fails alone (error event, or the ack rejects); the emits around it are delivered in order', async () => {
    const { r, seen } = await rigRecordingNotes();
    const client = r.client({ autoConnect: false });
    const errors: string[] = [];
    client.on('error', (e) => errors.push(`${e.code}: ${e.message}`));
    const late = () => ({ toJSON: () => { throw new Error('not serializable yet'); } });
    client.emit('note', 1);
    client.emit('note', late());
    const acked = client.emit('echo', late(), { ack: true }).catch((e: unknown) => e);
    client.emit('note', 2);
    client.connect();
    await waitFor(() => seen.length === 2, { message: 'the rest flushed' });
    expect(seen).toEqual([1, 2]);
    const rejected = await acked;
    expect(isLifelineError(rejected) && rejected.code).toBe('BAD_INPUT');
    expect(errors).toEqual(['BAD_INPUT: The "note" payload cannot be sent: not serializable yet.']);
    expect(client.getState().status).toBe('connected');
  });
});
