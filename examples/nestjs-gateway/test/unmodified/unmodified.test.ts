/**
 * Issue #12 against a real, unmodified NestJS gateway (test/unmodified/gateway.ts: namespace
 * `/api/v1/ws`, `subscribe { channels, logFilters }` acked `{ success, channels }`, events sent with
 * `server.to(room).emit`, socket-wide filters each `subscribe` replaces), behind the fault proxy:
 * channel handlers fire on websocket and on polling, the filters survive every re-join (one
 * batched `subscribe` on connect, on the fall to polling, on the climb back, after Socket.IO was
 * blocked), new params re-subscribe, acks work.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type EventMeta, type LifelineClient, type TransportName } from '@lifeline/core';
import { batchedChannelProtocol } from '@lifeline/core/protocols';
import { inspectClient } from '@lifeline/core/testing';
import { startProxy, waitFor, type FaultProxy } from '@lifeline/testkit';
import { startPlainGateway, type LogEntry, type PlainApp } from './gateway';

/** The app's channel protocol for this gateway (as docs/concepts.md shows it). */
const channels = batchedChannelProtocol({
  async joinMany(emit, joins) {
    const logFilters = joins.find((j) => j.channel === 'logs')?.params;
    const ack = (await emit('subscribe', { channels: joins.map((j) => j.channel), ...(logFilters ? { logFilters } : {}) }, 2000)) as { success?: boolean; channels?: string[] };
    return joins.map((j) => (ack.channels?.includes(j.channel) ? { ok: true as const } : { ok: false as const, code: 'FORBIDDEN' as const }));
  },
  leave: async (emit, channel) => void (await emit('unsubscribe', { channels: [channel] }, 2000)),
  channelOf: (event, [data]) => (event === 'log' ? 'logs' : event === 'notification' ? `user:${(data as { userId: string }).userId}` : undefined),
});

let nest: PlainApp | undefined;
let proxy: FaultProxy | undefined;
const clients: LifelineClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) {
    c.close();
    expect(inspectClient(c)).toMatchObject({ timers: 0, listeners: 0, sockets: 0 });
  }
  await proxy?.close();
  await nest?.close();
});

describe('an unmodified NestJS gateway (namespace /api/v1/ws, its own subscribe), behind the fault proxy', () => {
  it('room handlers fire on websocket and polling, log filters survive falls, climbs and blocked Socket.IO, acks work on every rung', async () => {
    nest = await startPlainGateway();
    proxy = await startProxy(nest.port, 'pass');
    const client = createClient({
      url: proxy.url,
      namespace: '/api/v1/ws',
      channels,
      transports: ['websocket', 'polling'],
      reconnect: { attempts: 2, delayMs: 50, maxDelayMs: 200, timeoutMs: 1000 },
      upgradeIntervalMs: 300,
    });
    clients.push(client);
    const logs: Array<[LogEntry, EventMeta]> = [];
    const notes: Array<[string, EventMeta]> = [];
    client.channel('logs', { params: { level: 'error' } }).on('log', (entry, meta) => void logs.push([entry as LogEntry, meta]));
    client.channel('user:1').on('notification', (n, meta) => void notes.push([(n as { text: string }).text, meta]));
    const gateway = nest.gateway;

    /** Publishes until one notification and one error log arrive on `transport`; info/debug logs go out too and must never arrive. */
    let n = 0;
    const deliversOn = async (transport: TransportName) => {
      await waitFor(() => client.getState().status === 'connected' && client.getState().transport === transport, { message: `connected on ${transport}`, timeoutMs: 10_000 });
      await waitFor(async () => {
        n++;
        gateway.notify('1', { id: `n${n}`, userId: '1', text: `to 1 #${n}` });
        gateway.notify('2', { id: `m${n}`, userId: '2', text: `to 2 #${n}` });
        await gateway.log({ level: 'info', text: `info #${n}` });
        await gateway.log({ level: 'error', text: `error #${n}` });
        return notes.some(([, m]) => m.transport === transport) && logs.some(([, m]) => m.transport === transport);
      }, { message: `room events on ${transport}`, intervalMs: 100, timeoutMs: 10_000 });
      expect(await client.emit('notification:read', { id: `n${n}` }, { ack: true, timeoutMs: 2000 })).toEqual({ ok: true, id: `n${n}` });
    };

    await deliversOn('websocket');
    // One subscribe for both channels, with the filters: nothing overwrote them.
    expect(gateway.subscribes[0]).toEqual({ channels: ['logs', 'user:1'], logFilters: { level: 'error' } });

    proxy.setMode('reject-upgrade'); // drops the websocket; the client falls to polling and re-joins
    await deliversOn('polling');

    proxy.setMode('pass'); // upgrades pass again: the client climbs back (make-before-break: the probe joins first)
    await deliversOn('websocket');
    proxy.setMode('reject-upgrade');
    await deliversOn('polling');

    proxy.setMode('block-socketio'); // a filter blocks /socket.io entirely: down on every socket rung
    await waitFor(() => client.getState().status !== 'connected', { message: 'down while Socket.IO is blocked' });
    proxy.setMode('pass');
    await deliversOn('websocket');

    // Every re-join was one batched subscribe that kept the filters.
    expect(gateway.subscribes.length).toBeGreaterThanOrEqual(5);
    for (const s of gateway.subscribes) expect(s).toEqual({ channels: ['logs', 'user:1'], logFilters: { level: 'error' } });
    expect(logs.map(([e]) => e.level)).not.toContain('info');
    expect(new Set(logs.map(([, m]) => m.channel))).toEqual(new Set(['logs']));
    expect(notes.every(([text, m]) => text.startsWith('to 1 ') && m.channel === 'user:1')).toBe(true);

    // New params re-subscribe: warn logs now pass, info still does not.
    const warn = client.channel('logs', { params: { level: 'warn' } });
    await waitFor(() => gateway.subscribes.at(-1)?.logFilters?.level === 'warn', { message: 're-subscribed with new filters' });
    expect(gateway.subscribes.at(-1)).toEqual({ channels: ['logs'], logFilters: { level: 'warn' } });
    const before = logs.length;
    await gateway.log({ level: 'info', text: 'info late' });
    await gateway.log({ level: 'warn', text: 'warn late' });
    await waitFor(() => logs.length > before, { message: 'warn log' });
    expect(logs.slice(before).map(([e]) => e.text)).toEqual(['warn late']);
    warn.leave();
  }, 60_000);
});
