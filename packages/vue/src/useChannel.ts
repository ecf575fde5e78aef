import { shallowReadonly, shallowRef, toValue, watch, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import type { Channel, LifelineClient } from '@lifeline/core';
import { isClient } from './env';
import { useLifeline } from './injection';
import { tryOnScopeDispose } from './scope';
import type { InferEvents, RegisteredClient } from './types';

/**
 * Joins channel `name` (a string, ref or getter) for the lifetime of the current scope and
 * re-joins when it changes: the old handle is left, the new one joined. Joins are ref-counted
 * by the client, so many components on one channel send one join. `null` on the server.
 *
 * @example
 * ```ts
 * const props = defineProps<{ id: string }>();
 * const room = useChannel(() => `ticket:${props.id}`);
 * ```
 */
export function useChannel<C extends LifelineClient = RegisteredClient>(name: MaybeRefOrGetter<string>, client?: C): Readonly<ShallowRef<Channel<InferEvents<C>> | null>> {
  const c = useLifeline(client);
  const channel = shallowRef<Channel<InferEvents<C>> | null>(null);
  if (!isClient) return shallowReadonly(channel);
  const stop = watch(
    () => toValue(name),
    (next, _prev, onCleanup) => {
      const handle = c.channel(next) as Channel<InferEvents<C>>;
      channel.value = handle;
      onCleanup(() => handle.leave());
    },
    { immediate: true, flush: 'sync' },
  );
  tryOnScopeDispose(() => {
    stop(); // runs the last onCleanup: leave
    channel.value = null;
  }, 'useChannel');
  return shallowReadonly(channel);
}
