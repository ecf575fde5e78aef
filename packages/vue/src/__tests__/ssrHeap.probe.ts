/** Heap probe (run by ssrHeap.test.ts in its own process): server renders with and without the plugin's owned client. */
import type { LifelineClient } from '@lifeline/core';
import { createSSRApp, defineComponent, h } from 'vue';
import { renderToString } from '@vue/server-renderer';
import { createLifeline, useChannel, useConnectionState, useLatest } from '@lifeline/vue';
import { heapPerCycle, probe } from '@lifeline/testkit/heap';

const N = 3000;
const Page = defineComponent(() => {
  const state = useConnectionState();
  const room = useChannel('ticket:1');
  // The client type is named: which Register augmentation is in the program depends on the tsconfig (the examples' at the root, the type tests' in the package).
  const tick = useLatest<LifelineClient, 'comment:added'>('comment:added');
  return () => h('p', `${state.value.status}|${room.value ? 'joined' : 'none'}|${String(tick.value ?? '-')}`);
});
const Plain = defineComponent(() => () => h('p', 'idle|none|-'));

probe(async () => ({
  withPlugin: await heapPerCycle(() => renderToString(createSSRApp(Page).use(createLifeline({ url: 'http://127.0.0.1:9', autoConnect: true }))), N),
  without: await heapPerCycle(() => renderToString(createSSRApp(Plain)), N),
}));
