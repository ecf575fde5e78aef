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
  create(options?: Partial<ClientOptions>): number;
  join(client: number, channel: string): void;
  leave(client: number, channel: string): void;
  emit(client: number, event: string, data: unknown, timeoutMs?: number): Promise<unknown>;
  state(client: number): ConnectionState;
  close(client: number): void;
  locks(): Promise<string[]>;
}

const handles = new Map<string, { leave(): void }>();
const t: Driver = {
  clients: [],
  ids: [],
  states: [],
  create(options = {}) {
    const c = createClient({ url: location.origin, share: true, reconnect: { delayMs: 100, maxDelayMs: 500, timeoutMs: 2000 }, ...options });
    const i = t.clients.push(c) - 1;
    t.ids[i] = {};
    t.states[i] = [c.getState()];
    c.subscribeState((s) => t.states[i]!.push(s));
    return i;
  },
  join(i, channel) {
    const ids = (t.ids[i]![channel] = []) as string[];
    const room = t.clients[i]!.channel(channel);
    const warm = (t.ids[i]![`${channel}:warm`] = []) as string[];
    room.on('tick', (_data, meta) => ids.push(meta.id!));
    room.on('warm', (_data, meta) => warm.push(meta.id!));
    handles.set(`${i}:${channel}`, room);
  },
  leave(i, channel) {
    handles.get(`${i}:${channel}`)?.leave();
  },
  emit: (i, event, data, timeoutMs = 5000) => t.clients[i]!.emit(event, data, { ack: true, timeoutMs }),
  state: (i) => t.clients[i]!.getState(),
  close: (i) => t.clients[i]!.close(),
  async locks() {
    const { held = [], pending = [] } = await navigator.locks.query();
    return [...held, ...pending].map((l) => l.name ?? '');
  },
};
(window as unknown as { t: Driver }).t = t;
