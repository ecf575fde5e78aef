/**
 * What a hostile or broken client can send, against the real companion: channel names that try
 * to reach another room (fuzzed), more channels than a connection may hold, lifeline:* events of
 * any arity, and a request body that never arrives.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket as ClientSocket } from 'socket.io-client';
import type { StoredEvent } from '@lifeline/server';
import { waitFor } from '@lifeline/testkit';
import { authHeaders, baseOptions, join, record, socketFor, startCompanion, type Companion } from './helpers';

let companion: Companion;
const sockets: ClientSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await companion?.close();
});

async function open(token = 'ada-token') {
  const s = await socketFor(companion.url, { token });
  sockets.push(s);
  return s;
}

/** The server side of a client socket. */
const serverSocket = (s: ClientSocket) => companion.io.of('/ns').sockets.get(s.id!)!;

/** mulberry32: a small seeded PRNG, so a failing run can be replayed from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random channel names meant to land in another room: control characters, the internal room prefix, other sockets' ids, long and odd names. */
function hostileNames(seed: number, n: number, victims: { socketId: string; channel: string }): string[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const PRINTABLE = ['a', 'b', ':', '*', ',', '%', ' ', '\u2028', 'é', '😀', '\ud800', '/', '\\', '"', '#', '+', '?', '&'];
  const CONTROL = ['\u0000', '\u0001', '\u001f', '\u007f', '\u0085', '\u009f'];
  const names = [
    `\u0000lifeline:1:${victims.channel}`,
    `\u0000lifeline:2:${victims.channel}`,
    `\u0000lifeline:`,
    `lifeline:1:${victims.channel}`,
    victims.socketId,
    '__proto__',
    'constructor',
    'x'.repeat(200),
    'x'.repeat(201),
    'x'.repeat(100_000),
    '',
  ];
  while (names.length < n) {
    const len = 1 + Math.floor(rnd() * (rnd() < 0.1 ? 400 : 24));
    let name = rnd() < 0.3 ? pick(['\u0000lifeline:1:', 'user:bob:', 'user:ada:', '\u0000', '']) : '';
    const alphabet = rnd() < 0.4 ? [...PRINTABLE, ...CONTROL] : PRINTABLE;
    while (name.length < len) name += pick(alphabet);
    names.push(name);
  }
  return names;
}

describe('channel names', () => {
  it('fuzz: no channel name a client can send reaches any room but its own (not an internal fan-out room, not another socket\'s room), whatever authorize says', async () => {
    // A deny-list authorize, the kind that lets odd names through: only other users' "user:*" channels are refused.
    companion = await startCompanion('node', {
      ...baseOptions(),
      maxChannels: 10_000,
      authorize: (user, channel) => !channel.startsWith('user:') || channel.startsWith(`user:${user.name}:`),
    });
    const ns = companion.io.of('/ns');
    const bob = await open('bob-token');
    expect(await join(bob, 'user:bob:x')).toMatchObject({ ok: true });
    const ada = await open('ada-token');
    const adaEvents = record(ada);
    const adaPlain: string[] = [];
    ada.onAny((event: string) => {
      if (event !== 'lifeline:event') adaPlain.push(event);
    });
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    const names = hostileNames(seed, 400, { socketId: bob.id!, channel: 'user:bob:x' });
    const joined: string[] = [];
    for (const name of names) {
      const ack = await ada.timeout(5000).emitWithAck('lifeline:join', { channel: name });
      const hasControl = /[\u0000-\u001f\u007f-\u009f]/.test(name);
      const context = `seed ${seed}, name ${JSON.stringify(name.slice(0, 60))}`;
      if (name === '' || name.length > 200 || hasControl) {
        expect(ack, context).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
        expect(ack.message, context).toMatch(/control characters/);
      } else if (ack.ok) {
        joined.push(name);
      } else {
        expect(ack, context).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      }
      // Whatever was asked, ada's socket is in no room but its own, the channels it joined, and their fan-out rooms.
      // A channel named like bob's socket id is an ordinary channel, but bob's own room is not entered.
      const own = new Set([ada.id!, ...joined.filter((c) => c !== bob.id), ...joined.map((c) => `\u0000lifeline:1:${c}`)]);
      for (const room of serverSocket(ada).rooms) expect(own.has(room), `${context}: in room ${JSON.stringify(room)}`).toBe(true);
    }
    expect(joined.length).toBeGreaterThan(50); // the fuzz exercised accepted names too
    expect(joined).toContain(bob.id); // allowed by this authorize, but bob's room was never entered (above)
    // Bob's channel, bob's socket room and the internal room of bob's channel do not reach ada.
    await companion.lifeline.publish('user:bob:x', 'secret', 1);
    ns.to(bob.id!).emit('for-bob-only', 1);
    ns.to('\u0000lifeline:1:user:bob:x').emit('internal', 1);
    await companion.lifeline.publish(joined[0]!, 'mine', 1);
    await waitFor(() => adaEvents.some((e) => e.event === 'mine'), { message: 'ada gets her own channel' });
    expect(adaEvents.map((e) => e.channel).every((c) => joined.includes(c))).toBe(true);
    expect(adaPlain).toEqual([]);
  });

  it('publish() and polls refuse control characters in channel names with the rule; event names keep their rule', async () => {
    companion = await startCompanion();
    await expect(companion.lifeline.publish('a\u0000b', 'e', 1)).rejects.toThrow(/control characters/);
    await expect(companion.lifeline.publish('\u0000lifeline:1:c', 'e', 1)).rejects.toThrow(TypeError);
    const res = await fetch(`${companion.base}/poll?channels=${encodeURIComponent('\u0000lifeline:1:c')}&wait=0`, { headers: authHeaders() });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'BAD_REQUEST', message: expect.stringMatching(/control characters/) });
  });
});

