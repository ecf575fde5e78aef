import { beforeAll, describe, expect, it } from 'vitest';
import { classifyConnectError, classifyDisconnect, classifyUnacknowledged, defaultIsAuthError, type ClassifyContext } from '../classify';
import { loadHints } from '../errors';

// These tests read `hint` synchronously: load the hint texts first, as the client does before it reports an error.
beforeAll(() => loadHints());

const ctx = (transport: 'websocket' | 'polling'): ClassifyContext => ({ transport, url: 'http://127.0.0.1:1/socket.io', namespace: '/n', timeoutMs: 1000, isAuthError: defaultIsAuthError });
/** socket.io-client's TransportError shape (engine.io-client), as measured in NOTES.md. */
const transportError = (message: string, description: unknown, context?: unknown) => Object.assign(new Error(message), { type: 'TransportError', description, context });

describe('classifyConnectError (NOTES.md table)', () => {
  it.each([
    ['websocket 400 (rejected / stripped upgrade)', 'websocket', transportError('websocket error', new Error('Unexpected server response: 400')), 'upgrade-blocked', 'UPGRADE_BLOCKED'],
    ['websocket reset', 'websocket', transportError('websocket error', new Error('read ECONNRESET')), 'unreachable', 'UNREACHABLE'],
    ['websocket refused', 'websocket', transportError('websocket error', new Error('connect ECONNREFUSED 127.0.0.1:1')), 'unreachable', 'UNREACHABLE'],
    ['websocket 502 from a proxy', 'websocket', transportError('websocket error', new Error('Unexpected server response: 502')), 'unreachable', 'UNREACHABLE'],
    ['black hole', 'websocket', new Error('timeout'), 'timeout', 'TIMEOUT'],
    ['polling 502', 'polling', transportError('xhr poll error', 502, { status: 502 }), 'unreachable', 'UNREACHABLE'],
    ['polling nothing listening', 'polling', transportError('xhr poll error', 0, { status: 0 }), 'unreachable', 'UNREACHABLE'],
    ['polling session unknown', 'polling', transportError('xhr poll error', 400, { status: 400, responseText: '{"code":1,"message":"Session ID unknown"}' }), 'session-unknown', 'UNREACHABLE'],
    ['unknown namespace', 'websocket', new Error('Invalid namespace'), 'invalid-namespace', 'INVALID_NAMESPACE'],
    ['auth middleware', 'polling', Object.assign(new Error('unauthorized'), { data: { reason: 'expired' } }), 'unauthorized', 'UNAUTHORIZED'],
    ['jwt expired', 'websocket', new Error('jwt expired'), 'unauthorized', 'UNAUTHORIZED'],
    ['invalid credentials', 'websocket', new Error('Invalid credentials'), 'unauthorized', 'UNAUTHORIZED'],
    ['forbidden', 'websocket', new Error('Forbidden'), 'forbidden', 'FORBIDDEN'],
    ['other middleware refusal', 'websocket', new Error('too many connections'), 'protocol', 'PROTOCOL'],
  ] as const)('%s → %s', (_name, transport, err, kind, code) => {
    const f = classifyConnectError(err, ctx(transport));
    expect(f.kind).toBe(kind);
    expect(f.error?.code).toBe(code);
    expect(f.opened).toBe(false);
    expect(f.reason.length).toBeGreaterThan(5);
  });

  it('a refused TCP connection (nothing listens) says so; a reset or a proxy 502 does not', () => {
    expect(classifyConnectError(transportError('websocket error', new Error('connect ECONNREFUSED 127.0.0.1:1')), ctx('websocket')).refused).toBe(true);
    expect(classifyConnectError(transportError('websocket error', new Error('read ECONNRESET')), ctx('websocket')).refused).toBeUndefined();
    expect(classifyConnectError(transportError('websocket error', new Error('Unexpected server response: 502')), ctx('websocket')).refused).toBeUndefined();
  });

  it('names the namespace for INVALID_NAMESPACE and keeps server data', () => {
    expect(classifyConnectError(new Error('Invalid namespace'), ctx('websocket')).error?.message).toContain('"/n"');
    const f = classifyConnectError(Object.assign(new Error('unauthorized'), { data: { why: 'x' } }), ctx('websocket'));
    expect(f.error?.details.data).toEqual({ why: 'x' });
  });

  it('a custom isAuthError recognizes app-specific refusals', () => {
    const f = classifyConnectError(new Error('E_SESSION_GONE'), { ...ctx('websocket'), isAuthError: (e) => e.message.startsWith('E_SESSION') });
    expect(f.kind).toBe('unauthorized');
  });
});

describe('classifyDisconnect', () => {
  it.each([
    ['io server disconnect', true, 'server-closed'],
    ['transport close', true, 'transport-closed'],
    ['ping timeout', true, 'transport-closed'],
    ['parse error', true, 'protocol'],
    ['transport close', false, 'silent'],
    ['ping timeout', false, 'silent'],
    ['io server disconnect', false, 'server-closed'],
  ] as const)('%s (heard after open: %s) → %s', (reason, heard, kind) => {
    expect(classifyDisconnect(reason, heard, ctx('polling')).kind).toBe(kind);
  });

  it('a namespace CONNECT never acknowledged after the handshake is TIMEOUT naming the namespace and the middleware', () => {
    const f = classifyUnacknowledged({ ...ctx('websocket'), namespace: '/desk', timeoutMs: 1000 });
    expect(f.kind).toBe('unacknowledged');
    expect(f.error?.code).toBe('TIMEOUT');
    expect(f.error?.message).toContain('"/desk"');
    expect(f.error?.hint).toMatch(/middleware.*next\(\)/);
  });
});
