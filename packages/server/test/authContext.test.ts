/**
 * `authenticate(auth, { headers, cookies })`: a cookie-session app authenticates from its session
 * cookie on the socket handshake and on HTTP, without a token route (issue #12).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { AuthContext } from '@lifeline/server';
import { authContext } from '../src/auth';
import { startCompanion, type Companion, type User } from './helpers';

const SESSIONS: Record<string, User> = { 's-ada': { name: 'ada' } };
let companion: Companion;
afterEach(() => companion?.close());

async function start(seen: AuthContext[]) {
  companion = await startCompanion('express', {
    authenticate: (_auth, context) => {
      seen.push(context);
      return SESSIONS[context.cookies.sid ?? ''] ?? null;
    },
  });
}

describe('authenticate gets the request context', () => {
  it.each(['websocket', 'polling'] as const)('on the socket handshake (%s): the session cookie authenticates; without it, "unauthorized"', async (transport) => {
    const seen: AuthContext[] = [];
    await start(seen);
    const open = (cookie?: string) =>
      new Promise<string>((resolve) => {
        const s = connect(`${companion.url}/ns`, { transports: [transport], reconnection: false, forceNew: true, ...(cookie ? { extraHeaders: { cookie } } : {}) });
        s.once('connect', () => (s.close(), resolve('connected')));
        s.once('connect_error', (e) => (s.close(), resolve(e.message)));
      });
    expect(await open('theme=dark; sid=s-ada')).toBe('connected');
    expect(seen.at(-1)!.cookies).toEqual({ theme: 'dark', sid: 's-ada' });
    expect(seen.at(-1)!.headers.host).toContain('127.0.0.1');
    expect(await open()).toBe('unauthorized');
  });

  it('on HTTP poll and emit: the session cookie authenticates; without it, 401', async () => {
    const seen: AuthContext[] = [];
    await start(seen);
    companion.lifeline.on('whoami', (_d, user) => user.name);
    const poll = (headers: Record<string, string>) => fetch(`${companion.base}/poll?channels=c&wait=0`, { headers });
    expect((await poll({ cookie: 'sid=s-ada' })).status).toBe(200);
    expect(seen.at(-1)!.cookies.sid).toBe('s-ada');
    expect((await poll({})).status).toBe(401);
    const emit = await fetch(`${companion.base}/emit`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'sid=s-ada' }, body: JSON.stringify({ event: 'whoami', data: null, id: 'e1' }) });
    expect(await emit.json()).toEqual({ ack: 'ada' });
  });

  it('parses the Cookie header as browsers send it: decoded values, quotes, the first of a name, junk ignored', () => {
    expect(authContext({ cookie: 'a=1; b=%E2%9C%93; c="q"; a=2; junk; =x; d=%zz' }).cookies).toEqual({ a: '1', b: '✓', c: 'q', d: '%zz' });
    expect(authContext({}).cookies).toEqual({});
  });
});
