import { shallowReadonly, shallowRef, toValue, watch, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import type { Channel, EventSchemas, PresenceMember } from '@lifeline/core';
import { isClient } from './env';
import { tryOnScopeDispose } from './scope';

const NONE: readonly PresenceMember[] = Object.freeze([]);

/**
 * Who is in a channel: its presence members as a readonly shallow ref, replaced when they change.
 * Takes the channel (or a ref / getter of it, e.g. `useChannel`'s ref: empty while joining) and
 * follows it when it changes; released with the current scope. Empty on the server.
 *
 * @example
 * ```ts
 * const room = useChannel(() => `ticket:${props.id}`);
 * const members = usePresence(room);
 * const names = computed(() => members.value.map((m) => m.id).join(', '));
 * ```
 */
export function usePresence<E extends EventSchemas>(channel: MaybeRefOrGetter<Channel<E> | null | undefined>): Readonly<ShallowRef<readonly PresenceMember[]>> {
  const members = shallowRef<readonly PresenceMember[]>(NONE);
  if (!isClient) return shallowReadonly(members);
  const stop = watch(
    () => toValue(channel),
    (next, _prev, onCleanup) => {
      members.value = next ? next.presence.get() : NONE;
      if (next) onCleanup(next.presence.subscribe((list) => (members.value = list)));
    },
    { immediate: true, flush: 'sync' },
  );
  tryOnScopeDispose(stop, 'usePresence');
  return shallowReadonly(members);
}
