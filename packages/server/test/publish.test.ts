/** `publish()` against a real server: data JSON cannot encode is refused before anything is logged or sent. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket as ClientSocket } from 'socket.io-client';
import { LifelineServerError } from '@lifeline/server';
import { waitFor } from '@lifeline/testkit';
import { authHeaders, baseOptions, join, record, socketFor, startCompanion, type Companion } from './helpers';
import { NOT_JSON } from './storeContract';

let companion: Companion;
const sockets: ClientSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await companion?.close();
});

describe('publish()', () => {
  it('refuses data JSON cannot encode with a typed BAD_REQUEST: nothing is logged, no socket or poll gets it, onError stays quiet, later publishes flow', async () => {
    const errors: unknown[] = [];
    companion = await startCompanion('node', { ...baseOptions(), onError: (e) => errors.push(e) });
    const socket = await socketFor(companion.url);
    sockets.push(socket);
    const seen = record(socket);
    expect(await join(socket, 'c', '0')).toEqual({ ok: true, cursor: '0' });
    const polled = fetch(`${companion.base}/poll?channels=c&cursor=0&wait=5`, { headers: authHeaders() });
    await waitFor(() => companion.lifeline.stats().waitingPolls === 1, { message: 'poll waiting' });

    for (const [what, data] of NOT_JSON) {
      const refused = await companion.lifeline.publish('c', 'e', data).then(() => undefined, (e: unknown) => e);
      expect(refused, what).toBeInstanceOf(LifelineServerError);
      expect(refused, what).toMatchObject({ code: 'BAD_REQUEST', details: { channel: 'c', event: 'e' } });
      expect((refused as Error).message, what).toMatch(/^publish\("c", "e"\): data is not JSON-serializable .*BigInt.*cyclic/);
    }
    expect(await companion.lifeline.store.latest()).toBe('0');
    expect(companion.lifeline.stats().waitingPolls).toBe(1);

    await companion.lifeline.publish('c', 'ok', { n: 1 });
    const answer = await polled;
    expect([answer.status, await answer.json()]).toEqual([200, { events: [{ id: '1', channel: 'c', event: 'ok', data: { n: 1 } }], cursor: '1' }]);
    await waitFor(() => seen.length === 1, { message: 'the valid publish reached the socket' });
    expect(seen).toEqual([{ id: '1', channel: 'c', event: 'ok', data: { n: 1 } }]);
    // A replay after the refusals reads a clean log (was: a 500 for every poll from before them).
    const replay = await fetch(`${companion.base}/poll?channels=c&cursor=0&wait=0`, { headers: authHeaders() });
    expect(replay.status).toBe(200);
    expect(errors).toEqual([]);
  });
});