describe('channels per connection (maxChannels)', () => {
  it('a socket joined to maxChannels channels gets LIMIT (with max) for one more, keeps the others, and may join again after a leave', async () => {
    companion = await startCompanion('node', { ...baseOptions(), maxChannels: 3 });
    const s = await open();
    const seen = record(s);
    for (const c of ['a', 'b', 'c']) expect(await join(s, c)).toMatchObject({ ok: true });
    expect(await join(s, 'd')).toEqual({ ok: false, code: 'LIMIT', max: 3, message: expect.stringMatching(/maxChannels is 3/) });
    expect(await join(s, 'a')).toMatchObject({ ok: true }); // a re-join is not one more
    expect(companion.lifeline.stats().socketSubscriptions).toBe(3);
    expect(serverSocket(s).rooms.has('d')).toBe(false);
    await companion.lifeline.publish('d', 'e', 'refused');
    await companion.lifeline.publish('c', 'e', 'kept');
    await waitFor(() => seen.length === 1);
    expect(seen.map((e: StoredEvent) => e.data)).toEqual(['kept']);
    await s.timeout(5000).emitWithAck('lifeline:leave', { channel: 'a' });
    expect(await join(s, 'd')).toMatchObject({ ok: true });
  });

  it('many joins at once cannot pass the cap together', async () => {
    companion = await startCompanion('node', { ...baseOptions(), maxChannels: 5 });
    const s = await open();
    const acks = await Promise.all(Array.from({ length: 40 }, (_, i) => join(s, `c${i}`)));
    expect(acks.filter((a) => a.ok)).toHaveLength(5);
    expect(acks.filter((a) => a.code === 'LIMIT')).toHaveLength(35);
    expect(companion.lifeline.stats().socketSubscriptions).toBe(5);
  });

  it('a poll naming more than maxChannels is a 400 LIMIT with max', async () => {
    companion = await startCompanion('node', { ...baseOptions(), maxChannels: 3 });
    const ok = await fetch(`${companion.base}/poll?channels=a,b,c&wait=0`, { headers: authHeaders() });
    expect(ok.status).toBe(200);
    const res = await fetch(`${companion.base}/poll?channels=a,b,c,d&wait=0`, { headers: authHeaders() });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'LIMIT', max: 3 });
  });

  it('the default is 100', async () => {
    companion = await startCompanion();
    const s = await open();
    const acks = await Promise.all(Array.from({ length: 101 }, (_, i) => join(s, `c${i}`)));
    expect(acks.filter((a) => a.ok)).toHaveLength(100);
    expect(acks.filter((a) => !a.ok)).toEqual([expect.objectContaining({ code: 'LIMIT', max: 100 })]);
  });
});

