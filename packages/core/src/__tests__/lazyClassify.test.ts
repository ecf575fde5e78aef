/**
 * The failure classification (classify.ts) is a lazily loaded chunk: a Socket.IO transport is
 * torn down at once when it fails and reports `close` once the classifier is there; when the
 * chunk cannot load, the failure is still reported (unreachable: retried with backoff).
 * Against a port nothing listens on (127.0.0.1, bounded: one refused attempt each).
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TransportContext, TransportFailure } from '../transports/types';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function failOnce(): Promise<TransportFailure> {
  const { SocketIoTransport } = await import('../transports/socketio');
  const { lifelineChannelProtocol } = await import('../channelProtocol');
  const { defaultIsAuthError } = await import('../authError');
  const ctx: TransportContext = { url: `http://127.0.0.1:${await closedPort()}`, namespace: '/', path: '/socket.io', auth: {}, timeoutMs: 2000, channelProtocol: lifelineChannelProtocol, isAuthError: defaultIsAuthError };
  const t = new SocketIoTransport('polling', 'polling', ctx);
  const closed = new Promise<TransportFailure>((resolve) => t.on('close', resolve));
  t.connect();
  return closed;
}

describe('lazily loaded failure classification', () => {
  afterEach(() => {
    vi.doUnmock('../classify');
    vi.resetModules();
  });

  it('a refused connection is classified once the classifier loaded', async () => {
    vi.resetModules();
    const failure = await failOnce();
    expect(failure.kind).toBe('unreachable');
    expect(failure.error?.message).toMatch(/^Cannot reach http:\/\/127\.0\.0\.1:\d+\/socket\.io over polling/);
  });

  it('when the classifier cannot load, the failure is still reported, as unreachable with a short message', async () => {
    vi.resetModules();
    vi.doMock('../classify', () => {
      throw new Error('Failed to fetch dynamically imported module');
    });
    const failure = await failOnce();
    expect(failure).toMatchObject({ kind: 'unreachable', opened: false });
    expect(failure.error?.code).toBe('UNREACHABLE');
    expect(failure.error?.message).toMatch(/^The polling connection to http:\/\/127\.0\.0\.1:\d+\/socket\.io failed: /);
  });
});
