/**
 * The share engine is a lazily loaded chunk (share/engine.ts, behind share/lazy.ts): a client
 * closed before it loaded opens nothing when it arrives (no BroadcastChannel, no lock), and a
 * chunk that cannot load leaves an ordinary per-tab client (`role: 'solo'`) that connects.
 */
import { fakeLocks } from '@lifeline/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';

let opened = 0;
class CountedChannel extends BroadcastChannel {
  constructor(name: string) {
    super(name);
    opened++;
  }
}

afterEach(() => {
  vi.doUnmock('../share/engine');
  vi.unstubAllGlobals();
  vi.resetModules();
  opened = 0;
});

async function setup() {
  const locks = fakeLocks();
  vi.stubGlobal('navigator', { locks });
  vi.stubGlobal('BroadcastChannel', CountedChannel);
  const { createFakeTransports, createTestClient, inspectClient } = await import('../testing');
  const fakes = createFakeTransports();
  const client = createTestClient({ url: 'http://api.test', share: true, heartbeat: false }, { factories: fakes.factories, storage: null });
  return { client, fakes, locks, inspect: () => inspectClient(client) };
}

describe('lazily loaded share engine', () => {
  it('loaded: the tab takes part in sharing (a BroadcastChannel, the leader lock), and close() releases it', async () => {
    vi.resetModules();
    const { client, fakes } = await setup();
    await vi.waitFor(() => expect(client.getState().role).toBe('leader'));
    expect(opened).toBeGreaterThan(0);
    await vi.waitFor(() => expect(fakes.last('websocket')).toBeDefined());
    client.close();
  });

  it('closed before the chunk loaded: nothing is opened when it arrives', async () => {
    vi.resetModules();
    const { client, fakes, inspect } = await setup();
    client.close();
    await import('../share/engine'); // the chunk is loaded now (the client's import resolves with it)
    await new Promise((r) => setTimeout(r, 50));
    expect(opened).toBe(0);
    expect(fakes.created).toHaveLength(0);
    expect(client.getState()).toMatchObject({ status: 'closed', role: 'solo' });
    expect(inspect()).toMatchObject({ timers: 0, listeners: 0, sockets: 0 });
  });

  it('a chunk that cannot load leaves an ordinary per-tab client that connects', async () => {
    vi.resetModules();
    vi.doMock('../share/engine', () => {
      throw new Error('Failed to fetch dynamically imported module');
    });
    const { client, fakes, inspect } = await setup();
    await vi.waitFor(() => expect(fakes.last('websocket')).toBeDefined());
    fakes.last('websocket')!.open();
    await vi.waitFor(() => expect(client.getState()).toMatchObject({ status: 'connected', role: 'solo' }));
    expect(opened).toBe(0);
    client.close();
    expect(inspect()).toMatchObject({ timers: 0, listeners: 0, sockets: 0 });
  });
});
