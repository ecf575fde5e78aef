import { watch, type MaybeRefOrGetter } from 'vue';
import type { ChannelOptions, EventMeta, EventName, LifelineClient } from '@lifeline/core';
import { useChannel } from './useChannel';
import type { HookHandler, InferEvents, RegisteredClient } from './types';

/**
 * Joins channel `name` and calls `handler` for `event` delivered on that channel only, for the
 * lifetime of the current scope; follows `name` when it is a ref or getter.
 *
 * @example
 * ```ts
 * const comments = ref<string[]>([]);
 * useChannelEvent(() => `ticket:${props.id}`, 'comment:added', (c) => comments.value.push(c.text));
 * ```
 */
export function useChannelEvent<C extends LifelineClient = RegisteredClient, K extends EventName<InferEvents<C>> = EventName<InferEvents<C>>>(
  name: MaybeRefOrGetter<string>,
  event: K,
  handler: HookHandler<C, K>,
  client?: C,
): void;
/** With channel options (`params`, `rewind`, `since`; a value, ref or getter), as `useChannel`. */
export function useChannelEvent<C extends LifelineClient = RegisteredClient, K extends EventName<InferEvents<C>> = EventName<InferEvents<C>>>(
  name: MaybeRefOrGetter<string>,
  event: K,
  handler: HookHandler<C, K>,
  options: MaybeRefOrGetter<ChannelOptions | undefined>,
  client?: C,
): void;
export function useChannelEvent<C extends LifelineClient = RegisteredClient, K extends EventName<InferEvents<C>> = EventName<InferEvents<C>>>(
  name: MaybeRefOrGetter<string>,
  event: K,
  handler: HookHandler<C, K>,
  optionsOrClient?: MaybeRefOrGetter<ChannelOptions | undefined> | C,
  maybeClient?: C,
): void {
  // useChannel tells options from a client, as it does for its own trailing arguments.
  const channel = useChannel(name, optionsOrClient as MaybeRefOrGetter<ChannelOptions | undefined>, maybeClient as LifelineClient | undefined);
  // flush 'sync': listen in the same tick as the join, so a replay right after it is not missed.
  // The listener goes with the handle: leave() removes it.
  watch(channel, (handle) => void handle?.on(event, handler as (payload: unknown, meta: EventMeta) => void), { immediate: true, flush: 'sync' });
}
