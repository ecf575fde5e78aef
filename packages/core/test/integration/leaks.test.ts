import { inspectClient } from '@lifeline/core/testing';
import { waitFor } from '@lifeline/testkit';
import { describe, expect, it } from 'vitest';
import { lifelineHandlers, rigPerTest } from './setup';

const rig = rigPerTest();

describe('close()', () => {
  it.each(['pass', 'reject-upgrade', 'blackhole-upgrade'] as const)('releases every timer, listener and socket (%s)', async (mode) => {
    let disconnects = 0;
    const r = await rig(mode, (io) => {
      lifelineHandlers(io);
      io.on('connection', (s) => s.on('disconnect', () => disconnects++));
    });
    const client = r.client({ upgradeIntervalMs: 100 });
    client.on('news', () => {});
    client.subscribeState(() => {});
    const room = client.channel('a');
    room.on('x', () => {});
    const pending = client.emit('never-acked', 1, { ack: true, timeoutMs: 10_000 });
    await waitFor(() => client.getState().status === 'connected', { message: 'connected' });
    await waitFor(() => r.server.io.of('/').sockets.size >= 1, { message: 'server sees it' });
    expect(inspectClient(client).sockets).toBeGreaterThanOrEqual(1);
    client.close();
    await expect(pending).rejects.toMatchObject({ code: 'CLOSED' });
    expect(inspectClient(client)).toEqual({ timers: 0, listeners: 0, sockets: 0, transports: [] });
    expect(client.getState().status).toBe('closed');
    await waitFor(() => r.server.io.of('/').sockets.size === 0, { message: 'server sees the disconnect' });
    expect(disconnects).toBeGreaterThanOrEqual(1);
    expect(() => client.emit('late', 1)).toThrow(/closed/);
  });
});
