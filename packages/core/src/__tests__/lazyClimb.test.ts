/**
 * What the ladder does below the top rung (climb.ts: the fall notice, the climb back) is a lazily
 * loaded chunk, started when the client first launches a lower rung. These tests load it for
 * real in a fresh module graph: a client that stays on the top rung never loads it; a lower rung
 * that opens before it loaded waits for it and loses nothing; and a chunk that cannot load fails
 * that attempt as a typed `UNREACHABLE` (the ladder retries, as for any unreachable carrier), never
 * a hang, and the next fall tries to load it again.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LifelineError } from '../errors';

let loads = 0;

async function setup() {
  const { createFakeTransports, createTestClient, inspectClient } = await import('../testing');
  const { loadHints } = await import('../errors');
  await loadHints();
  const fakes = createFakeTransports();
  const reconnect = { attempts: 3, delayMs: 50, maxDelayMs: 50, jitter: 0, timeoutMs: 5000 };
  const client = createTestClient({ url: 'http://api.test', heartbeat: false, reconnect, upgradeIntervalMs: 60_000 }, { factories: fakes.factories, storage: null, headStartMs: 60_000, random: () => 0 });
  const errors: LifelineError[] = [];
  client.on('error', (e) => errors.push(e));
  await vi.waitFor(() => expect(fakes.last('websocket')).toBeDefined());
  return { client, fakes, errors, inspect: () => inspectClient(client) };
}

function counted() {
  vi.doMock('../climb', async (original) => {
    loads++;
    return original();
  });
}

function unloadable() {
  vi.doMock('../climb', () => {
    loads++;
    throw new Error('Failed to fetch dynamically imported module');
  });
}

afterEach(() => {
  vi.doUnmock('../climb');
  vi.resetModules();
  loads = 0;
});

describe('the climb chunk (fall notice, climb back)', () => {
  it('is not loaded by a client that stays on the top rung: connect, receive, lose the connection, reconnect', async () => {
    vi.resetModules();
    counted();
    const { client, fakes, inspect } = await setup();
    const got: unknown[] = [];
    client.on('news', (d) => got.push(d));
    fakes.last('websocket')!.open();
    fakes.last('websocket')!.receive({ event: 'news', data: 1 });
    fakes.last('websocket')!.fail('transport-closed');
    await vi.waitFor(() => expect(fakes.created).toHaveLength(2));
    fakes.last('websocket')!.open();
    expect(client.getState()).toMatchObject({ status: 'connected', transport: 'websocket' });
    expect(got).toEqual([1]);
    await new Promise((r) => setTimeout(r, 50));
    expect(loads).toBe(0);
    expect(fakes.created.map((t) => t.name)).toEqual(['websocket', 'websocket']);
    client.close();
    expect(inspect()).toMatchObject({ timers: 0, listeners: 0, sockets: 0 });
  });

  it('a lower rung that opens before it loaded waits for it: then it is told as a fall, and what arrived meanwhile is delivered in order', async () => {
    vi.resetModules();
    counted();
    const { client, fakes, errors, inspect } = await setup();
    const got: unknown[] = [];
    client.on('news', (d) => got.push(d));
    fakes.last('websocket')!.fail('upgrade-blocked', undefined, 'websocket upgrade rejected (400)');
    const polling = fakes.last('polling')!;
    polling.open(); // at once: the chunk is still loading
    polling.receive({ event: 'news', data: 1 });
    polling.receive({ event: 'news', data: 2 });
    expect(client.getState().status).toBe('connecting');
    await vi.waitFor(() => expect(client.getState()).toMatchObject({ status: 'connected', transport: 'polling', fallback: true }));
    expect(got).toEqual([1, 2]);
    expect(errors.map((e) => e.code)).toEqual(['UPGRADE_BLOCKED']);
    polling.receive({ event: 'news', data: 3 });
    expect(got).toEqual([1, 2, 3]);
    expect(loads).toBe(1);
    client.close();
    expect(inspect()).toMatchObject({ timers: 0, listeners: 0, sockets: 0 });
  });

  it('a chunk that cannot load fails the lower rung as UNREACHABLE (no hang); the ladder retries, and the next fall loads it', async () => {
    vi.resetModules();
    unloadable();
    const { client, fakes, inspect } = await setup();
    fakes.last('websocket')!.fail('upgrade-blocked', undefined, 'websocket upgrade rejected (400)');
    const polling = fakes.last('polling')!;
    polling.open();
    await vi.waitFor(() => expect(polling.closed).toBe(true));
    const state = client.getState();
    expect(state).toMatchObject({ status: 'reconnecting', transport: null });
    expect(state.lastError).toMatchObject({ code: 'UNREACHABLE', name: 'LifelineError', message: expect.stringMatching(/^Could not load Lifeline's fallback code: /) });
    expect(state.lastError!.hint).toMatch(/could not be downloaded/);
    // Loadable again (the network is back): the next fall connects.
    vi.doUnmock('../climb');
    await vi.waitFor(() => expect(fakes.created.filter((t) => t.name === 'websocket')).toHaveLength(2));
    fakes.last('websocket')!.fail('upgrade-blocked', undefined, 'websocket upgrade rejected (400)');
    fakes.last('polling')!.open();
    await vi.waitFor(() => expect(client.getState()).toMatchObject({ status: 'connected', transport: 'polling', fallback: true }));
    expect(client.getState().lastError?.code).toBe('UPGRADE_BLOCKED');
    client.close();
    expect(inspect()).toMatchObject({ timers: 0, listeners: 0, sockets: 0 });
  });
});
