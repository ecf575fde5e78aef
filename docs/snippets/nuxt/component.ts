// docs/snippets/nuxt/component.ts — in a component's <script setup lang="ts">: explicit imports.
import { useEvent } from '@lifeline/vue';
import { ref } from 'vue';
import type { AppClient } from './lifeline';

export function useNotifications(client?: AppClient) {
  const last = ref('');
  // Typed from the factory: the client passed (or `Register`, see the guide) gives the payload type.
  useEvent('notification:created', (n) => (last.value = n.text), client);
  return last;
}
