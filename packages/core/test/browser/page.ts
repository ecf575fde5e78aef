/**
 * The page script of the browser tests (bundled by `rig.ts` with esbuild, code splitting on, so
 * the share chunk loads as an app's would). It exposes a small driver on `window.t` that tests
 * call through `page.evaluate`.
 */
import { createClient, type ClientOptions, type ConnectionState, type LifelineClient } from '@lifeline/core';

export interface Driver {
  clients: LifelineClient[];
  /** Ids received per client index and channel (`tick` events). */
  ids: Array<Record<string, string[]>>;
  states: ConnectionState[][];
  /** Date.now() when each client last became the leader. */
  ledAt: Array<number | undefined>;
  /** What happened, for a failing test to tell. */
  log: string[];
  /** `document.visibilityState` when each `tick` arrived, per client index and channel. */
  seen: Array<Record<string, DocumentVisibilityState[]>>;
  create(options?: Partial<ClientOptions>): number;
  join(client: number, channel: string): void;
  leave(client: number, channel: string): void;
  emit(client: number, event: string, data: unknown, timeoutMs?: number): Promise<unknown>;
  state(client: number): ConnectionState;
  close(client: number): void;
  locks(): Promise<string[]>;
  /**
   * Keeps the Page Lifecycle `freeze` event from the page's listeners (a capturing listener on
   * window stops it): the page is frozen without being told, as a browser that does not fire the
   * event would, so a leader keeps its lock.
   */
  hideFreeze(): void;
  /** Counts a 20 ms timer chain: it stands still while the browser freezes the page. */
  beats: number;
}

const handles = new Map<string, { leave(): void }>();
const t: Driver = {
  beats: 0,
  clients: [],
  ids: [],
  states: [],
  seen: [],
  ledAt: [],
  log: [],
  create(options = {}) {
    const c = createClient({ url: location.origin, share: true, reconnect: { delayMs: 100, maxDelayMs: 500, timeoutMs: 2000 }, ...options });
    const i = t.clients.push(c) - 1;
    t.ids[i] = {};
    t.seen[i] = {};
    t.states[i] = [c.getState()];
    c.subscribeState((s) => {
      t.log.push(`${Date.now() % 100000} c${i} ${s.role}/${s.status}`);
      if (s.role === 'leader' && t.states[i]!.at(-1)?.role !== 'leader') t.ledAt[i] = Date.now();
      t.states[i]!.push(s);
    });
    return i;
  },
  join(i, channel) {
    const ids = (t.ids[i]![channel] = []) as string[];
    const seen = (t.seen[i]![channel] = []) as DocumentVisibilityState[];
    const room = t.clients[i]!.channel(channel);
    const warm = (t.ids[i]![`${channel}:warm`] = []) as string[];
    room.on('tick', (_data, meta) => {
      ids.push(meta.id!);
      seen.push(document.visibilityState);
    });
    room.on('warm', (_data, meta) => warm.push(meta.id!));
    handles.set(`${i}:${channel}`, room);
  },
  leave(i, channel) {
    handles.get(`${i}:${channel}`)?.leave();
  },
  emit: (i, event, data, timeoutMs = 5000) => t.clients[i]!.emit(event, data, { ack: true, timeoutMs }),
  state: (i) => t.clients[i]!.getState(),
  close: (i) => t.clients[i]!.close(),
  hideFreeze() {
    window.addEventListener('freeze', (e) => e.stopImmediatePropagation(), { capture: true });
  },
  async locks() {
    const { held = [], pending = [] } = await navigator.locks.query();
    return [...held, ...pending].map((l) => l.name ?? '');
  },
};
(window as unknown as { t: Driver }).t = t;
const beat = () => {
  t.beats++;
  setTimeout(beat, 20);
};
beat();
