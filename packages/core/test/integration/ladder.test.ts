import type { TransportChange, TransportName } from '@lifeline/core';
import { waitFor, type ProxyMode } from '@lifeline/testkit';
import { describe, expect, it } from 'vitest';
import { FAST, rigPerTest } from './setup';

const rig = rigPerTest();

const cases: Array<{ mode: ProxyMode; rung: TransportName; code: string | null }> = [
  { mode: 'pass', rung: 'websocket', code: null },
  { mode: 'reject-upgrade', rung: 'polling', code: 'UPGRADE_BLOCKED' },
  { mode: 'strip-upgrade', rung: 'polling', code: 'UPGRADE_BLOCKED' },
  { mode: 'reset-upgrade', rung: 'polling', code: 'UPGRADE_BLOCKED' },
  { mode: 'blackhole-upgrade', rung: 'polling', code: 'UPGRADE_BLOCKED' },
];

describe('ladder through the fault proxy', () => {
  it.each(cases)('$mode: connects on $rung, receives events, climbs back to websocket on pass', async ({ mode, rung, code }) => {
    const r = await rig(mode);
    // A long timeout shows that a black hole costs the 250 ms head start, not the timeout.
    const client = r.client(mode === 'blackhole-upgrade' ? { reconnect: { ...FAST, timeoutMs: 4000 } } : {});
    const changes: TransportChange[] = [];
    client.on('transport', (c) => changes.push(c));
    const news: Array<{ payload: unknown; transport: string }> = [];
    client.on('news', (payload, meta) => news.push({ payload, transport: meta.transport }));
    const started = Date.now();
    await waitFor(() => client.getState().status === 'connected', { message: `connected through ${mode}` });
    const elapsed = Date.now() - started;
    const state = client.getState();
    expect(state.transport).toBe(rung);
    expect(state.fallback).toBe(rung !== 'websocket');
    // A black hole is told only once the websocket attempt kept from the head-start race times out.
    expect(state.lastError?.code ?? null).toBe(mode === 'blackhole-upgrade' ? null : code);
    // Escalation is immediate (no 3 × timeoutMs), a black hole costs about the head start.
    expect(elapsed).toBeLessThan(mode === 'blackhole-upgrade' ? 2500 : 1500);
    expect(r.proxy.stats.upgrades).toBe(1); // one WebSocket try, not `attempts` of them
    r.server.io.emit('news', { n: 1 });
    await waitFor(() => news.length === 1, { message: 'first event' });
    expect(news[0]).toEqual({ payload: { n: 1 }, transport: rung });
    if (rung === 'websocket') return;
    expect(changes.at(-1)).toMatchObject({ from: null, to: 'polling' });
    expect(changes.at(-1)!.reason).toMatch(/polling/);

    r.proxy.setMode('pass');
    // (The black-holed attempt kept from the race holds the probe slot until its timeout.)
    await waitFor(() => client.getState().transport === 'websocket', { message: 'climbs back to websocket', timeoutMs: mode === 'blackhole-upgrade' ? 7000 : 3000 });
    expect(client.getState()).toMatchObject({ status: 'connected', fallback: false, lastError: null });
    expect(changes.at(-1)).toMatchObject({ from: 'polling', to: 'websocket' });
    expect(changes.at(-1)!.reason).toMatch(/climbed back/);
    r.server.io.emit('news', { n: 2 });
    await waitFor(() => news.length === 2, { message: 'event after the climb' });
    expect(news[1]).toEqual({ payload: { n: 2 }, transport: 'websocket' });
    // Only one connection left on the server: the polling one was closed after the switch.
    await waitFor(() => r.server.io.of('/').sockets.size === 1, { message: 'old connection closed' });
  });

  it('down → pass: keeps retrying the top rung without escalating, then connects over websocket', async () => {
    const r = await rig('down');
    const client = r.client();
    const changes: TransportChange[] = [];
    client.on('transport', (c) => changes.push(c));
    await waitFor(() => client.getState().attempt >= 4, { message: 'several failed attempts', timeoutMs: 5000 });
    const s = client.getState();
    expect(s.status).toBe('reconnecting');
    expect(s.lastError?.code).toBe('UNREACHABLE');
    expect(changes).toEqual([]); // never escalated to polling
    r.proxy.setMode('pass');
    await waitFor(() => client.getState().status === 'connected', { message: 'connects after down', timeoutMs: 3000 });
    expect(client.getState()).toMatchObject({ transport: 'websocket', fallback: false, lastError: null });
  });

  it('on the polling rung, survives a server restart and still climbs back afterwards', async () => {
    const r = await rig('reject-upgrade');
    const client = r.client();
    const got: unknown[] = [];
    client.on('news', (p) => got.push(p));
    await waitFor(() => client.getState().transport === 'polling', { message: 'on polling' });
    await r.server.restart();
    await waitFor(() => client.getState().status !== 'connected', { message: 'notices the restart' });
    await waitFor(() => client.getState().status === 'connected', { message: 'reconnected', timeoutMs: 5000 });
    expect(client.getState().transport).toBe('polling');
    r.server.io.emit('news', 1);
    await waitFor(() => got.length === 1, { message: 'after restart' });
    r.proxy.setMode('pass');
    await waitFor(() => client.getState().transport === 'websocket', { message: 'climbs back', timeoutMs: 3000 });
  });

  it('reconnects after a server restart mid-stream and keeps delivering', async () => {
    const r = await rig('pass');
    const client = r.client();
    const got: unknown[] = [];
    client.on('news', (p) => got.push(p));
    await waitFor(() => client.getState().status === 'connected', { message: 'connected' });
    r.server.io.emit('news', 1);
    await waitFor(() => got.length === 1, { message: 'before restart' });
    await r.server.restart();
    await waitFor(() => client.getState().status !== 'connected', { message: 'notices the restart' });
    await waitFor(() => client.getState().status === 'connected', { message: 'reconnected', timeoutMs: 5000 });
    expect(client.getState().transport).toBe('websocket');
    r.server.io.emit('news', 2);
    await waitFor(() => got.length === 2, { message: 'after restart' });
    expect(got).toEqual([1, 2]);
  });
});
