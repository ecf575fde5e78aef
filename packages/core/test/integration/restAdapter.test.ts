/**
 * The `http` rung with a `http.poll` / `http.send` adapter for an existing REST endpoint
 * (docs/rest-adapter.md): what the adapter is asked, what it may return, how its failures are
 * classified (by HTTP status, never by error class) and reported (once per outage).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@lifeline/testkit';
import { LifelineError } from '../../src/errors';
import { createHttpTransport } from '../../src/transports/http';
import { SEEN_LIMIT, seenBefore, statusOf } from '../../src/transports/httpAdapter';
import type { HttpTransportOptions, PollRequest, PollResult, SessionMemory, Transport } from '../../src/transports/types';
import { contextFor, watch } from './httpHelpers';

const transports: Transport[] = [];
afterEach(() => {
  for (const t of transports.splice(0)) t.close();
});

function session(): SessionMemory & { reported: LifelineError[] } {
  const reported: LifelineError[] = [];
  return { seen: new Set(), failing: false, report: (e) => reported.push(e), reported };
}

function open(http: HttpTransportOptions, s = session(), channels = new Map<string, string | undefined>()) {
  const t = createHttpTransport(contextFor({ intervalMs: 20, ...http }, { session: s, joins: () => [...channels.keys()] }));
  transports.push(t);
  const seen = watch(t);
  t.connect();
  return { t, seen, s };
}

describe('http.poll adapter: what it is asked', () => {
  it('the first poll names the wanted channels, the auth and the cursor the client stands at; later polls get back the cursor as returned (a number stays a number)', async () => {
    const calls: Array<Omit<PollRequest, 'signal'>> = [];
    const s = session();
    s.cursor = 41; // e.g. the last event seen on a socket rung (cursorOf)
    const { t, seen } = open(
      {
        poll: async ({ signal: _signal, ...request }) => {
          calls.push(request);
          const since = Number(request.cursor);
          return { events: since < 43 ? [{ id: since + 1, event: 'n', data: since + 1, channel: 'alerts' }] : [], cursor: Math.min(since + 1, 43) };
        },
      },
      s,
      new Map([['alerts', undefined]]),
    );
    await waitFor(() => seen.open === 1);
    await t.join('alerts', undefined); // as the client does on open (the poll in between asked for 'alerts' too)
    await waitFor(() => seen.messages.length === 2);
    expect(calls[0]).toEqual({ cursor: 41, channels: ['alerts'], auth: { token: 'ada-token' }, query: {} });
    expect(calls[1]).toMatchObject({ cursor: 42, channels: ['alerts'] });
    expect(seen.messages.map((m) => [m.id, m.channel, m.data])).toEqual([
      ['42', 'alerts', 42],
      ['43', 'alerts', 43],
    ]);
    expect(s.cursor).toBe(43); // kept for the next transport
  });
});

describe('http.poll adapter: what it may return', () => {
  it('deduplicates opaque ids by identity, also across a new transport of the same client', async () => {
    const page: PollResult = { events: [{ id: 'ntf_42', event: 'n', data: 1 }, { id: 'ntf_43', event: 'n', data: 2 }], cursor: 'opaque-token' };
    const s = session();
    const first = open({ poll: async () => page }, s);
    await waitFor(() => first.seen.messages.length === 2);
    first.t.close();
    const second = open({ poll: async () => ({ events: [...page.events, { id: 'ntf_44', event: 'n', data: 3 }], cursor: 'next' }) }, s);
    await waitFor(() => second.seen.messages.length === 1);
    await new Promise((r) => setTimeout(r, 80)); // several more polls answer the same page
    expect(second.seen.messages.map((m) => m.id)).toEqual(['ntf_44']);
  });

  it('remembers a bounded number of ids: the oldest is forgotten first', () => {
    const seen = new Set<string>();
    for (let i = 0; i <= SEEN_LIMIT; i++) expect(seenBefore(seen, `id-${i}`)).toBe(false);
    expect(seen.size).toBe(SEEN_LIMIT);
    expect(seenBefore(seen, `id-${SEEN_LIMIT}`)).toBe(true);
    expect(seenBefore(seen, 'id-0')).toBe(false); // forgotten
  });

  it.each([
    ['(result)', () => null],
    ['events', () => ({ items: [] })],
    ['events[1].event', () => ({ events: [{ event: 'ok', data: 1 }, { type: 'n', data: 2 }] })],
    ['events[0].id', () => ({ events: [{ event: 'n', data: 1, id: { v: 1 } }] })],
    ['events[0].channel', () => ({ events: [{ event: 'n', data: 1, channel: 7 }] })],
    ['cursor', () => ({ events: [], cursor: { since: 3 } })],
  ])('a wrong `%s` is PROTOCOL, with a hint naming the field', async (field, result) => {
    const { seen } = open({ poll: async () => result() as unknown as PollResult });
    await waitFor(() => seen.closes.length === 1);
    expect(seen.closes[0]).toMatchObject({ kind: 'protocol', error: { code: 'PROTOCOL', details: { field } } });
    expect(seen.closes[0]?.error?.hint).toContain(`\`${field}\``);
    expect(seen.closes[0]?.error?.message).toContain(`\`${field}\``);
  });
});

describe('http.poll adapter: failures, by status', () => {
  it.each([
    ['a Response', () => new Response('{}', { status: 401 }), 'unauthorized', 'UNAUTHORIZED'],
    ['an Error with status', () => Object.assign(new Error('nope'), { status: 401 }), 'unauthorized', 'UNAUTHORIZED'],
    ['an axios-style error', () => Object.assign(new Error('Request failed with status code 403'), { response: { status: 403 } }), 'forbidden', 'FORBIDDEN'],
    ['an error with statusCode', () => ({ statusCode: 403, message: 'forbidden' }), 'forbidden', 'FORBIDDEN'],
    ['a plain Error', () => new Error('Unauthorized'), 'unreachable', 'UNREACHABLE'],
    ['a 500', () => Object.assign(new Error('boom'), { status: 500 }), 'unreachable', 'UNREACHABLE'],
  ])('%s thrown → %s', async (_what, thrown, kind, code) => {
    const { seen } = open({
      poll: async () => {
        throw thrown();
      },
    });
    await waitFor(() => seen.closes.length === 1);
    expect(seen.closes[0]).toMatchObject({ kind, opened: false, error: { code } });
  });

  it('an adapter that never settles (ignoring the signal) fails the attempt as a timeout after reconnect.timeoutMs, reported once', async () => {
    const s = session();
    const started = Date.now();
    const { seen } = open({ poll: () => new Promise<PollResult>(() => {}) }, s);
    await waitFor(() => seen.closes.length === 1, { timeoutMs: 4000 });
    expect(seen.closes[0]).toMatchObject({ kind: 'timeout', opened: false, error: { code: 'TIMEOUT' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900); // contextFor's timeoutMs: 2000
    expect(s.reported.map((e) => e.code)).toEqual(['TIMEOUT']);
  });

  it('reads the status of whatever was thrown', () => {
    expect(statusOf({ status: 401 })).toBe(401);
    expect(statusOf({ statusCode: 403 })).toBe(403);
    expect(statusOf({ response: { status: 429 } })).toBe(429);
    expect(statusOf({ response: null })).toBeUndefined();
    expect(statusOf(new Error('x'))).toBeUndefined();
    expect(statusOf('401')).toBeUndefined();
  });

  it('an outage is reported once, however many attempts fail, and again after a success', async () => {
    const s = session();
    let down = true;
    const poll = async (): Promise<PollResult> => {
      if (down) throw new Error('ECONNREFUSED');
      return { events: [] };
    };
    for (let i = 0; i < 3; i++) {
      const { seen } = open({ poll }, s);
      await waitFor(() => seen.closes.length === 1);
    }
    expect(s.reported.map((e) => e.code)).toEqual(['UNREACHABLE']);
    down = false;
    const { seen } = open({ poll }, s);
    await waitFor(() => seen.open === 1);
    down = true;
    await waitFor(() => seen.closes.length === 1);
    expect(s.reported.map((e) => e.code)).toEqual(['UNREACHABLE', 'UNREACHABLE']);
  });
});

describe('http.send adapter', () => {
  it('maps emits to REST calls: the resolved value is the ack, in order; auth is passed', async () => {
    const sent: Array<[string, unknown, unknown]> = [];
    const { t, seen } = open({
      poll: async () => ({ events: [] }),
      send: async (event, data, { auth }) => {
        sent.push([event, data, auth.token]);
        await new Promise((r) => setTimeout(r, sent.length === 1 ? 30 : 0));
        return { saved: data };
      },
    });
    await waitFor(() => seen.open === 1);
    expect(t.receiveOnly).toBe(false);
    const replies = await Promise.all([1, 2].map((n) => new Promise((resolve) => t.send('comment:add', n, (e, r) => resolve([e, r])))));
    expect(replies).toEqual([
      [null, { saved: 1 }],
      [null, { saved: 2 }],
    ]);
    expect(sent).toEqual([
      ['comment:add', 1, 'ada-token'],
      ['comment:add', 2, 'ada-token'],
    ]);
  });

  it('a 401 from send fails the ack with UNAUTHORIZED and closes the rung; another failure reaches the ack (or the error event without one)', async () => {
    let status = 500;
    const s = session();
    const { t, seen } = open(
      {
        poll: async () => ({ events: [] }),
        send: async () => {
          throw Object.assign(new Error(`HTTP ${status}`), { status });
        },
      },
      s,
    );
    await waitFor(() => seen.open === 1);
    const [failed] = await new Promise<[unknown]>((resolve) => t.send('x', 1, (e) => resolve([e])));
    expect(failed).toMatchObject({ code: 'UNREACHABLE' });
    t.send('fire-and-forget', 1);
    await waitFor(() => s.reported.length === 1);
    status = 401;
    const [refused] = await new Promise<[unknown]>((resolve) => t.send('x', 1, (e) => resolve([e])));
    expect(refused).toMatchObject({ code: 'UNAUTHORIZED' });
    await waitFor(() => seen.closes.length === 1);
    expect(seen.closes[0]).toMatchObject({ kind: 'unauthorized', opened: true });
  });

  it('without send the rung is receive-only', async () => {
    const { t, seen } = open({ poll: async () => ({ events: [] }) });
    await waitFor(() => seen.open === 1);
    expect(t.receiveOnly).toBe(true);
  });
});

describe('flush()', () => {
  it('resolves after a poll that started after the call delivered its events', async () => {
    const log: number[] = [];
    let polls = 0;
    const { t, seen } = open({
      intervalMs: 60_000, // only joins and flushes make it poll again
      poll: async ({ cursor }) => {
        polls++;
        const since = typeof cursor === 'number' ? cursor : 0;
        return { events: log.filter((n) => n > since).map((n) => ({ id: n, event: 'n', data: n })), cursor: log.at(-1) ?? 0 };
      },
    });
    await waitFor(() => seen.open === 1);
    log.push(1, 2);
    const before = polls;
    await t.flush!();
    expect(polls).toBeGreaterThan(before);
    expect(seen.messages.map((m) => m.data)).toEqual([1, 2]);
  });
});
