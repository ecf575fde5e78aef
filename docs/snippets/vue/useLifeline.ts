// docs/snippets/vue/useLifeline.ts — the client itself, for imperative calls.
import { defineComponent, h } from 'vue';
import { useLifeline } from '@lifeline/vue';

export const ReconnectButton = defineComponent(() => {
  const client = useLifeline(); // throws a LifelineError with a hint without the plugin
  return () => h('button', { onClick: () => client.connect() }, 'Reconnect now');
});
