/**
 * End to end, in real headless Chromium: the built Vue dashboard talks to the ticket desk
 * (examples/server) through the fault proxy. The activity feed records every `ticket:updated`
 * the page received and the transport that carried it, so "nothing lost, nothing twice" is read
 * off the page itself.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startTicketDesk, type Ticket } from '@lifeline/example-server';
import { delay, skipWithoutChromium } from '@lifeline/testkit';
import { appInChromium } from '@lifeline/testkit/vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe.skipIf(skipWithoutChromium())('vue ticket dashboard in Chromium (needs Debian chromium at /usr/bin/chromium)', () => {
  const rig = appInChromium(root, (staticDir) => startTicketDesk({ staticDir }));
  const open = (query = ''): Promise<Page> => rig.open(query);
  const connection = (page: Page) => page.getByTestId('connection');
  const statusOf = (page: Page, id: string) => page.getByTestId(`ticket-${id}`).getByTestId('status').textContent();
  /** The activity feed as rendered: one `{ id, line, transport }` per received update. */
  const feed = (page: Page) =>
    page.getByTestId('feed').locator('li').evaluateAll((items) =>
      items.map((li) => ({ id: li.getAttribute('data-id'), line: li.firstChild?.textContent?.trim(), transport: li.getAttribute('data-transport') })),
    );
  /** Publishes updates in order and returns the feed lines the page must show for them. */
  async function publish(...updates: Array<[string, Ticket['status']]>): Promise<string[]> {
    for (const [id, status] of updates) await rig.backend.update(id, status);
    return updates.map(([id, status]) => `#${id} → ${status}`);
  }

  it('lists the tickets, connects over websocket and shows live updates as they are published', async () => {
    rig.proxy.setMode('pass');
    const page = await open();
    await expect.poll(() => connection(page).getAttribute('data-transport'), { timeout: 10_000 }).toBe('websocket');
    await expect.poll(() => connection(page).getAttribute('data-status')).toBe('connected');
    expect(await connection(page).getAttribute('data-fallback')).toBe('false');
    await expect.poll(() => statusOf(page, '42')).toBe(rig.backend.tickets.get('42')!.status);

    const lines = await publish(['43', 'closed']);
    await expect.poll(() => statusOf(page, '43'), { timeout: 5000 }).toBe('closed');
    expect(await feed(page)).toEqual([{ id: expect.any(String), line: lines[0], transport: 'websocket' }]);
    await page.close();
  });

  it('keeps updating over polling when the proxy starts rejecting upgrades, shows the fallback, and loses or repeats nothing through the fall and the climb back', async () => {
    rig.proxy.setMode('pass');
    const page = await open('upgradeIntervalMs=500');
    await expect.poll(() => connection(page).getAttribute('data-transport'), { timeout: 10_000 }).toBe('websocket');
    const expected = await publish(['42', 'pending']);
    await expect.poll(async () => (await feed(page)).length, { timeout: 5000 }).toBe(1);

    // The proxy now kills the live WebSocket and rejects every new upgrade. Updates published
    // while the page is cut off must still reach it: the companion replays them from its cursor.
    rig.proxy.setMode('reject-upgrade');
    expected.push(...(await publish(['42', 'closed'], ['43', 'open'], ['42', 'open'])));
    await expect.poll(() => connection(page).getAttribute('data-transport'), { timeout: 10_000 }).toBe('polling');
    await expect.poll(() => connection(page).textContent()).toContain('(fallback)');
    expect(await connection(page).getAttribute('data-fallback')).toBe('true');
    expected.push(...(await publish(['43', 'closed'], ['42', 'pending'])));
    await expect.poll(async () => (await feed(page)).map((a) => a.line), { timeout: 10_000 }).toEqual(expected);
    expect((await feed(page)).slice(-2).map((a) => a.transport)).toEqual(['polling', 'polling']);
    expect(await statusOf(page, '42')).toBe('pending');
    expect(await statusOf(page, '43')).toBe('closed');
    expect(await page.getByTestId('switches').textContent()).toMatch(/websocket → polling/);

    // WebSocket is back: the page climbs back (make-before-break) and still sees each update once.
    rig.proxy.setMode('pass');
    await expect.poll(() => connection(page).getAttribute('data-transport'), { timeout: 10_000 }).toBe('websocket');
    expect(await connection(page).getAttribute('data-fallback')).toBe('false');
    expected.push(...(await publish(['43', 'pending'])));
    await expect.poll(async () => (await feed(page)).map((a) => a.line), { timeout: 5000 }).toEqual(expected);
    await delay(500); // a duplicate would arrive late
    const final = await feed(page);
    expect(final.map((a) => a.line)).toEqual(expected);
    expect(new Set(final.map((a) => a.id)).size).toBe(expected.length);
    expect(final.at(-1)!.transport).toBe('websocket');
    await page.close();
  });

  it('shows who is online (presence of the tickets channel), one member per agent', async () => {
    rig.proxy.setMode('pass');
    const ada = await open();
    const grace = await open('token=agent-token');
    const adaAgain = await open(); // a second tab of ada: still one member
    await expect.poll(() => ada.getByTestId('online').textContent(), { timeout: 10_000 }).toBe('Online: ada, grace');
    await expect.poll(() => grace.getByTestId('online').textContent(), { timeout: 10_000 }).toBe('Online: ada, grace');
    await adaAgain.close();
    await grace.close();
    await ada.close();
  });
});
