// docs/snippets/vue/effectScope.ts — composables outside components (stores, services).
import { effectScope } from 'vue';
import { useConnectionState, useLatest } from '@lifeline/vue';
import { client } from './client';

const scope = effectScope();
export const live = scope.run(() => ({
  state: useConnectionState(client), // no injection context here: pass the client
  price: useLatest('price:tick', client),
}))!;

/** Releases every subscription and channel the scope holds. */
export const dispose = () => scope.stop();
