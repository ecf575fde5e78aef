// docs/snippets/vue/useConnectionState.ts — a readonly shallow ref of the snapshot.
import { computed, defineComponent, h } from 'vue';
import { useConnectionState } from '@lifeline/vue';

export const Indicator = defineComponent(() => {
  const state = useConnectionState();
  const label = computed(() => {
    const { status, transport, fallback } = state.value;
    return status === 'connected' ? `Live · ${transport}${fallback ? ' (fallback)' : ''}` : status;
  });
  return () => h('span', { title: state.value.lastError?.hint }, label.value);
});
