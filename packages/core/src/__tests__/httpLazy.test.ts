/**
 * The lazily loaded `http` rung's own lifecycle (transports/lifecycle.ts): a failure to load
 * reports `close` once and drops every listener, and `close()` settles every call queued while
 * the module loads (before, both were forgotten: listeners kept, queued joins pending forever).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultIsAuthError } from '../authError';
import { lifelineChannelProtocol } from '../channelProtocol';
import type { LifelineError } from '../errors';
import type { Transport, TransportContext, TransportFailure } from '../transports/types';

const ctx: TransportContext = { url: 'http://127.0.0.1:1', namespace: '/', path: '/socket.io', auth: {}, timeoutMs: 1000, channelProtocol: lifelineChannelProtocol, isAuthError: defaultIsAuthError, http: { url: 'http://127.0.0.1:1/lifeline' } };
type Counted = Transport & { readonly listenerCount: number };
const PENDING = Symbol('pending');
const settled = <T>(p: Promise<T>) => Promise.race([p, new Promise<typeof PENDING>((r) => setTimeout(() => r(PENDING), 100))]);

async function lazy(): Promise<Counted> {
  const { createLazyHttpTransport } = await import('../transports/httpLazy');
  return createLazyHttpTransport(ctx) as Counted;
}

describe('lazy http transport lifecycle', () => {
  afterEach(() => {
    vi.doUnmock('../transports/http');
    vi.resetModules();
  });

  it('a module that cannot load closes the attempt once, as unreachable, and drops every listener', async () => {
    vi.resetModules();
    vi.doMock('../transports/http', () => {
      throw new Error('Failed to fetch dynamically imported module');
    });
    const t = await lazy();
    const closes: TransportFailure[] = [];
    t.on('close', (f) => closes.push(f));
    t.on('open', () => {});
    t.on('message', () => {});
    expect(t.listenerCount).toBe(3);
    t.connect();
    await vi.waitFor(() => expect(closes).toHaveLength(1));
    expect(closes[0]).toMatchObject({ kind: 'unreachable', opened: false });
    expect(t.listenerCount).toBe(0);
  });

  it('close() before the module loaded settles every queued call: joins cut short, acks CLOSED, leaves resolved', async () => {
    const t = await lazy();
    const join = t.join('room', '5');
    const leave = t.leave('other');
    const acks: Array<LifelineError | null> = [];
    t.send('save', { a: 1 }, (e) => acks.push(e));
    const history = t.history!('room', { limit: 10 }, 1000).catch((e: LifelineError) => e.code);
    t.close();
    expect(await settled(join)).toEqual({ ok: false, code: 'TIMEOUT', message: 'The http transport closed before it started.' });
    expect(await settled(leave)).toBeUndefined();
    expect(acks.map((e) => e?.code)).toEqual(['CLOSED']);
    expect(await settled(history)).toBe('CLOSED');
    // A call after close settles at once too.
    expect(await settled(t.join('late', undefined))).toMatchObject({ ok: false, code: 'TIMEOUT' });
    expect(t.listenerCount).toBe(0);
  });
});
