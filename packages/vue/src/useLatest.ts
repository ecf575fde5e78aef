import { shallowReadonly, shallowRef, type ShallowRef } from 'vue';
import type { EventName, LifelineClient } from '@lifeline/core';
import { isClient } from './env';
import { useLifeline } from './injection';
import { tryOnScopeDispose } from './scope';
import type { HookPayload, InferEvents, RegisteredClient } from './types';

/**
 * The latest payload of `event` received during the current scope, as a readonly shallow ref
 * (`undefined` until the first one, and always on the server).
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
    const off = c.on(event, (payload: unknown) => {
      latest.value = payload as HookPayload<C, K>;
    });
    tryOnScopeDispose(off, 'useLatest');
  }
  return shallowReadonly(latest);
}
