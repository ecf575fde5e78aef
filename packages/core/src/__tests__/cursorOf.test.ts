/**
 * `cursorOf` (dedupe by the app's own positions, carried to the http rung), `recovered` in the
 * state, and emits waiting in the outbox while a receive-only adapter rung carries traffic.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadClimb } from '../ladder';
import { createFakeTransports, createTestClient, type FakeTransports } from '../testing';
import type { ClientOptions } from '../options';

// A fake lower rung opens at once: load the climb chunk first, as a real one (a handshake) opens after it loaded.
beforeAll(() => loadClimb());

let fakes: FakeTransports;
beforeEach(() => {
  vi.useFakeTimers();
  fakes = createFakeTransports();
});
afterEach(() => {
  vi.useRealTimers();
});

const reconnect = { attempts: 1, delayMs: 100, maxDelayMs: 100, jitter: 0, timeoutMs: 1000 };
const poll = async () => ({ events: [] });

function make(extra: Partial<ClientOptions> = {}) {
  return createTestClient({ url: 'http://api.test', reconnect, upgradeIntervalMs: 5000, ...extra }, { factories: fakes.factories, storage: null, headStartMs: 400 });
}

describe('cursorOf', () => {
  it('drops an event at or before the last position seen, on every rung; events outside the sequence pass', async () => {
    const client = make({ cursorOf: (_e, d) => (d as { seq?: number }).seq });
    const got: unknown[] = [];
    client.on('n', (d) => got.push(d));
    await vi.advanceTimersByTimeAsync(0);
    const ws = fakes.last('websocket')!;
    ws.open();
    for (const seq of [1, 2, 2, 1, 10, 9]) ws.receive({ event: 'n', data: { seq } });
    ws.receive({ event: 'n', data: { note: 'no position' } });
    ws.receive({ event: 'n', data: { seq: 11 } });
    expect(got).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 10 }, { note: 'no position' }, { seq: 11 }]);
    client.close();
  });

  it('orders string positions as ids (numeric parts by value) and survives a cursorOf that throws', async () => {
    const client = make({
      cursorOf: (_e, d) => {
        if (d === 'boom') throw new Error('odd payload');
        return (d as { id: string }).id;
      },
    });
    const got: unknown[] = [];
    client.on('n', (d) => got.push(d));
    await vi.advanceTimersByTimeAsync(0);
    const ws = fakes.last('websocket')!;
    ws.open();
    for (const id of ['9', '10', '9', '1700000000000-2', '1700000000000-12', '1700000000000-3']) ws.receive({ event: 'n', data: { id } });
    ws.receive({ event: 'n', data: 'boom' });
    expect(got.map((d) => (typeof d === 'string' ? d : (d as { id: string }).id))).toEqual(['9', '10', '1700000000000-2', '1700000000000-12', 'boom']);
    client.close();
  });

  it('the position seen on a socket rung is where the http rung starts: one memory per client, across attempts', async () => {
    const client = make({ transports: ['websocket', 'http'], http: { poll }, cursorOf: (_e, d) => (d as { seq: number }).seq });
    await vi.advanceTimersByTimeAsync(0);
    const ws = fakes.last('websocket')!;
    ws.open();
    ws.receive({ event: 'n', data: { seq: 41 } });
    ws.fail('transport-closed');
    await vi.advanceTimersByTimeAsync(1000);
    const next = fakes.created.at(-1)!;
    expect(next.context.session).toBe(ws.context.session);
    expect(next.context.session?.cursor).toBe(41);
    client.close();
  });
});

describe('a receive-only rung (http.poll without send)', () => {
  it('keeps emits in the outbox, then sends them with their acks on the next socket rung', async () => {
    const client = make({ transports: ['http', 'websocket'], http: { poll } });
    await vi.advanceTimersByTimeAsync(0);
    const http = fakes.last('http')!;
    Object.assign(http, { receiveOnly: true });
    http.open();
    expect(client.getState().transport).toBe('http');
    const reply = client.emit('comment:add', { text: 'hi' }, { ack: true, timeoutMs: 60_000 });
    client.emit('typing', {});
    expect(http.sent).toEqual([]);
    http.fail('transport-closed');
    await vi.advanceTimersByTimeAsync(1000);
    const next = fakes.created.at(-1)!;
    next.open();
    expect(next.sent.map((s) => s.event)).toEqual(['comment:add', 'typing']);
    next.sent[0]!.ack?.(null, { id: 1 });
    await expect(reply).resolves.toEqual({ id: 1 });
    client.close();
  });
});

describe('ConnectionState.recovered', () => {
  it('is what the transport that connected says, and false again on a fresh session', async () => {
    const client = make({ transports: ['websocket'] });
    await vi.advanceTimersByTimeAsync(0);
    expect(client.getState().recovered).toBe(false);
    const first = fakes.last('websocket')!;
    first.open();
    expect(client.getState().recovered).toBe(false);
    first.fail('transport-closed');
    await vi.advanceTimersByTimeAsync(1000);
    const second = fakes.last('websocket')!;
    Object.assign(second, { recovered: true });
    second.open();
    expect(client.getState()).toMatchObject({ status: 'connected', recovered: true });
    second.fail('transport-closed');
    await vi.advanceTimersByTimeAsync(1000);
    fakes.last('websocket')!.open();
    expect(client.getState().recovered).toBe(false);
    client.close();
  });
});
