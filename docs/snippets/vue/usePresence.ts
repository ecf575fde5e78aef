// docs/snippets/vue/usePresence.ts — who is online, as a readonly shallow ref.
import { computed, defineComponent, h } from 'vue';
import { useChannel, usePresence } from '@lifeline/vue';
import { client } from './client';

export const Online = defineComponent(() => {
  const members = usePresence(useChannel('workspace:acme', client)); // [] on the server
  const label = computed(() => `${members.value.length} online: ${members.value.map((m) => m.id).join(', ')}`);
  return () => h('p', label.value);
});
