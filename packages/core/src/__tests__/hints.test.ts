import { beforeAll, describe, expect, it } from 'vitest';
import { isLifelineError, LifelineError, type LifelineErrorCode, loadHints } from '../errors';
import { HINTS } from '../hints';

// These tests read `hint` synchronously: load the hint texts first, as the client does before it reports an error.
beforeAll(() => loadHints());

const codes = Object.keys(HINTS) as LifelineErrorCode[];

describe('hints', () => {
  it.each(codes)('%s has an actionable hint, with and without details', (code) => {
    const bare = new LifelineError(code, 'x');
    expect(bare.hint.length).toBeGreaterThan(30);
    const rich = new LifelineError(code, 'x', { url: 'https://api.example.com/api', namespace: '/n', event: 'e', channel: 'c', timeoutMs: 5, status: 502, serverMessage: 'm', bodySnippet: '<html>' });
    expect(rich.hint).not.toContain('undefined');
    expect(isLifelineError(rich)).toBe(true);
  });

  it('INVALID_NAMESPACE names the namespace asked for, the NestJS gateway and the /api-prefix cause', () => {
    // details.url is origin + Socket.IO path: its "/socket.io" must not be taken for a namespace.
    const e = new LifelineError('INVALID_NAMESPACE', 'x', { namespace: '/notifications', url: 'https://h/socket.io' });
    expect(e.hint).toContain('no Socket.IO namespace "/notifications"');
    expect(e.hint).toContain("@WebSocketGateway({ namespace: 'notifications' }) listens on \"/notifications\"");
    expect(e.hint).toContain('"/api"');
    expect(e.hint).toContain("`path` ('/api/socket.io')");
    expect(e.hint).not.toContain('"/socket.io"');
    const glued = new LifelineError('INVALID_NAMESPACE', 'x', { namespace: '/api/notifications' });
    expect(glued.hint).toContain("`path: '/api/socket.io'` with `namespace: '/notifications'`");
  });

  it('isLifelineError accepts an error of another copy of the package (name LifelineError with a string code) and rejects partial look-alikes', () => {
    expect(isLifelineError(new Error('x'))).toBe(false);
    expect(isLifelineError({ name: 'LifelineError', code: 'CLOSED' })).toBe(true);
    expect(isLifelineError(null)).toBe(false);
    expect(isLifelineError({ name: 'LifelineError' })).toBe(false); // no code
    expect(isLifelineError({ name: 'LifelineError', code: 7 })).toBe(false); // code not a string
    expect(isLifelineError({ name: 'Error', code: 'CLOSED' })).toBe(false); // code alone is not enough
  });
});
