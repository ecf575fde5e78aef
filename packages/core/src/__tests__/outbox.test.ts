import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Acks } from '../acks';
import { defaultClock } from '../clock';
import { isLifelineError, LifelineError, loadHints } from '../errors';
import { loadClimb } from '../ladder';
import { Outbox } from '../outbox';
import { createFakeTransports, createTestClient, type FakeTransports } from '../testing';

// Error events wait for the hint texts (a lazy chunk): loaded first, they are synchronous as these tests expect.
// So does the climb chunk, which a fake lower rung (open at once) would otherwise wait for.
beforeAll(() => Promise.all([loadHints(), loadClimb()]));

describe('Outbox', () => {
  it('is bounded by count and by age, and drains oldest first', () => {
    const box = new Outbox(2, 100);
    expect(box.push({ event: 'a', data: 1, at: 0 })).toBe(true);
    expect(box.push({ event: 'b', data: 2, at: 50 })).toBe(true);
    expect(box.push({ event: 'c', data: 3, at: 60 })).toBe(false);
    expect(box.expire(120).map((i) => i.event)).toEqual(['a']);
    expect(box.push({ event: 'd', data: 4, at: 120 })).toBe(true);
    expect(box.drain().map((i) => i.event)).toEqual(['b', 'd']);
    expect(box.size).toBe(0);
  });
});

describe('Acks', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('resolves with the reply, rejects ACK_TIMEOUT after timeoutMs, CLOSED on rejectAll', async () => {
    const acks = new Acks(defaultClock);
    const ok = acks.create<number>('a', 100);
    ok.callback(null, 7);
    await expect(ok.promise).resolves.toBe(7);
    const late = acks.create('b', 100);
    const lateResult = late.promise.catch((e: LifelineError) => e);
    await vi.advanceTimersByTimeAsync(100);
    late.callback(null, 'too late');
    expect((await lateResult as LifelineError).code).toBe('ACK_TIMEOUT');
    const pending = acks.create('c', 1000);
    const closed = pending.promise.catch((e: unknown) => e);
    acks.rejectAll(new LifelineError('CLOSED', 'closed'));
    const e = await closed;
    expect(isLifelineError(e) && e.code).toBe('CLOSED');
    expect(acks.size).toBe(0);
  });
});

describe('client emit', () => {
  let fakes: FakeTransports;
  beforeEach(() => {
    vi.useFakeTimers();
    fakes = createFakeTransports();
  });
  afterEach(() => vi.useRealTimers());

  it('queues while down, flushes in order over whatever transport connects, then sends directly', async () => {
    const client = createTestClient({ url: 'http://api.test' }, { factories: fakes.factories, storage: null });
    client.emit('a', 1);
    const reply = client.emit('b', 2, { ack: true, timeoutMs: 5000 });
    client.emit('c', 3);
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.fail('upgrade-blocked');
    const polling = fakes.last('polling')!;
    polling.open();
    expect(polling.sent.map((s) => s.event)).toEqual(['a', 'b', 'c']);
    polling.sent[1]!.ack!(null, 'ok');
    await expect(reply).resolves.toBe('ok');
    client.emit('d', 4);
    expect(polling.sent.map((s) => s.event)).toEqual(['a', 'b', 'c', 'd']);
    client.close();
  });

  it('drops queued emits older than maxAgeMs with an error', async () => {
    const client = createTestClient({ url: 'http://api.test', autoConnect: false, outbox: { maxAgeMs: 1000 } }, { factories: fakes.factories, storage: null });
    const errors: string[] = [];
    client.on('error', (e) => errors.push(`${e.code}:${String(e.details.event)}`));
    client.emit('old', 1);
    await vi.advanceTimersByTimeAsync(2000);
    client.emit('new', 2);
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    fakes.last('websocket')!.open();
    expect(fakes.last('websocket')!.sent.map((s) => s.event)).toEqual(['new']);
    expect(errors).toEqual(['TIMEOUT:old']);
    client.close();
  });

  it('close() rejects pending and queued acks with CLOSED', async () => {
    const client = createTestClient({ url: 'http://api.test' }, { factories: fakes.factories, storage: null });
    await vi.advanceTimersByTimeAsync(0);
    const ws = fakes.last('websocket')!;
    ws.open();
    const outcomes: Record<string, unknown> = {};
    const settle = (name: string, reply: Promise<unknown>) => void reply.then((r) => (outcomes[name] = r), (e: unknown) => (outcomes[name] = isLifelineError(e) ? e.code : e));
    settle('pending', client.emit('sent', 1, { ack: true }));
    expect(ws.sent.map((s) => s.event)).toEqual(['sent']); // on the wire, its reply outstanding
    ws.fail('transport-closed');
    settle('queued', client.emit('x', 1, { ack: true }));
    expect(ws.sent).toHaveLength(1); // down: this one waits in the outbox
    client.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(outcomes).toEqual({ pending: 'CLOSED', queued: 'CLOSED' });
    await expect(client.emit('y', 1, { ack: true })).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
