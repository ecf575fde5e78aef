// docs/snippets/vue/useEvent.ts — typed handlers for the lifetime of the component.
import { defineComponent, h, ref } from 'vue';
import { useEvent } from '@lifeline/vue';
import { client } from './client';

export const TicketStatus = defineComponent({
  props: { id: { type: String, required: true } },
  setup(props) {
    const status = ref<'open' | 'closed' | 'unknown'>('unknown');
    // With `Register` augmented the trailing `client` can be left out.
    useEvent('ticket:updated', (ticket) => {
      if (ticket.id === props.id) status.value = ticket.status;
    }, client);
    useEvent('error', (err) => console.warn(`[${err.code}] ${err.hint}`), client);
    return () => h('b', status.value);
  },
});
