/**
 * End to end, in real headless Chromium: the built React app talks to the ticket desk through
 * the fault proxy. A browser's WebSocket error carries no status, so this is where the ladder's
 * "ask the HTTP side" classification is proven for real.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTicketDesk, type TicketDesk } from '@lifeline/example-server';
import { buildViteApp, launchChromium, skipWithoutChromium, startProxy, type BuiltApp, type FaultProxy } from '@lifeline/testkit';

const root = fileURLToPath(new URL('..', import.meta.url));

// In CI (.ci/run installs chromium) a missing browser must fail the run, not skip it quietly.
describe.skipIf(skipWithoutChromium())('react ticket desk in Chromium (needs Debian chromium at /usr/bin/chromium)', () => {
  let app: BuiltApp;
  let desk: TicketDesk;
  let proxy: FaultProxy;
  let browser: Browser;

  beforeAll(async () => {
    app = await buildViteApp(root);
    desk = await startTicketDesk({ staticDir: app.outDir });
    proxy = await startProxy(desk.port);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await desk?.close();
    app?.remove();
  });

  async function open(query = ''): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${proxy.url}/?${query}`);
    return page;
  }
  const connection = (page: Page) => page.getByTestId('connection');

  it('connects over websocket through a healthy proxy and shows live ticket updates', async () => {
    proxy.setMode('pass');
    const page = await open();
    await expect.poll(() => connection(page).getAttribute('data-transport'), { timeout: 10_000 }).toBe('websocket');
    await expect.poll(() => connection(page).getAttribute('data-status')).toBe('connected');
    await desk.update('42', 'closed');
    await expect.poll(() => page.getByTestId('ticket-status').textContent(), { timeout: 5000 }).toBe('closed');
    await page.close();
  });

  it('falls back to polling within seconds when the proxy rejects upgrades, and climbs back to websocket', async () => {
    proxy.setMode('reject-upgrade');
    const page = await open('upgradeIntervalMs=500');
    const started = Date.now();
    await expect.poll(() => connection(page).getAttribute('data-transport'), { timeout: 10_000 }).toBe('polling');
    expect(Date.now() - started).toBeLessThan(5000);
    await expect.poll(() => connection(page).textContent()).toContain('fallback');

    await desk.update('42', 'pending');
    await expect.poll(() => page.getByTestId('ticket-status').textContent(), { timeout: 5000 }).toBe('pending');

    proxy.setMode('pass');
    await expect.poll(() => connection(page).getAttribute('data-transport'), { timeout: 10_000 }).toBe('websocket');
    await desk.update('42', 'open');
    await expect.poll(() => page.getByTestId('ticket-status').textContent(), { timeout: 5000 }).toBe('open');
    await page.close();
  });

  it('sends a comment with an ack and shows it once it is published back', async () => {
    proxy.setMode('pass');
    const page = await open();
    await expect.poll(() => connection(page).getAttribute('data-status'), { timeout: 10_000 }).toBe('connected');
    await page.getByTestId('comment-input').fill('It is out now');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByTestId('comments').textContent(), { timeout: 5000 }).toContain('ada: It is out now');
    await expect.poll(() => page.getByTestId('comment-input').inputValue()).toBe('');
    await page.close();
  });
});
