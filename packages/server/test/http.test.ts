/** The HTTP carrier (GET /poll, POST /emit) through node:http and Express, on 127.0.0.1. */
import { WIRE } from '@lifeline/core/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore, type Lifeline } from '@lifeline/server';
import { startServer, waitFor } from '@lifeline/testkit';
import { authHeaders, baseOptions, startCompanion, wrapStore, type Companion, type User } from './helpers';

let companion: Companion;
afterEach(() => companion?.close());

async function get(path: string, headers: Record<string, string> = authHeaders(), signal?: AbortSignal) {
  const res = await fetch(`${companion.base}${path}`, { headers, ...(signal ? { signal } : {}) });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
}

async function post(body: unknown, headers: Record<string, string> = authHeaders()) {
  const res = await fetch(`${companion.base}/emit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
}

describe.each(['node', 'express'] as const)('HTTP carrier mounted with %s', (mount) => {
  it('a long-poll is answered within tens of ms of a publish, with id, channel, event, data', async () => {
    companion = await startCompanion(mount);
    const first = await get('/poll?channels=c&wait=0');
    expect(first).toMatchObject({ status: 200, body: { events: [], cursor: '0' } });
    const started = Date.now();
    const waiting = get('/poll?channels=c,d&cursor=0&wait=10');
    await new Promise((r) => setTimeout(r, 100));
    let published = 0;
    void companion.lifeline.publish('other', 'e', 'not mine').then(() => companion.lifeline.publish('c', 'hello', { n: 1 })).then(() => (published = Date.now()));
    const answer = await waiting;
    expect(Date.now() - published).toBeLessThan(100);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(answer).toMatchObject({ status: 200, type: 'application/json; charset=utf-8' });
    expect(answer.body).toEqual({ events: [{ id: '2', channel: 'c', event: 'hello', data: { n: 1 } }], cursor: '2' });
  });

  it('wait=0 answers at once; the cursor advances past events of other channels', async () => {
    companion = await startCompanion(mount);
    await companion.lifeline.publish('a', 'e', 1);
    await companion.lifeline.publish('b', 'e', 2);
    const t = Date.now();
    expect((await get('/poll?channels=a&cursor=0&wait=0')).body).toEqual({ events: [{ id: '1', channel: 'a', event: 'e', data: 1 }], cursor: '2' });
    expect((await get('/poll?channels=a&cursor=2&wait=0')).body).toEqual({ events: [], cursor: '2' });
    expect(Date.now() - t).toBeLessThan(500);
  });

  it('answers every refusal as JSON with the right status', async () => {
    companion = await startCompanion(mount, { ...baseOptions(), store: memoryStore({ maxEvents: 2 }) });
    for (let i = 0; i < 5; i++) await companion.lifeline.publish('public:x', 'e', i);
    const cases: Array<[string, Record<string, string>, number, Record<string, unknown>]> = [
      ['/poll?channels=a', {}, 401, { error: 'UNAUTHORIZED' }],
      ['/poll?channels=a', authHeaders('wrong'), 401, { error: 'UNAUTHORIZED' }],
      ['/poll?channels=a', { 'lifeline-auth': '%%%not-base64-json' }, 400, { error: 'BAD_REQUEST' }],
      ['/poll?channels=public:x,ticket:1', authHeaders('bob-token'), 403, { error: 'FORBIDDEN', channel: 'ticket:1' }],
      ['/poll?channels=secret:1', authHeaders(), 403, { error: 'FORBIDDEN', channel: 'secret:1' }],
      ['/poll?channels=a&wait=31', authHeaders(), 400, { error: 'BAD_REQUEST' }],
      ['/poll?channels=a&wait=soon', authHeaders(), 400, { error: 'BAD_REQUEST' }],
      ['/poll?channels=a&cursor=DROP%20TABLE', authHeaders(), 400, { error: 'BAD_REQUEST' }],
      ['/poll?channels=a,,b', authHeaders(), 400, { error: 'BAD_REQUEST' }],
      [`/poll?channels=${Array.from({ length: 500 }, (_, i) => `c${i}`).join(',')}`, authHeaders(), 400, { error: 'LIMIT', max: 100 }],
      [`/poll?channels=${'x'.repeat(5000)}`, authHeaders(), 400, { error: 'BAD_REQUEST' }],
      ['/poll?channels=public:x&cursor=1&wait=0', authHeaders(), 410, { error: 'CURSOR_EXPIRED', cursor: '5' }],
      // After the latest id: the log started over since; resume from its start (before the oldest kept, 4).
      ['/poll?channels=public:x&cursor=77&wait=0', authHeaders(), 410, { error: 'CURSOR_EXPIRED', cursor: '3' }],
      ['/emit', authHeaders(), 405, { error: 'METHOD_NOT_ALLOWED' }],
    ];
    for (const [path, headers, status, body] of cases) {
      const answer = await get(path, headers);
      expect({ path: path.slice(0, 60), status: answer.status, type: answer.type }).toEqual({ path: path.slice(0, 60), status, type: 'application/json; charset=utf-8' });
      expect(answer.body).toMatchObject(body);
      expect(typeof answer.body.message).toBe('string');
    }
    // A query beyond Node's header limit is refused by Node itself (431), never a 500.
    const huge = await fetch(`${companion.base}/poll?channels=${'x'.repeat(20_000)}`, { headers: authHeaders() });
    expect(huge.status).toBe(431);
    // bob with the Lifeline-Auth header (base64url JSON) instead of a bearer token.
    const lifelineAuth = Buffer.from(JSON.stringify({ token: 'bob-token' })).toString('base64url');
    expect((await get('/poll?channels=public:x&wait=0', { 'lifeline-auth': lifelineAuth })).status).toBe(200);
  });

  it('a poll with a cursor can never read a channel the user is not authorized for', async () => {
    companion = await startCompanion(mount);
    await companion.lifeline.publish('ticket:1', 'private', 'for ada');
    const bob = authHeaders('bob-token');
    for (const cursor of ['0', '1', '0-0']) {
      expect((await get(`/poll?channels=ticket:1&cursor=${cursor}&wait=0`, bob)).status).toBe(403);
    }
    expect((await get('/poll?channels=public:a&cursor=0&wait=0', bob)).body.events).toEqual([]);
  });

  it('POST /emit runs the handler once per id and answers a retried id with the same ack', async () => {
    companion = await startCompanion(mount);
    let runs = 0;
    companion.lifeline.on('comment:add', async (data, user) => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      return { saved: data, by: user.name, run: runs };
    });
    const body = { event: 'comment:add', data: { text: 'hi' }, id: 'k-1' };
    const [a, b] = await Promise.all([post(body), post(body)]);
    const c = await post(body);
    expect(a).toMatchObject({ status: 200, type: 'application/json; charset=utf-8', body: { ack: { saved: { text: 'hi' }, by: 'ada', run: 1 } } });
    expect(b.body).toEqual(a.body);
    expect(c.body).toEqual(a.body);
    expect(runs).toBe(1);
    expect((await post({ ...body, id: 'k-2' })).body).toMatchObject({ ack: { run: 2 } });
    // Another user's same id is another key.
    expect((await post(body, authHeaders('bob-token'))).body).toMatchObject({ ack: { by: 'bob', run: 3 } });
    // lifeline:emit (a shared connection's leader): the envelope's own id is the key, whatever the POST's id.
    const envelope = (id: string) => ({ event: WIRE.emit, data: { ...body, id: 'k-env' }, id });
    expect((await post(envelope('p-1'))).body).toMatchObject({ ack: { run: 4 } });
    expect((await post(envelope('p-2'))).body).toMatchObject({ ack: { run: 4 } });
    expect(runs).toBe(4);
    expect(await post({ event: WIRE.emit, data: { event: 'comment:add' }, id: 'p-3' })).toMatchObject({ status: 400, body: { error: 'BAD_REQUEST' } });
  });

  it('POST /emit: a failed handler is not remembered: concurrent duplicates share one run, a later retry of the id runs it again and gets its ack', async () => {
    const errors: Array<{ error: unknown; where: string }> = [];
    companion = await startCompanion(mount, { ...baseOptions(), onError: (error, { where }) => errors.push({ error, where }) });
    let runs = 0;
    companion.lifeline.on('save', async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      if (runs === 1) throw new Error('db down');
      return { saved: true, run: runs };
    });
    const body = { event: 'save', id: 'k-save' };
    const first = await Promise.all([post(body), post(body)]);
    for (const answer of first) expect(answer).toMatchObject({ status: 500, body: { error: 'HANDLER_ERROR', event: 'save' } });
    expect(runs).toBe(1);
    expect(errors).toEqual([{ error: new Error('db down'), where: 'on("save") handler' }]);
    // The client retries the 5xx with the same id: the handler runs again; that success is kept.
    expect(await post(body)).toMatchObject({ status: 200, body: { ack: { saved: true, run: 2 } } });
    expect(await post(body)).toMatchObject({ status: 200, body: { ack: { saved: true, run: 2 } } });
    expect(runs).toBe(2);
    expect(errors).toHaveLength(1);
    expect(companion.lifeline.stats().rememberedEmitIds).toBe(1);
  });

  it('POST /emit refusals: 400 malformed JSON or fields, 401, 404 unknown event, 413 too large, 500 handler failure', async () => {
    companion = await startCompanion(mount, { ...baseOptions(), maxBodyBytes: 1000 });
    companion.lifeline.on('ok', () => 'fine');
    companion.lifeline.on('boom', () => {
      throw new Error('db down');
    });
    expect(await post('{"event": "ok", ')).toMatchObject({ status: 400, body: { error: 'BAD_REQUEST' } });
    expect(await post([1, 2])).toMatchObject({ status: 400 });
    expect(await post({ event: 'ok', data: 1 })).toMatchObject({ status: 400, body: { message: expect.stringContaining('"id"') } });
    expect(await post({ event: 42, id: 'x' })).toMatchObject({ status: 400 });
    expect(await post({ event: 'ok', id: 'x' }, {})).toMatchObject({ status: 401, body: { error: 'UNAUTHORIZED' } });
    expect(await post({ event: 'nope', id: 'x' })).toMatchObject({ status: 404, body: { error: 'UNKNOWN_EVENT', event: 'nope' } });
    expect(await post({ event: 'ok', id: 'big', data: 'x'.repeat(5000) })).toMatchObject({ status: 413, body: { error: 'PAYLOAD_TOO_LARGE' } });
    expect(await post({ event: 'boom', id: 'b1' })).toMatchObject({ status: 500, body: { error: 'HANDLER_ERROR', message: 'The "boom" handler failed.' } });
    expect(await post({ event: 'ok', id: 'fine' })).toMatchObject({ status: 200, body: { ack: 'fine' } });
  });

  it('POST /emit: a handler whose return value JSON cannot carry answers HANDLER_ERROR (not a crash), reports once, and a retry runs it again', async () => {
    const errors: string[] = [];
    let runs = 0;
    companion = await startCompanion(mount, { ...baseOptions(), onError: (e, ctx) => errors.push(`${ctx.where}: ${e instanceof Error ? e.message : String(e)}`) });
    companion.lifeline.on('big', () => (++runs === 1 ? { n: 10n } : { n: '10' }));
    expect(await post({ event: 'big', id: 'b1' })).toMatchObject({ status: 500, body: { error: 'HANDLER_ERROR', message: 'The "big" handler failed.' } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^on\("big"\) handler: .*return value.*BigInt/);
    expect(await post({ event: 'big', id: 'b1' })).toMatchObject({ status: 200, body: { ack: { n: '10' } } });
  });

  it('a channel whose name has a comma can be polled: names are split on literal commas, a comma inside a name travels as %2C (encodeURIComponent)', async () => {
    companion = await startCompanion(mount);
    for (const channel of ['a,b', 'a', 'b', 'x y+z&w=1']) await companion.lifeline.publish(channel, 'e', channel);
    const poll = async (names: string[]) => (await get(`/poll?channels=${names.map(encodeURIComponent).join(',')}&cursor=0&wait=0`)).body.events as Array<{ data: string }>;
    expect((await poll(['a,b'])).map((e) => e.data)).toEqual(['a,b']);
    expect((await poll(['a', 'b'])).map((e) => e.data)).toEqual(['a', 'b']);
    expect((await poll(['b', 'a,b', 'x y+z&w=1'])).map((e) => e.data)).toEqual(['a,b', 'b', 'x y+z&w=1']);
    // Hand-written queries keep working as before: "a,b" is two channels, "+" a space.
    expect((await get('/poll?channels=a,b&cursor=0&wait=0')).body.events).toHaveLength(2);
    expect((await get('/poll?channels=x+y%2Bz%26w%3D1&cursor=0&wait=0')).body.events).toHaveLength(1);
    // Authorization sees the decoded name.
    expect(await get(`/poll?channels=a,${encodeURIComponent('secret:1,2')}`)).toMatchObject({ status: 403, body: { channel: 'secret:1,2' } });
  });

  it('HEAD /poll answers at once with the status a GET would get and no body: no long-poll, no read of the log', async () => {
    const inner = memoryStore();
    const reads: string[] = [];
    const store = wrapStore(inner, { latest: () => (reads.push('latest'), inner.latest()), readAfter: (c, n) => (reads.push('readAfter'), inner.readAfter(c, n)) });
    companion = await startCompanion(mount, { ...baseOptions(), store });
    const head = (path: string, headers: Record<string, string> = authHeaders()) => fetch(`${companion.base}${path}`, { method: 'HEAD', headers });
    const t = Date.now();
    const ok = await head('/poll?channels=c&wait=25');
    expect(Date.now() - t).toBeLessThan(1000);
    expect([ok.status, ok.headers.get('content-type'), await ok.text()]).toEqual([200, 'application/json; charset=utf-8', '']);
    expect(companion.lifeline.stats().waitingPolls).toBe(0);
    expect((await head('/poll?channels=c', {})).status).toBe(401);
    expect((await head('/poll?channels=secret:1')).status).toBe(403);
    expect((await head('/poll?channels=c&wait=99')).status).toBe(400);
    expect(reads).toEqual([]);
    // Any other method: 405 naming both.
    const put = await fetch(`${companion.base}/poll`, { method: 'PUT', headers: authHeaders() });
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('unknown paths fall through to next() (the app answers)', async () => {
    companion = await startCompanion(mount);
    const res = await fetch(`${companion.base}/nothing-here`);
    // The app's own 404 (helpers.ts), not the companion's { error: 'NOT_FOUND' }.
    expect([res.status, await res.json()]).toEqual([404, mount === 'express' ? { error: 'app 404' } : { error: 'not found' }]);
  });

  it('an aborted long-poll frees its waiter; close() answers the ones still waiting', async () => {
    companion = await startCompanion(mount);
    const controller = new AbortController();
    const aborted = get('/poll?channels=c&wait=20', authHeaders(), controller.signal).catch((e: Error) => e.name);
    const kept = get('/poll?channels=c&wait=20');
    await waitFor(() => companion.lifeline.stats().waitingPolls === 2, { message: 'both polls waiting' });
    controller.abort();
    expect(await aborted).toBe('AbortError');
    await waitFor(() => companion.lifeline.stats().waitingPolls === 1, { message: 'the aborted poll freed its waiter' });
    const t = Date.now();
    await companion.lifeline.close();
    expect(await kept).toMatchObject({ status: 200, body: { events: [] } });
    expect(Date.now() - t).toBeLessThan(500);
    expect((await get('/poll?channels=c&wait=0')).status).toBe(503);
  });
});

describe('behind express.json()', () => {
  it('uses the body Express already parsed, and still caps its size', async () => {
    const express = (await import('express')).default;
    const { createLifeline } = await import('@lifeline/server');
    let lifeline!: Lifeline<User>;
    const app = express();
    app.use(express.json());
    app.use('/lifeline', (req, res, next) => lifeline.http(req, res, next));
    const server = await startServer({
      http: app,
      setup: (io) => {
        lifeline = createLifeline(io.of('/'), { ...baseOptions(), maxBodyBytes: 200 });
        lifeline.on('echo', (data) => data);
      },
    });
    try {
      const send = (data: unknown) =>
        fetch(`${server.url}/lifeline/emit`, { method: 'POST', headers: { 'content-type': 'application/json', ...authHeaders() }, body: JSON.stringify({ event: 'echo', data, id: String(Math.random()) }) });
      const ok = await send({ hi: 1 });
      expect([ok.status, await ok.json()]).toEqual([200, { ack: { hi: 1 } }]);
      expect((await send('x'.repeat(500))).status).toBe(413);
    } finally {
      await lifeline.close();
      await server.close();
    }
  });
});

describe('waiters', () => {
  it('aborted long-polls free their waiters and listeners at once', async () => {
    companion = await startCompanion();
    expect(companion.lifeline.stats()).toMatchObject({ waitingPolls: 0, busListeners: 1 });
    const controllers = Array.from({ length: 20 }, () => new AbortController());
    const polls = controllers.map((c) => get('/poll?channels=c&wait=20', authHeaders(), c.signal).catch(() => 'aborted'));
    await waitFor(() => companion.lifeline.stats().waitingPolls === 20, { message: '20 polls waiting' });
    expect(companion.lifeline.stats().busListeners).toBe(2); // socket delivery + one for every waiting poll
    for (const c of controllers) c.abort();
    expect(await Promise.all(polls)).toEqual(Array(20).fill('aborted'));
    await waitFor(() => companion.lifeline.stats().waitingPolls === 0, { message: 'waiters released after abort' });
    expect(companion.lifeline.stats().busListeners).toBe(1);
    await companion.lifeline.publish('c', 'e', 1);
    expect((await get('/poll?channels=c&cursor=0&wait=0')).body.cursor).toBe('1');
  });

  it('one event wakes its channel\'s polls with one bus listener and ONE shared log read; polls of other channels keep waiting', async () => {
    const inner = memoryStore();
    let reads = 0;
    const store = wrapStore(inner, { readAfter: (c, n) => (reads++, inner.readAfter(c, n)) });
    companion = await startCompanion('node', { ...baseOptions(), store });
    const woken = Array.from({ length: 20 }, () => get('/poll?channels=c&cursor=0&wait=20'));
    const other = Array.from({ length: 5 }, () => get('/poll?channels=d&cursor=0&wait=0.5'));
    await waitFor(() => companion.lifeline.stats().waitingPolls === 25, { message: '25 polls waiting' });
    expect(companion.lifeline.stats().busListeners).toBe(2);
    reads = 0;
    await companion.lifeline.publish('c', 'e', 1);
    for (const answer of await Promise.all(woken)) expect(answer.body).toEqual({ events: [{ id: '1', channel: 'c', event: 'e', data: 1 }], cursor: '1' });
    expect(reads).toBe(1);
    expect(companion.lifeline.stats().waitingPolls).toBe(5);
    for (const answer of await Promise.all(other)) expect(answer.body).toEqual({ events: [], cursor: '0' }); // timed out: not woken, not re-read
    expect(companion.lifeline.stats()).toMatchObject({ waitingPolls: 0, busListeners: 1 });
  });

  it('polls that keep polling while publishes land in bursts each get every event once, in order (shared reads lose nothing)', async () => {
    companion = await startCompanion();
    const total = 60;
    const clients = Array.from({ length: 8 }, async (_, i) => {
      const channels = i % 2 === 0 ? 'c' : 'c,d';
      const seen: number[] = [];
      let cursor = '0';
      while (seen.length < (i % 2 === 0 ? total : 2 * total)) {
        const { body } = await get(`/poll?channels=${channels}&cursor=${cursor}&wait=5`);
        for (const e of body.events as Array<{ data: number }>) seen.push(e.data);
        cursor = body.cursor as string;
      }
      return seen;
    });
    for (let n = 0; n < total; n++) {
      await companion.lifeline.publish('c', 'e', n);
      void companion.lifeline.publish('d', 'e', 1000 + n);
      if (n % 7 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    const results = await Promise.all(clients);
    const onlyC = Array.from({ length: total }, (_, n) => n);
    const both = Array.from({ length: total }, (_, n) => [n, 1000 + n]).flat();
    results.forEach((seen, i) => expect(seen, `client ${i}`).toEqual(i % 2 === 0 ? onlyC : both));
  });

  it('a long-poll aborted while it is still being authenticated holds no waiter', async () => {
    const options = baseOptions();
    let authenticating = 0;
    let authenticated = 0;
    companion = await startCompanion('node', {
      ...options,
      authenticate: async (auth, ctx) => {
        authenticating++;
        await new Promise((r) => setTimeout(r, 200));
        authenticated++;
        return options.authenticate!(auth, ctx);
      },
    });
    const controller = new AbortController();
    const poll = get('/poll?channels=c&wait=20', authHeaders(), controller.signal).catch((e: Error) => e.name);
    await waitFor(() => authenticating === 1, { message: 'poll being authenticated' });
    controller.abort();
    expect(await poll).toBe('AbortError');
    await waitFor(() => authenticated === 1, { message: 'poll authenticated' });
    await new Promise((r) => setTimeout(r, 50)); // the poll has read the log: it would be waiting now
    expect(companion.lifeline.stats()).toMatchObject({ waitingPolls: 0, busListeners: 1 });
  });

  it('a long-poll with nothing to say answers after `wait` seconds with the same cursor', async () => {
    companion = await startCompanion();
    const t = Date.now();
    expect((await get('/poll?channels=c&cursor=0&wait=0.3')).body).toEqual({ events: [], cursor: '0' });
    expect(Date.now() - t).toBeGreaterThanOrEqual(280);
    expect(companion.lifeline.stats().waitingPolls).toBe(0);
  });
});
