import { isLifelineError } from '@lifeline/core';
import { delay, waitFor } from '@lifeline/testkit';
import { describe, expect, it } from 'vitest';
import { lifelineHandlers, rigPerTest } from './setup';

const rig = rigPerTest();

describe('server refusals', () => {
  it('wrong namespace → INVALID_NAMESPACE naming it, terminal: no further attempts', async () => {
    let engineConnections = 0;
    const r = await rig('pass', (io) => {
      lifelineHandlers(io);
      io.engine.on('connection', () => engineConnections++);
    });
    const client = r.client({ namespace: '/notifications' });
    const errors: unknown[] = [];
    client.on('error', (e) => errors.push(e));
    await waitFor(() => client.getState().lastError, { message: 'terminal error' });
    await waitFor(() => errors.length > 0, { message: 'the error event (it comes with the hint texts)' });
    const s = client.getState();
    expect(s.status).toBe('idle');
    expect(s.lastError?.code).toBe('INVALID_NAMESPACE');
    expect(s.lastError?.message).toContain('/notifications');
    expect(s.lastError?.hint).toContain('@WebSocketGateway');
    expect(errors).toHaveLength(1);
    await delay(600); // several backoff periods and a head start
    expect(engineConnections).toBe(1);
    expect(client.getState().status).toBe('idle');
  });

  it('auth refused, then a fresh token is accepted: auth() is called before every attempt', async () => {
    const r = await rig('pass', (io) => {
      io.use((socket, next) => (socket.handshake.auth.token === 'good' ? next() : next(new Error('unauthorized'))));
      lifelineHandlers(io);
    });
    const tokens = ['expired', 'good'];
    let calls = 0;
    const client = r.client({ auth: async () => ({ token: tokens[Math.min(calls++, 1)] }) });
    await waitFor(() => client.getState().status === 'connected', { message: 'connects with the fresh token' });
    expect(calls).toBe(2);
    expect(client.getState().transport).toBe('websocket'); // a refusal never changes rungs
  });

  it('stops after `attempts` consecutive refusals with UNAUTHORIZED', async () => {
    let handshakes = 0;
    const r = await rig('pass', (io) => {
      io.use((_socket, next) => {
        handshakes++;
        next(new Error('jwt expired'));
      });
    });
    let calls = 0;
    const client = r.client({ auth: () => ({ token: `t${++calls}` }), reconnect: { attempts: 2, delayMs: 20, maxDelayMs: 40, timeoutMs: 1000 } });
    await waitFor(() => client.getState().status === 'idle' && client.getState().lastError, { message: 'stops' });
    const err = client.getState().lastError!;
    expect(isLifelineError(err) && err.code).toBe('UNAUTHORIZED');
    expect(err.hint).toMatch(/fresh token/);
    await delay(300);
    expect(calls).toBe(2);
    expect(handshakes).toBe(2);
  });
});
