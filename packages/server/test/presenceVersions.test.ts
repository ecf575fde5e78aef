/**
 * Presence versions on the wire (docs/protocol.md, "Presence"), raw Socket.IO clients against the
 * real companion: every change names the version it follows (`prev`) and its own (`v`), chained
 * per channel; a snapshot carries the current version; `lifeline:presence { channel }` from a
 * joined socket gets it a snapshot (only it), from a socket not joined to the channel nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore, type EventStore } from '@lifeline/server';
import { delay, waitFor } from '@lifeline/testkit';
import { socketFor, startCompanion, type Companion, type User } from './helpers';

let c: Companion | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

type Frame = { channel: string; members?: Array<{ id: string }>; set?: Array<{ id: string }>; del?: string[]; v: string; prev?: string };

/** A raw socket of `token`'s user on the companion, with every presence frame it receives. */
async function open(token: string) {
  const s = await socketFor(c!.url, { token });
  const frames: Frame[] = [];
  s.on('lifeline:presence', (m: Frame) => frames.push(m));
  return { s, frames };
}

describe('presence versions', () => {
  it('changes chain by version, a snapshot carries the current one, a joined socket that asks gets a snapshot', async () => {
    c = await startCompanion('node', {
      store: memoryStore(),
      authenticate: (auth) => (typeof auth.token === 'string' ? ({ name: auth.token } as User) : null),
      presence: true,
      presenceOf: (user) => ({ id: user.name }),
      presenceGraceMs: 0,
    });
    const ada = await open('ada');
    await ada.s.timeout(5000).emitWithAck('lifeline:join', { channel: 'room' });
    await waitFor(() => ada.frames.length === 1, { message: "ada's snapshot" });
    const v1 = ada.frames[0]!.v;
    expect(ada.frames[0]).toEqual({ channel: 'room', members: [{ id: 'ada', data: null, connections: 1 }], v: expect.stringMatching(/\.[1-9]\d*$/) });

    const bob = await open('bob');
    await bob.s.timeout(5000).emitWithAck('lifeline:join', { channel: 'room' });
    await waitFor(() => ada.frames.length === 2 && bob.frames.length === 1, { message: "ada's change, bob's snapshot" });
    const v2 = ada.frames[1]!.v;
    expect(ada.frames[1]).toEqual({ channel: 'room', set: [{ id: 'bob', data: null, connections: 1 }], del: [], v: v2, prev: v1 });
    expect(v2).not.toBe(v1);
    expect(bob.frames[0]).toMatchObject({ channel: 'room', members: [{ id: 'ada' }, { id: 'bob' }], v: v2 });

    // ada asks (it missed something): a snapshot at the current version, to ada only.
    ada.s.emit('lifeline:presence', { channel: 'room' });
    await waitFor(() => ada.frames.length === 3, { message: "ada's snapshot asked for" });
    expect(ada.frames[2]).toMatchObject({ channel: 'room', members: [{ id: 'ada' }, { id: 'bob' }], v: v2 });
    // A socket not joined to the channel gets nothing (presence is for those authorize let in).
    const cy = await open('cy');
    cy.s.emit('lifeline:presence', { channel: 'room' });
    await delay(200);
    expect(cy.frames).toEqual([]);
    expect(bob.frames).toHaveLength(1);

    // bob leaves: the next change follows v2.
    await bob.s.timeout(5000).emitWithAck('lifeline:leave', { channel: 'room' });
    await waitFor(() => ada.frames.length === 4, { message: 'bob left' });
    expect(ada.frames[3]).toMatchObject({ channel: 'room', set: [], del: ['bob'], prev: v2 });
    for (const x of [ada, bob, cy]) x.s.close();
  });

  it("a socket's first presence frame is its snapshot, after its join's answer: a change while its join reads the log is not sent to it; a socket whose user is no member gets one too", async () => {
    const mem = memoryStore();
    let slowNext = false;
    /** The log, whose next `latest()` (a join without cursor reads it) takes 300 ms. */
    const store = new Proxy(mem, {
      get(target, key) {
        if (key === 'latest') {
          return async () => {
            if (slowNext) {
              slowNext = false;
              await delay(300);
            }
            return target.latest();
          };
        }
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) as EventStore;
    c = await startCompanion('node', {
      store,
      authenticate: (auth) => (typeof auth.token === 'string' ? ({ name: auth.token } as User) : null),
      presence: true,
      presenceOf: (user) => (user.name === 'anon' ? null : { id: user.name }),
      presenceGraceMs: 0,
    });
    const [ada, bob, cy, anon] = await Promise.all(['ada', 'bob', 'cy', 'anon'].map(open));
    await ada!.s.timeout(5000).emitWithAck('lifeline:join', { channel: 'room' });
    await waitFor(() => ada!.frames.length === 1, { message: "ada's snapshot" });
    slowNext = true;
    const bobJoined = bob!.s.timeout(5000).emitWithAck('lifeline:join', { channel: 'room' }); // reads the log for 300 ms
    await delay(50);
    await cy!.s.timeout(5000).emitWithAck('lifeline:join', { channel: 'room' });
    await waitFor(() => ada!.frames.length === 2, { message: 'ada sees cy join' });
    await bobJoined;
    await waitFor(() => bob!.frames.length > 0, { message: "bob's first frame" });
    await delay(100);
    expect(bob!.frames).toEqual([{ channel: 'room', members: [{ id: 'ada', data: null, connections: 1 }, { id: 'bob', data: null, connections: 1 }, { id: 'cy', data: null, connections: 1 }], v: ada!.frames.at(-1)!.v }]);

    await anon!.s.timeout(5000).emitWithAck('lifeline:join', { channel: 'room' });
    await waitFor(() => anon!.frames.length > 0, { message: "anon's snapshot" });
    expect(anon!.frames[0]).toMatchObject({ channel: 'room', members: [{ id: 'ada' }, { id: 'bob' }, { id: 'cy' }] });
    for (const x of [ada, bob, cy, anon]) x!.s.close();
  });
});
