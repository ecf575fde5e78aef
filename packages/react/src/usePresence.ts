import { useCallback, useSyncExternalStore } from 'react';
import type { Channel, EventSchemas, PresenceMember } from '@lifeline/core';

const NONE: readonly PresenceMember[] = Object.freeze([]);
const nothing = () => () => {};

/**
 * Who is in a channel: its presence members (`channel.presence.get()`), re-rendering only when
 * they change. Takes the channel from `useChannel` (null while joining: no members). Empty during
 * server rendering and hydration; subscribes to nothing there, and unsubscribes on unmount.
 *
 * @example
 * ```tsx
 * function Viewers({ id }: { id: string }) {
 *   const members = usePresence(useChannel(`ticket:${id}`));
 *   return <p>{members.map((m) => m.id).join(', ')} viewing</p>;
 * }
 * ```
 */
export function usePresence<E extends EventSchemas>(channel: Channel<E> | null | undefined): readonly PresenceMember[] {
  const subscribe = useCallback((onChange: () => void) => (channel ? channel.presence.subscribe(onChange) : () => {}), [channel]);
  const get = useCallback(() => (channel ? channel.presence.get() : NONE), [channel]);
  return useSyncExternalStore(channel ? subscribe : nothing, get, () => NONE);
}
