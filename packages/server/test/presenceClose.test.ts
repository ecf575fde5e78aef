/**
 * close() releases presence: a member in its grace period (a timer pending) and a batch in flight
 * leave no timer behind, and nothing is sent after close.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '@lifeline/server';
import { delay, waitFor } from '@lifeline/testkit';
import { socketFor, startCompanion, type Companion, type User } from './helpers';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

let c: Companion | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

describe('presence and close()', () => {
  it('a pending grace period and batch are released by close()', async () => {
    c = await startCompanion('node', {
      store: memoryStore(),
      authenticate: (auth) => (typeof auth.token === 'string' ? ({ name: auth.token } as User) : null),
      presence: true,
      presenceOf: (user) => ({ id: user.name }),
      presenceGraceMs: 60_000,
    });
    const s = await socketFor(c.url, { token: 'ada' });
    const snapshots: unknown[] = [];
    s.on('lifeline:presence', (m: unknown) => snapshots.push(m));
    await s.timeout(5000).emitWithAck('lifeline:join', { channel: 'room' });
    await waitFor(() => snapshots.length > 0, { message: 'snapshot after the join' });
    expect(snapshots[0]).toEqual({ channel: 'room', members: [{ id: 'ada', data: null, connections: 1 }], v: expect.stringMatching(/^[\w-]+\.[1-9]\d*$/) });
    s.close(); // ada enters a 60 s grace period: its timer is pending
    await delay(200);
    const pending = timers();
    await c.lifeline.close();
    await delay(50);
    expect(timers()).toBe(pending - 1); // the grace timer is gone with close()
  });
});
