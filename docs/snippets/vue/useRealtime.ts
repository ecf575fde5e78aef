// docs/snippets/vue/useRealtime.ts — state refs plus emit (with an ack).
import { defineComponent, h, ref } from 'vue';
import { useRealtime } from '@lifeline/vue';

export const CommentBox = defineComponent({
  props: { ticketId: { type: String, required: true } },
  setup(props) {
    const { status, emit } = useRealtime(); // status, transport, fallback, lastError: readonly refs
    const text = ref('');
    const error = ref<string | null>(null);
    async function send() {
      try {
        await emit('comment:add', { ticketId: props.ticketId, text: text.value }, { ack: true, timeoutMs: 5000 });
        text.value = '';
      } catch (e) {
        error.value = e instanceof Error ? e.message : String(e);
      }
    }
    return () => [
      h('input', { value: text.value, onInput: (e: Event) => (text.value = (e.target as HTMLInputElement).value) }),
      h('button', { disabled: status.value === 'closed', onClick: send }, 'Send'),
      error.value ? h('p', { role: 'alert' }, error.value) : null,
    ];
  },
});
