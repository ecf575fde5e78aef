/**
 * What the `share` browser tests do with tabs: open some on a channel, find the leader, read
 * what each received. Bound to one rig (`startShareRig`) and the list of pages a suite closes
 * after each test.
 */
import { waitFor } from '@lifeline/testkit';
import type { Page } from 'playwright-core';
import type { Driver } from './page';
import type { ShareRig } from './rig';

declare global {
  interface Window {
    t: Driver;
  }
}

export const role = (p: Page): Promise<string | undefined> => p.evaluate(() => window.t.state(0).role);
export const idsOf = (p: Page, key: string, client = 0): Promise<string[]> => p.evaluate(([k, c]) => window.t.ids[c]![k] ?? [], [key, client] as const);
export const leaderOf = async (ps: Page[]): Promise<Page> => {
  const roles = await Promise.all(ps.map(role));
  const at = roles.indexOf('leader');
  if (at < 0) throw new Error(`no leader among ${ps.length} tabs (roles: ${roles.join(', ')})`);
  return ps[at]!;
};

export function tabsOf(rig: () => ShareRig, pages: Page[]) {
  /** `n` new tabs, each with one shared client on `channel`, all connected. */
  const open = async (n: number, channel: string): Promise<Page[]> => {
    const opened: Page[] = [];
    for (let i = 0; i < n; i++) {
      const page = await rig().open();
      await page.evaluate((ch) => {
        window.t.create();
        window.t.join(0, ch);
      }, channel);
      opened.push(page);
    }
    pages.push(...opened);
    await waitFor(async () => (await Promise.all(opened.map((p) => p.evaluate(() => window.t.state(0).status)))).every((s) => s === 'connected'), { message: 'every tab connected', timeoutMs: 10_000 });
    return opened;
  };
  /** Publishes `warm` events until every page has seen one: every tab's join went through. */
  const warm = async (ps: Page[], channel: string): Promise<void> => {
    await waitFor(
      async () => {
        await rig().lifeline.publish(channel, 'warm', null);
        return (await Promise.all(ps.map((p) => idsOf(p, `${channel}:warm`)))).every((w) => w.length > 0);
      },
      { message: 'joined in every tab', timeoutMs: 10_000, intervalMs: 100 },
    );
  };
  return { open, warm };
}
