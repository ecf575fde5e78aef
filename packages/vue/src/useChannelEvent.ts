import { watch, type MaybeRefOrGetter } from 'vue';
import type { EventMeta, EventName, LifelineClient } from '@lifeline/core';
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
): void {
  const channel = useChannel(name, client as LifelineClient | undefined);
  // flush 'sync': listen in the same tick as the join, so a replay right after it is not missed.
  // The listener goes with the handle: leave() removes it.
  watch(channel, (handle) => void handle?.on(event, handler as (payload: unknown, meta: EventMeta) => void), { immediate: true, flush: 'sync' });
}
