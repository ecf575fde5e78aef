/**
 * End to end, in real headless Chromium: the built React app talks to the ticket desk through
 * the fault proxy. A browser's WebSocket error carries no status, so this is where the ladder's
 * "ask the HTTP side" classification is proven for real.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startTicketDesk } from '@lifeline/example-server';
import { skipWithoutChromium } from '@lifeline/testkit';
import { appInChromium } from '@lifeline/testkit/vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

// In CI (.ci/run installs chromium) a missing browser must fail the run, not skip it quietly.
describe.skipIf(skipWithoutChromium())('react ticket desk in Chromium (needs Debian chromium at /usr/bin/chromium)', () => {
  const rig = appInChromium(root, (staticDir) => startTicketDesk({ staticDir }));
  const open = (query = ''): Promise<Page> => rig.open(query);
  const connection = (page: Page) => page.getByTestId('connection');

  it('connects over websocket through a healthy proxy and shows live ticket updates', async () => {
    rig.proxy.setMode('pass');
    const page = await open();
    await expect.poll(() => connection(page).getAttribute('data-transport'), { timeout: 10_000 }).toBe('websocket');
    await expect.poll(() => connection(page).getAttribute('data-status')).toBe('connected');
    await rig.backend.update('42', 'closed');
    await expect.poll(() => page.getByTestId('ticket-status').textContent(), { timeout: 5000 }).toBe('closed');
    await page.close();
  });

  it('falls back to polling within seconds when the proxy rejects upgrades, and climbs back to websocket', async () => {
    rig.proxy.setMode('reject-upgrade');
    const page = await open('upgradeIntervalMs=500');
    const started = Date.now();
    await expect.poll(() => connection(page).getAttribute('data-transport'), { timeout: 10_000 }).toBe('polling');
    expect(Date.now() - started).toBeLessThan(5000);
    await expect.poll(() => connection(page).textContent()).toContain('fallback');

    await rig.backend.update('42', 'pending');
    await expect.poll(() => page.getByTestId('ticket-status').textContent(), { timeout: 5000 }).toBe('pending');

    rig.proxy.setMode('pass');
    await expect.poll(() => connection(page).getAttribute('data-transport'), { timeout: 10_000 }).toBe('websocket');
    await rig.backend.update('42', 'open');
    await expect.poll(() => page.getByTestId('ticket-status').textContent(), { timeout: 5000 }).toBe('open');
    await page.close();
  });

  it('two tabs share one connection (share: true); the other tab takes over when the leader closes', async () => {
    rig.proxy.setMode('pass');
    const context = await rig.newContext(); // one context: tabs of one origin
    const first = await context.newPage();
    await first.goto(`${rig.proxy.url}/`); // share is on in the app (src/client.ts)
    await expect.poll(() => connection(first).getAttribute('data-status'), { timeout: 10_000 }).toBe('connected');
    const before = rig.backend.connections();
    const second = await context.newPage();
    await second.goto(first.url());
    await expect.poll(() => connection(second).getAttribute('data-status'), { timeout: 10_000 }).toBe('connected');
    expect([await connection(first).getAttribute('data-role'), await connection(second).getAttribute('data-role')].sort()).toEqual(['follower', 'leader']);
    expect(rig.backend.connections()).toBe(before); // the second tab opened no connection of its own
    await rig.backend.update('42', 'pending');
    for (const p of [first, second]) await expect.poll(() => p.getByTestId('ticket-status').textContent(), { timeout: 5000 }).toBe('pending');
    const leader = (await connection(first).getAttribute('data-role')) === 'leader' ? first : second;
    const other = leader === first ? second : first;
    await leader.close();
    await expect.poll(() => connection(other).getAttribute('data-role'), { timeout: 5000 }).toBe('leader');
    await rig.backend.update('42', 'open');
    await expect.poll(() => other.getByTestId('ticket-status').textContent(), { timeout: 5000 }).toBe('open');
    await context.close();
  });

  it('sends a comment with an ack and shows it once it is published back', async () => {
    rig.proxy.setMode('pass');
    const page = await open();
    await expect.poll(() => connection(page).getAttribute('data-status'), { timeout: 10_000 }).toBe('connected');
    await page.getByTestId('comment-input').fill('It is out now');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByTestId('comments').textContent(), { timeout: 5000 }).toContain('ada: It is out now');
    await expect.poll(() => page.getByTestId('comment-input').inputValue()).toBe('');
    await page.close();
  });

  it('shows who else views the ticket (presence) and a typing indicator (volatile emits)', async () => {
    rig.proxy.setMode('pass');
    const ada = await open();
    const grace = await open('token=agent-token');
    await expect.poll(() => ada.getByTestId('viewers').textContent(), { timeout: 10_000 }).toBe('Also viewing: grace');
    await expect.poll(() => grace.getByTestId('viewers').textContent(), { timeout: 10_000 }).toBe('Also viewing: ada');
    await grace.getByTestId('comment-input').fill('hel');
    await expect.poll(() => ada.getByTestId('typing').textContent(), { timeout: 5000 }).toBe('grace is typing…');
    await grace.close();
    await ada.close();
  });
});
