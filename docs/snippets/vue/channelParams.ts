// docs/snippets/vue/channelParams.ts — channel options as a getter: new filters re-join.
import { defineComponent, h, ref } from 'vue';
import { useChannelEvent } from '@lifeline/vue';
import { client } from './client';

export const TicketComments = defineComponent({
  props: { id: { type: String, required: true }, author: { type: String, required: true } },
  setup(props) {
    const texts = ref<string[]>([]);
    useChannelEvent(() => `ticket:${props.id}`, 'comment:added', (c) => texts.value.push(c.text), () => ({ params: { author: props.author } }), client);
    return () => h('p', texts.value.join(' · '));
  },
});
