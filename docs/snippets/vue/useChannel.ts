// docs/snippets/vue/useChannel.ts — a ref/getter name: leaves the old room and joins the new.
import { defineComponent, h, ref, watch } from 'vue';
import { useChannel } from '@lifeline/vue';
import { client } from './client';

export const TicketRoom = defineComponent({
  props: { id: { type: String, required: true } },
  setup(props) {
    const room = useChannel(() => `ticket:${props.id}`, client);
    const last = ref<string | null>(null);
    // Listeners added on a handle go away with it when the name changes.
    watch(room, (handle) => void handle?.on('comment:added', (c) => (last.value = c.text)), { immediate: true });
    return () => h('p', room.value ? `In ${room.value.name}; last: ${last.value ?? '—'}` : 'Joining…');
  },
});
