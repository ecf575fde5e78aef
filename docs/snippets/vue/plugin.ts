// docs/snippets/vue/plugin.ts — install once; every composable finds the client.
import { createApp, defineComponent, h } from 'vue';
import { createLifeline } from '@lifeline/vue';
import { client } from './client';

const App = defineComponent(() => () => h('p', 'app'));

export function mount(selector: string) {
  createApp(App).use(createLifeline(client)).mount(selector);
}

// Or let the plugin own the client: created now, connected on install, closed on app.unmount().
export function mountOwned(selector: string) {
  const app = createApp(App).use(createLifeline({ url: 'https://api.example.com', namespace: '/notifications' }));
  app.mount(selector);
  return () => app.unmount();
}
