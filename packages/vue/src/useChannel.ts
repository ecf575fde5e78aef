import { shallowReadonly, shallowRef, toValue, watch, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import type { Channel, LifelineClient } from '@lifeline/core';
import { isClient } from './env';
import { hydrating } from './hydration';
import { useLifeline } from './injection';
import { tryOnScopeDispose } from './scope';
import type { InferEvents, RegisteredClient } from './types';

/**
 * Joins channel `name` (a string, ref or getter) for the lifetime of the current scope and
 * re-joins when it changes: the old handle is left, the new one joined. Joins are ref-counted
 * by the client, so many components on one channel send one join. `null` on the server, and
 * while hydrating until the component is mounted (the join is sent at once).
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
  // While hydrating the channel is joined at once, but shown as on the server (null) until mounted.
  let current: Channel<InferEvents<C>> | null = null;
  let live = !hydrating(() => {
    live = true;
    channel.value = current;
  });
  const stop = watch(
    () => toValue(name),
    (next, _prev, onCleanup) => {
      const handle = c.channel(next) as Channel<InferEvents<C>>;
      current = handle;
      if (live) channel.value = handle;
      onCleanup(() => handle.leave());
    },
    { immediate: true, flush: 'sync' },
  );
  tryOnScopeDispose(() => {
    stop(); // runs the last onCleanup: leave
    current = channel.value = null;
  }, 'useChannel');
  return shallowReadonly(channel);
}
