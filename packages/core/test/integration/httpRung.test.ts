import type { IncomingEvent } from '@lifeline/core';
import { delay, waitFor } from '@lifeline/testkit';
import { describe, expect, it } from 'vitest';
import { rigPerTest } from './setup';

const rig = rigPerTest();

describe('ladder with an http rung (poll adapter, no companion)', () => {
  it('falls from a blocked websocket to http, delivers, and climbs back when upgrades pass', async () => {
    const r = await rig('reject-upgrade');
    const queue: IncomingEvent[] = [];
    let polls = 0;
    const client = r.client({
      transports: ['websocket', 'http'],
      http: {
        poll: async ({ cursor, signal }) => {
          polls++;
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, 30);
            signal.addEventListener('abort', () => {
              clearTimeout(t);
              resolve();
            });
          });
          const events = queue.splice(0);
          return { events, cursor: events.at(-1)?.id ?? cursor ?? '0' };
        },
      },
    });
    const got: Array<[unknown, string]> = [];
    client.on('news', (p, meta) => got.push([p, meta.transport]));
    await waitFor(() => client.getState().status === 'connected', { message: 'connected' });
    expect(client.getState()).toMatchObject({ transport: 'http', fallback: true });
    expect(client.getState().lastError?.code).toBe('UPGRADE_BLOCKED');
    queue.push({ id: '1', event: 'news', data: 'over http' });
    await waitFor(() => got.length === 1, { message: 'event over http' });
    expect(got[0]).toEqual(['over http', 'http']);
    r.proxy.setMode('pass');
    await waitFor(() => client.getState().transport === 'websocket', { message: 'climbs back', timeoutMs: 3000 });
    const after = polls;
    await delay(150);
    expect(polls - after).toBeLessThanOrEqual(1); // the http loop stopped with the switch
  });
});
