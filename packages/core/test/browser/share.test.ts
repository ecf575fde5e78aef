/**
 * `share: true` in real Chromium: one browser context, several pages (tabs) of one origin, the
 * page script bundled as an app's would be (the share engine is a lazy chunk), a real Socket.IO
 * server with the real companion. Pages are closed and frozen for real: a closed tab's Web Locks
 * are released by the browser, which is what elects the next leader.
 */
import { skipWithoutChromium, waitFor } from '@lifeline/testkit';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startShareRig, type ShareRig } from './rig';
import { idsOf, leaderOf, role, tabsOf } from './tabs';

let rig: ShareRig;
const pages: Page[] = [];
const { open, warm } = tabsOf(() => rig, pages);

describe.skipIf(skipWithoutChromium())('share: true in real Chromium tabs', () => {
  beforeAll(async () => {
    rig = await startShareRig((io) =>
      io.on('connection', (socket) => {
        socket.on('echo', (data: unknown, ack?: (r: unknown) => void) => ack?.(data));
        socket.on('slow', (data: unknown, ack?: (r: unknown) => void) => setTimeout(() => ack?.(data), 400));
      }),
    );
  }, 60_000);
  afterEach(async () => {
    for (const p of pages.splice(0)) if (!p.isClosed()) await p.close();
    await waitFor(() => rig.connections() === 0, { message: 'no connection left once every tab closed' });
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('five tabs: the server sees one connection, every tab gets every event once, in order', async () => {
    const tabs = await open(5, 'news');
    expect(rig.connections()).toBe(1);
    expect((await Promise.all(tabs.map(role))).sort()).toEqual(['follower', 'follower', 'follower', 'follower', 'leader']);
    await warm(tabs, 'news');
    const published: string[] = [];
    for (let i = 0; i < 50; i++) published.push((await rig.lifeline.publish('news', 'tick', i)).id);
    await waitFor(async () => (await Promise.all(tabs.map((p) => idsOf(p, 'news')))).every((ids) => ids.length >= published.length), { message: 'all delivered' });
    for (const p of tabs) expect(await idsOf(p, 'news')).toEqual(published);
    expect(rig.connections()).toBe(1);
  });

  it('the leader tab closes twice during 1 000 events at 100/s: each remaining tab has all 1 000 once, in order; a share: false client is unaffected', async () => {
    const tabs = await open(5, 'stream');
    // The last tab also has its own unshared client: it must not notice the hand-offs.
    const last = tabs[4]!;
    await last.evaluate(() => {
      window.t.create({ share: false });
      window.t.join(1, 'stream');
    });
    await waitFor(() => last.evaluate(() => window.t.state(1).status === 'connected'));
    expect(rig.connections()).toBe(2);
    await warm(tabs, 'stream');
    await waitFor(async () => (await idsOf(last, 'stream:warm', 1)).length > 0);

    const published: string[] = [];
    const closed: Page[] = [];
    const started = Date.now();
    for (let i = 0; i < 1000; i++) {
      const due = started + i * 10;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      published.push((await rig.lifeline.publish('stream', 'tick', i)).id);
      if (i === 300 || i === 600) {
        const leader = await leaderOf(tabs.filter((p) => !closed.includes(p)));
        closed.push(leader);
        void leader.close();
      }
    }
    const remaining = tabs.filter((p) => !closed.includes(p));
    expect(remaining).toHaveLength(3);
    expect(remaining).toContain(last);
    await waitFor(async () => (await Promise.all(remaining.map((p) => idsOf(p, 'stream')))).every((ids) => ids.length >= 1000), { message: 'all 1 000 in every remaining tab', timeoutMs: 15_000 });
    for (const p of remaining) expect(await idsOf(p, 'stream')).toEqual(published);
    expect(await idsOf(last, 'stream', 1)).toEqual(published);
    const unshared = await last.evaluate(() => window.t.states[1]!.map((s) => s.status));
    expect(unshared.slice(unshared.indexOf('connected'))).toEqual(['connected']); // never left 'connected'
    expect(rig.connections()).toBe(2);
  }, 60_000);

  it("a follower's emit with ack resolves, also when the leader closes while the server works on it: the handler runs once (lifeline:emit, once per id)", async () => {
    let runs = 0;
    const off = rig.lifeline.on('work', async (data: unknown) => {
      runs++;
      await new Promise((r) => setTimeout(r, 400));
      return data;
    });
    const tabs = await open(3, 'acks');
    const leader = await leaderOf(tabs);
    const followers = tabs.filter((p) => p !== leader);
    // The app's own socket.on() handlers still answer (the companion hands the event on).
    expect(await followers[0]!.evaluate(() => window.t.emit(0, 'echo', { n: 1 }))).toEqual({ n: 1 });
    const reply = followers[1]!.evaluate(() => window.t.emit(0, 'work', { n: 2 }, 8000));
    await waitFor(() => runs === 1, { message: 'the server works on it' });
    await leader.close();
    // The new leader sent it again; the server answered that from the first run, which it waited for.
    expect(await reply).toEqual({ n: 2 });
    expect(runs).toBe(1);
    off();
  });

  it('a channel joined only in one follower is left on the server when that tab closes', async () => {
    const [a, b] = await open(2, 'shared');
    const follower = (await role(a!)) === 'leader' ? b! : a!;
    await follower.evaluate(() => window.t.join(0, 'only-here'));
    const inRoom = () => [...rig.server.io.of('/').sockets.values()].some((s) => [...s.rooms].some((r) => r.includes('only-here')));
    await waitFor(inRoom, { message: 'joined on the server' });
    await follower.close();
    await waitFor(() => !inRoom(), { message: 'left once its only tab closed' });
    expect(rig.connections()).toBe(1);
  });

  it('a crashed leader tab: the browser releases its locks, the other tab leads and misses nothing', async () => {
    const tabs = await open(2, 'crash');
    const leader = await leaderOf(tabs);
    const other = tabs.find((p) => p !== leader)!;
    await warm(tabs, 'crash');
    const published: string[] = [];
    for (let i = 0; i < 10; i++) published.push((await rig.lifeline.publish('crash', 'tick', i)).id);
    const cdp = await rig.context.newCDPSession(leader);
    const crashed = leader.waitForEvent('crash');
    void cdp.send('Page.crash').catch(() => {}); // the renderer dies: no unload handler, no goodbye
    await crashed;
    for (let i = 10; i < 20; i++) published.push((await rig.lifeline.publish('crash', 'tick', i)).id);
    await waitFor(async () => (await role(other)) === 'leader', { message: 'the other tab leads' });
    await waitFor(async () => (await idsOf(other, 'crash')).length >= published.length, { message: 'delivered after the crash' });
    expect(await idsOf(other, 'crash')).toEqual(published);
    expect(rig.connections()).toBe(1);
  });

  it('close() releases the connection, the locks and the channel', async () => {
    const [page] = await open(1, 'bye');
    expect((await page!.evaluate(() => window.t.locks())).length).toBeGreaterThan(0);
    await page!.evaluate(() => window.t.close(0));
    await waitFor(() => rig.connections() === 0, { message: 'connection closed' });
    await waitFor(async () => (await page!.evaluate(() => window.t.locks())).length === 0, { message: 'every lock released' });
  });
});
