import { shallowReadonly, shallowRef, type ShallowRef } from 'vue';
import type { ConnectionState, LifelineClient } from '@lifeline/core';
import { isClient } from './env';
import { useLifeline } from './injection';
import { tryOnScopeDispose } from './scope';

/**
 * The connection snapshot as a readonly shallow ref, replaced on every change and released
 * with the current scope. On the server it is a static ref of the current (idle) snapshot.
 *
 * @example
 * ```ts
 * const state = useConnectionState();
 * const label = computed(() => (state.value.status === 'connected' ? 'Live' : 'Reconnecting…'));
 * ```
 */
export function useConnectionState(client?: LifelineClient): Readonly<ShallowRef<ConnectionState>> {
  const c = useLifeline(client);
  const state = shallowRef(c.getState());
  if (isClient) {
    const off = c.subscribeState((next) => {
      state.value = next;
    });
    tryOnScopeDispose(off, 'useConnectionState');
  }
  return shallowReadonly(state);
}
