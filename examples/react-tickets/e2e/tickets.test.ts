/**
 * End to end, in real headless Chromium: the built React app talks to the ticket desk through
 * the fault proxy. A browser's WebSocket error carries no status, so this is where the ladder's
 * "ask the HTTP side" classification is proven for real.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTicketDesk, type TicketDesk } from '@lifeline/example-server';
import { startProxy, type FaultProxy } from '@lifeline/testkit';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('..', import.meta.url));

// In CI (.ci/run installs chromium) a missing browser must fail the run, not skip it quietly.
describe.skipIf(!existsSync(CHROMIUM) && process.env.CI !== 'true')('react ticket desk in Chromium (needs Debian chromium at /usr/bin/chromium)', () => {
  let outDir: string;
  let desk: TicketDesk;
  let proxy: FaultProxy;
  let browser: Browser;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'lifeline-react-'));
    await build({ configFile: join(root, 'vite.config.ts'), root, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    desk = await startTicketDesk({ staticDir: outDir });
    proxy = await startProxy(desk.port);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await desk?.close();
    rmSync(outDir, { recursive: true, force: true });
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
