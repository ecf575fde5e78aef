/**
 * `share: true` in tabs of one window (testkit's `launchChromiumTabs`): only the tab in front is
 * visible, background throttling is on, and a page can be frozen by the browser
 * (`Page.setWebLifecycleState`). Nothing here fakes `document.visibilityState`: the tests read
 * it inside the pages to prove the condition they test.
 */
import { skipWithoutChromium, waitFor } from '@lifeline/testkit';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startShareRig, type ShareRig } from './rig';
import { idsOf, leaderOf, role, tabsOf } from './tabs';

let rig: ShareRig;
const pages: Page[] = [];
const { open, warm } = tabsOf(() => rig, pages);
const visibility = (p: Page) => p.evaluate(() => document.visibilityState);

const publishedAt = new Map<string, number>();

/** Publishes `n` ticks on `channel`, `everyMs` apart; their ids in order. */
async function stream(channel: string, n: number, everyMs: number, during: (i: number) => Promise<void> = async () => {}): Promise<string[]> {
  const published: string[] = [];
  const started = Date.now();
  for (let i = 0; i < n; i++) {
    const due = started + i * everyMs;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const { id } = await rig.lifeline.publish(channel, 'tick', i);
    published.push(id);
    publishedAt.set(id, Date.now());
    await during(i);
  }
  return published;
}

async function expectAllOnce(ps: Page[], channel: string, published: string[]): Promise<void> {
  try {
    await waitFor(async () => (await Promise.all(ps.map((p) => idsOf(p, channel)))).every((ids) => ids.length >= published.length), { message: `all ${published.length} in every tab`, timeoutMs: 15_000 });
  } catch (e) {
    // Say which tab misses what, and what happened in it.
    const report = await Promise.all(
      ps.map(async (p) => {
        const got = new Set(await idsOf(p, channel));
        return { missing: published.flatMap((id, i) => (got.has(id) ? [] : [`#${i} ${id} at ${(publishedAt.get(id) ?? 0) % 100000}`])), log: await p.evaluate(() => window.t.log.slice(-12)) };
      }),
    );
    throw new Error(`${(e as Error).message}: ${JSON.stringify(report)}`);
  }
  for (const p of ps) expect(await idsOf(p, channel)).toEqual(published);
}

describe.skipIf(skipWithoutChromium())('share: true in background and frozen tabs (tabs of one window)', () => {
  beforeAll(async () => {
    rig = await startShareRig(() => {}, { tabs: true });
  }, 60_000);
  afterEach(async () => {
    for (const p of pages.splice(0)) if (!p.isClosed()) await p.close();
    await waitFor(() => rig.connections() === 0, { message: 'no connection left once every tab closed' });
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('a leader tab in the background (really hidden, throttled) keeps delivering every event once, in order, to every tab', async () => {
    const tabs = await open(3, 'hidden');
    const leader = await leaderOf(tabs);
    const front = tabs.find((p) => p !== leader)!;
    await front.bringToFront();
    await waitFor(async () => (await visibility(leader)) === 'hidden', { message: 'the leader tab is in the background' });
    expect(await visibility(front)).toBe('visible');
    await warm(tabs, 'hidden');
    // 3 s: long enough for the browser's background timer throttling (1 wake-up a second) to apply.
    const published = await stream('hidden', 150, 20);
    await expectAllOnce(tabs, 'hidden', published);
    // The leader received every tick while hidden, and stayed the leader on its one connection.
    expect(await leader.evaluate(() => [...new Set(window.t.seen[0]!['hidden'])])).toEqual(['hidden']);
    expect(await role(leader)).toBe('leader');
    expect(rig.connections()).toBe(1);
  });

  it.each([
    ['told (freeze event: it hands the lead over)', false],
    ['not told (it keeps the lock: the next tab takes it)', true],
  ])('a frozen leader tab (Page.setWebLifecycleState), %s: another tab takes over, every tab ends with every event once, in order; unfrozen, it leaves no second leader or connection', async (_how, hidden) => {
    const tabs = await open(3, 'frozen');
    const leader = await leaderOf(tabs);
    if (hidden) await leader.evaluate(() => window.t.hideFreeze());
    const others = tabs.filter((p) => p !== leader);
    await others[0]!.bringToFront(); // browsers freeze background tabs
    await warm(tabs, 'frozen');
    const cdp = await rig.context.newCDPSession(leader);
    let frozenAt = 0;
    let beats = 0;
    const published = await stream('frozen', 150, 10, async (i) => {
      if (i !== 50) return;
      await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
      frozenAt = Date.now();
      beats = await leader.evaluate(() => window.t.beats);
    });
    await waitFor(async () => (await Promise.all(others.map(role))).includes('leader'), { message: 'a follower leads', timeoutMs: 10_000 });
    const ledAt = Math.min(...(await Promise.all(others.map((p) => p.evaluate(() => window.t.ledAt[0] ?? Infinity)))));
    const tookOverMs = ledAt - frozenAt;
    await expectAllOnce(others, 'frozen', published);
    // Frozen for real: its timers stood still.
    expect(await leader.evaluate(() => window.t.beats)).toBe(beats);
    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    published.push(...(await stream('frozen', 20, 10)));
    await expectAllOnce(tabs, 'frozen', published);
    await waitFor(async () => rig.connections() === 1 && (await Promise.all(tabs.map(role))).filter((r) => r === 'leader').length === 1, { message: 'one leader, one connection', timeoutMs: 10_000 });
    expect(await role(leader)).toBe('follower');
    console.log(`frozen leader (${_how}): a follower led ${tookOverMs} ms after the freeze`);
  });

  it('a frozen tab granted the lead (it was next in line when the leader closed): the next tab takes the lead from it, nothing is lost', async () => {
    const tabs = await open(3, 'next');
    const leader = await leaderOf(tabs);
    // The tabs stood for the lead in the order they opened: the first follower is next in line.
    const [next, last] = tabs.filter((p) => p !== leader) as [Page, Page];
    await last.bringToFront();
    await warm(tabs, 'next');
    const cdp = await rig.context.newCDPSession(next);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    let closedAt = 0;
    const published = await stream('next', 150, 10, async (i) => {
      if (i !== 50) return;
      await leader.close();
      closedAt = Date.now();
    });
    await waitFor(async () => (await role(last)) === 'leader', { message: 'the last tab leads', timeoutMs: 10_000 });
    const tookOverMs = (await last.evaluate(() => window.t.ledAt[0]!)) - closedAt;
    await expectAllOnce([last], 'next', published);
    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    published.push(...(await stream('next', 20, 10)));
    await expectAllOnce([next, last], 'next', published);
    await waitFor(async () => rig.connections() === 1 && (await role(next)) === 'follower', { message: 'one leader, one connection', timeoutMs: 10_000 });
    console.log(`frozen next-in-line: the last tab led ${tookOverMs} ms after the leader closed`);
  });
});
