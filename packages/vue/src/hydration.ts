import { getCurrentInstance, onMounted } from 'vue';
import type { ConnectionState } from '@lifeline/core';

/**
 * True while the calling component is being hydrated over server-rendered HTML: Vue points its
 * vnode at the existing DOM node before running `setup`, which a fresh mount never does. The
 * composables then render what the server rendered (`serverState`, `null`, `undefined`) until
 * the component is mounted, and `onHydrated` switches them to the live values — as React's
 * `useSyncExternalStore` uses `getServerSnapshot` while hydrating. Otherwise the client, which the
 * plugin connects on install (before hydration), would render `connecting` over the server's
 * `idle`: a hydration mismatch.
 * @internal
 */
export function hydrating(onHydrated: () => void): boolean {
  const instance = getCurrentInstance();
  if (!instance || instance.isMounted || !instance.vnode.el) return false;
  onMounted(onHydrated);
  return true;
}

/** The snapshot a server renders: the plugin never connects there, so `idle`. @internal */
export function serverState(state: ConnectionState): ConnectionState {
  return state.status === 'idle' ? state : { ...state, status: 'idle', transport: null, attempt: 0, fallback: false, lastError: null };
}
