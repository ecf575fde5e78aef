/** The page of hydration.test.ts, rendered on the server (render.ts, in Node) and hydrated in jsdom. */
import type { LifelineClient } from '@lifeline/core';
import { createSSRApp, defineComponent, h } from 'vue';
import { createLifeline, useChannel, useConnectionState, useLatest, useRealtime } from '@lifeline/vue';

/** The docs' connection indicator and every composable whose value the page shows. */
export const Page = defineComponent(() => {
  const state = useConnectionState();
  const { status, transport } = useRealtime();
  const room = useChannel('ticket:1');
  // The client type is named: which Register augmentation is in the program depends on the tsconfig (the examples' at the root, the type tests' in the package).
  const update = useLatest<LifelineClient, 'comment:added'>('comment:added');
  return () =>
    h('main', [
      h('span', { id: 'state' }, state.value.status),
      h('span', { id: 'realtime' }, `${status.value}${transport.value ? ` · ${transport.value}` : ''}`),
      h('span', { id: 'room' }, room.value ? `in ${room.value.name}` : 'no room'),
      h('span', { id: 'update' }, update.value ? 'updated' : 'no update'),
    ]);
});

/** One request's app, as a Nuxt page makes it: the plugin creates and owns the client. */
export const makeApp = (url: string) => createSSRApp(Page).use(createLifeline({ url, reconnect: { attempts: 3, delayMs: 50, maxDelayMs: 200, jitter: 0.5, timeoutMs: 1000 } }));
