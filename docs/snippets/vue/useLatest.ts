// docs/snippets/vue/useLatest.ts — the latest payload as a readonly shallow ref.
import { computed, defineComponent, h } from 'vue';
import { useLatest } from '@lifeline/vue';
import { client } from './client';

export const Price = defineComponent(() => {
  const tick = useLatest('price:tick', client);
  const label = computed(() => (tick.value ? `${tick.value.symbol} ${tick.value.price.toFixed(2)}` : '—'));
  return () => h('b', label.value);
});
