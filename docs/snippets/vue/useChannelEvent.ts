// docs/snippets/vue/useChannelEvent.ts — join + listen, following a reactive channel name.
import { defineComponent, h, ref } from 'vue';
import { useChannelEvent } from '@lifeline/vue';
import { client } from './client';

export const Comments = defineComponent({
  props: { ticketId: { type: String, required: true } },
  setup(props) {
    const comments = ref<Array<{ author: string; text: string }>>([]);
    useChannelEvent(() => `ticket:${props.ticketId}`, 'comment:added', (c) => comments.value.push(c), client);
    return () => h('ul', comments.value.map((c) => h('li', `${c.author}: ${c.text}`)));
  },
});
