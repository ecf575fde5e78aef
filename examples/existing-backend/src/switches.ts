/**
 * Three falls to the REST rung (the proxy blocks `/socket.io`) and three climbs back to
 * WebSocket while the backend publishes every 15 ms: how many notifications were lost or
 * delivered twice. Used by e2e/existingBackend.test.ts (with `cursorOf`: none) and by
 * `pnpm measure` (src/measure.ts), which prints the numbers without it for docs/existing-backend.md.
 */
import type { LifelineClient } from '@lifeline/core';
import { startProxy, waitFor } from '@lifeline/testkit';
import { startBackend, type Notification } from './backend';
import { createNotificationsClient, type NotificationsOptions } from './notifications';

export const FAST = { attempts: 2, delayMs: 50, maxDelayMs: 200, jitter: 0.5, timeoutMs: 1000 } as const;

const connectedOn = (client: LifelineClient, transport: string) => () => client.getState().status === 'connected' && client.getState().transport === transport;

/** Seqs missing between the first and last received, and seqs received more than once. */
export function count(got: readonly Notification[]): { lost: number; duplicated: number } {
  const seqs = got.map((n) => n.seq);
  const seen = new Set(seqs);
  let lost = 0;
  for (let s = seqs[0]!; s <= seqs.at(-1)!; s++) if (!seen.has(s)) lost++;
  return { lost, duplicated: seqs.length - seen.size };
}

export async function fallsAndClimbs(options: Partial<NotificationsOptions>, cycles = 3): Promise<{ lost: number; duplicated: number; received: number; urls: readonly string[] }> {
  const backend = await startBackend();
  const proxy = await startProxy(backend.url);
  const client = createNotificationsClient({ url: proxy.url, getToken: () => 'ada-token', reconnect: FAST, upgradeIntervalMs: 300, ...options });
  const got: Notification[] = [];
  client.on('notification', (n) => got.push(n as Notification));
  const room = client.channel('alerts');
  const timer = setInterval(() => backend.publish('alerts', 'tick'), 15);
  try {
    await waitFor(connectedOn(client, 'websocket'), { message: 'on websocket' });
    await waitFor(() => got.length >= 5, { message: 'notifications over websocket' });
    for (let i = 1; i <= cycles; i++) {
      proxy.setMode('block-socketio');
      await waitFor(connectedOn(client, 'http'), { message: `fall ${i} to the REST rung`, timeoutMs: 10_000 });
      const onHttp = got.length;
      await waitFor(() => got.length >= onHttp + 5, { message: `delivered over http (${i})` });
      proxy.setMode('pass');
      await waitFor(connectedOn(client, 'websocket'), { message: `climb ${i} back to websocket`, timeoutMs: 10_000 });
      const onWs = got.length;
      await waitFor(() => got.length >= onWs + 5, { message: `delivered over websocket (${i})` });
    }
    clearInterval(timer);
    const last = backend.publish('alerts', 'last');
    await waitFor(() => got.some((n) => n.seq === last.seq), { message: 'the last one arrives' });
    return { ...count(got), received: got.length, urls: backend.urls };
  } finally {
    clearInterval(timer);
    room.leave();
    client.close();
    await proxy.close();
    await backend.close();
  }
}
