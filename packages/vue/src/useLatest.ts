import { shallowReadonly, shallowRef, type ShallowRef } from 'vue';
import type { EventName, LifelineClient } from '@lifeline/core';
import { isClient } from './env';
import { hydrating } from './hydration';
import { useLifeline } from './injection';
import { tryOnScopeDispose } from './scope';
import type { HookPayload, InferEvents, RegisteredClient } from './types';

/**
 * The latest payload of `event` received during the current scope, as a readonly shallow ref
 * (`undefined` until the first one, always on the server, and while hydrating until mounted).
 *
 * @example
 * ```ts
 * const tick = useLatest('price:tick');
 * const price = computed(() => tick.value?.price ?? 0);
 * ```
 */
export function useLatest<C extends LifelineClient = RegisteredClient, K extends EventName<InferEvents<C>> = EventName<InferEvents<C>>>(
  event: K,
  client?: C,
): Readonly<ShallowRef<HookPayload<C, K> | undefined>> {
  const c = useLifeline(client) as LifelineClient;
  const latest = shallowRef<HookPayload<C, K> | undefined>(undefined);
  if (isClient) {
    // While hydrating: undefined, as on the server, until mounted; then what arrived meanwhile.
    let received: HookPayload<C, K> | undefined;
    let live = !hydrating(() => {
      live = true;
      latest.value = received;
    });
    const off = c.on(event, (payload: unknown) => {
      received = payload as HookPayload<C, K>;
      if (live) latest.value = received;
    });
    tryOnScopeDispose(off, 'useLatest');
  }
  return shallowReadonly(latest);
}
