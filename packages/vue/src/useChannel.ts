import { shallowReadonly, shallowRef, toValue, watch, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import type { Channel, ChannelOptions, LifelineClient } from '@lifeline/core';
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
export function useChannel<C extends LifelineClient = RegisteredClient>(name: MaybeRefOrGetter<string>, client?: C): Readonly<ShallowRef<Channel<InferEvents<C>> | null>>;
/**
 * With channel options (a value, ref or getter): `params` (a server's filters; re-joined when
 * their content changes), `rewind`, `since`.
 */
export function useChannel<C extends LifelineClient = RegisteredClient>(name: MaybeRefOrGetter<string>, options: MaybeRefOrGetter<ChannelOptions | undefined>, client?: C): Readonly<ShallowRef<Channel<InferEvents<C>> | null>>;
export function useChannel<C extends LifelineClient = RegisteredClient>(name: MaybeRefOrGetter<string>, optionsOrClient?: MaybeRefOrGetter<ChannelOptions | undefined> | C, maybeClient?: C): Readonly<ShallowRef<Channel<InferEvents<C>> | null>> {
  // A client is recognised by its `subscribeState`; anything else in second place is the options.
  const second = typeof (optionsOrClient as Partial<LifelineClient> | undefined)?.subscribeState === 'function';
  const options = second ? undefined : (optionsOrClient as MaybeRefOrGetter<ChannelOptions | undefined>);
  const c = useLifeline(second ? (optionsOrClient as C) : maybeClient);
  const channel = shallowRef<Channel<InferEvents<C>> | null>(null);
  if (!isClient) return shallowReadonly(channel);
  // While hydrating the channel is joined at once, but shown as on the server (null) until mounted.
  let current: Channel<InferEvents<C>> | null = null;
  let live = !hydrating(() => {
    live = true;
    channel.value = current;
  });
  // The options' JSON is the key: a getter returning a fresh object with the same content does not re-join.
  const stop = watch(
    [() => toValue(name), () => JSON.stringify(toValue(options) ?? null)],
    ([next, key], _prev, onCleanup) => {
      const handle = c.channel(next, JSON.parse(key) ?? undefined) as Channel<InferEvents<C>>;
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
