import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClient } from '../createClient';
import { isLifelineError, loadHints } from '../errors';
import { normalizeOptions, type ClientOptions } from '../options';

// These tests read `hint` synchronously: load the hint texts first, as the client does before it reports an error.
beforeAll(() => loadHints());

function badInput(options: unknown): string {
  try {
    createClient({ autoConnect: false, ...(options as ClientOptions) });
  } catch (e) {
    if (isLifelineError(e) && e.code === 'BAD_INPUT') return `${e.message} → ${e.hint}`;
    throw e;
  }
  throw new Error('no error');
}

describe('options', () => {
  it.each([
    [{ url: 'api.example.com' }, /absolute URL/],
    [{ url: 'ftp://x.test' }, /http\(s\) or ws\(s\)/],
    [{ url: 'https://x.test', transports: ['websocket', 'carrier-pigeon'] }, /Unknown transport "carrier-pigeon"/],
    [{ url: 'https://x.test', transports: ['http'] }, /needs `http` options/],
    [{ url: 'https://x.test', transports: [] }, /non-empty/],
    [{ url: 'https://x.test', reconnect: { attempts: 0 } }, /reconnect.attempts/],
    [{ url: 'https://x.test', reconnect: { jitter: 2 } }, /reconnect.jitter/],
    [{ url: 'https://x.test', namespace: 'notifications' }, /"\/notifications"/],
    [{ url: 'https://x.test', events: { error: z.string() } }, /reserved/],
    [{ url: 'https://x.test', events: { a: 'string' } }, /Standard Schema/],
    [{ url: 'https://x.test', auth: 'token' }, /object or a function/],
  ])('%j → BAD_INPUT with a hint', (options, message) => {
    expect(badInput(options)).toMatch(message);
  });

  it('a url with a path offers both fixes: the HTTP prefix as `path`, or the namespace', () => {
    const message = badInput({ url: 'https://x.test/api' });
    expect(message).toContain('`url` "https://x.test/api" has a path ("/api")');
    expect(message).toContain("url: 'https://x.test'");
    expect(message).toContain("path: '/api/socket.io'"); // /api is a proxy prefix
    expect(message).toContain("namespace: '/api'"); // /api is a namespace
    expect(badInput({ url: 'https://x.test/notifications/' })).toContain("namespace: '/notifications'");
  });

  it('the message names the option and the value; what it must be is the hint (lazily loaded texts)', () => {
    expect(badInput({ url: 'https://x.test', reconnect: { delayMs: -1 } })).toBe(
      'Bad `reconnect.delayMs`: -1. → `reconnect.delayMs` must be a number between 0 and infinity: pass a number ≥ 0, or leave it out for the default (1000).',
    );
    expect(badInput({ url: 'https://x.test', reconnect: { jitter: Infinity } })).toMatch(/^Bad `reconnect.jitter`: null\. → .* between 0 and 1:/);
    expect(badInput({ url: 'https://x.test', share: { key: 5 } })).toMatch(/^Bad `share`: \{"key":5\}\. → `share` must be true, false or \{ key: string \}/);
  });

  it('a value JSON cannot show (a BigInt, a cycle) is still a BAD_INPUT naming the option, never a TypeError', () => {
    expect(badInput({ url: 'https://x.test', reconnect: { delayMs: 10n } })).toMatch(/^Bad `reconnect.delayMs`: bigint\. → /);
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(badInput({ url: 'https://x.test', share: cyclic })).toMatch(/^Bad `share`: object\. → `share` must be/);
  });

  it('applies the documented defaults; http adds the http rung', () => {
    const n = normalizeOptions({ url: 'wss://x.test' });
    expect(n).toMatchObject({ url: 'https://x.test', namespace: '/', path: '/socket.io', transports: ['websocket', 'polling'], upgradeIntervalMs: 30_000, autoConnect: true, reconnect: { attempts: 3, delayMs: 1000, maxDelayMs: 3000, jitter: 0.5, timeoutMs: 5000 } });
    expect(normalizeOptions({ url: 'https://x.test', http: { url: 'https://x.test/lifeline' } }).transports).toEqual(['websocket', 'polling', 'http']);
  });

  it('getState and subscribeState are bound', () => {
    const client = createClient({ url: 'https://x.test', autoConnect: false });
    const { getState, subscribeState } = client;
    const off = subscribeState(() => {});
    expect(getState().status).toBe('idle');
    off();
    client.close();
  });
});
