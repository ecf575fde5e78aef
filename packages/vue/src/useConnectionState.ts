import { shallowReadonly, shallowRef, type ShallowRef } from 'vue';
import type { ConnectionState, LifelineClient } from '@lifeline/core';
import { isClient } from './env';
import { hydrating, serverState } from './hydration';
import { useLifeline } from './injection';
import { tryOnScopeDispose } from './scope';

/**
 * The connection snapshot as a readonly shallow ref, replaced on every change and released
 * with the current scope. On the server it is a static ref of the current (idle) snapshot; while
 * hydrating, the server's (idle) snapshot until the component is mounted, so hydration matches.
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
    // While hydrating: the server's snapshot, then the live one once mounted.
    let live = !hydrating(() => {
      live = true;
      state.value = c.getState();
    });
    if (!live) state.value = serverState(state.value);
    const off = c.subscribeState((next) => {
      if (live) state.value = next;
    });
    tryOnScopeDispose(off, 'useConnectionState');
  }
  return shallowReadonly(state);
}