describe('lifeline:* events of any arity are answered', () => {
  const BAD = { ok: false, code: 'BAD_REQUEST', message: expect.any(String) };
  it.each([
    ['join with no payload', 'lifeline:join', []],
    ['join with an extra argument', 'lifeline:join', [{ channel: 'c' }, 'extra']],
    ['join with two extra arguments', 'lifeline:join', [{ channel: 'c' }, 1, 2]],
    ['join with a string', 'lifeline:join', ['c']],
    ['join with null', 'lifeline:join', [null]],
    ['join with an array', 'lifeline:join', [[{ channel: 'c' }]]],
    ['join with a number channel', 'lifeline:join', [{ channel: 42 }]],
    ['leave with no payload', 'lifeline:leave', []],
    ['leave with an extra argument', 'lifeline:leave', [{ channel: 'c' }, 'extra']],
    ['leave with null', 'lifeline:leave', [null]],
    ['an unknown lifeline: event', 'lifeline:subscribe', [{ channel: 'c' }]],
  ] as const)('%s: BAD_REQUEST', async (_name, event, args) => {
    companion = await startCompanion();
    const s = await open();
    expect(await s.timeout(3000).emitWithAck(event, ...args)).toEqual(BAD);
    expect(companion.lifeline.stats().socketSubscriptions).toBe(0);
    expect(serverSocket(s).rooms.size).toBe(1);
    // The socket still works.
    expect(await join(s, 'c')).toMatchObject({ ok: true });
    expect(await s.timeout(3000).emitWithAck('lifeline:leave', { channel: 'c' })).toEqual({ ok: true });
  });

  it('well-formed joins and leaves without an ack still work (nothing to answer)', async () => {
    companion = await startCompanion();
    const s = await open();
    s.emit('lifeline:join', { channel: 'c' });
    await waitFor(() => companion.lifeline.stats().socketSubscriptions === 1);
    s.emit('lifeline:leave', { channel: 'c' });
    await waitFor(() => companion.lifeline.stats().socketSubscriptions === 0);
  });
});

describe('request bodies', () => {
  /** Sends `head` on a raw TCP connection and resolves with what the server wrote before closing it, and when. */
  function rawRequest(port: number, head: string, limitMs: number): Promise<{ text: string; ms: number; closed: boolean }> {
    return new Promise((resolve) => {
      const started = Date.now();
      const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
      let text = '';
      const done = (closed: boolean) => {
        clearTimeout(timer);
        socket.destroy();
        resolve({ text, ms: Date.now() - started, closed });
      };
      const timer = setTimeout(() => done(false), limitMs);
      socket.on('data', (d) => (text += d.toString('latin1')));
      socket.on('close', () => done(true));
      socket.on('error', () => {});
    });
  }

  it('a body that never arrives is answered 408 REQUEST_TIMEOUT after bodyTimeoutMs and its connection closed; no handler runs', async () => {
    companion = await startCompanion('node', { ...baseOptions(), bodyTimeoutMs: 300 });
    let ran = 0;
    companion.lifeline.on('ping', () => ++ran);
    const port = Number(new URL(companion.url).port);
    const head = ['POST /lifeline/emit HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', 'Content-Length: 1', 'Authorization: Bearer ada-token', '', ''].join('\r\n');
    const answer = await rawRequest(port, head, 5000);
    expect(answer.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer.text).toContain('"error":"REQUEST_TIMEOUT"');
    expect(answer.closed).toBe(true);
    expect(answer.ms).toBeGreaterThanOrEqual(250);
    expect(ran).toBe(0);
    // A body sent slowly but in time is read.
    const slow = await new Promise<string>((resolve) => {
      const body = JSON.stringify({ event: 'ping', data: null, id: 'slow-1' });
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(['POST /lifeline/emit HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', `Content-Length: ${body.length}`, 'Authorization: Bearer ada-token', 'Connection: close', '', body.slice(0, 5)].join('\r\n'));
        setTimeout(() => socket.write(body.slice(5)), 100);
      });
      let text = '';
      socket.on('data', (d) => (text += d.toString('latin1')));
      socket.on('close', () => resolve(text));
    });
    expect(slow).toMatch(/^HTTP\/1\.1 200 /);
    expect(ran).toBe(1);
  });
});
