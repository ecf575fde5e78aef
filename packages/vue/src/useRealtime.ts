import { computed, type ComputedRef } from 'vue';
import type { Channel, ConnectionState, LifelineClient } from '@lifeline/core';
import { useLifeline } from './injection';
import { useConnectionState } from './useConnectionState';
import type { BoundEmit, InferEvents, RegisteredClient } from './types';

/** What `useRealtime()` returns: readonly refs (destructure freely) plus bound `emit`/`channel`. */
export interface Realtime<C extends LifelineClient = RegisteredClient> {
  readonly status: ComputedRef<ConnectionState['status']>;
  readonly transport: ComputedRef<ConnectionState['transport']>;
  readonly fallback: ComputedRef<boolean>;
  readonly lastError: ComputedRef<ConnectionState['lastError']>;
  /** `client.emit`, bound. */
  readonly emit: BoundEmit;
  /** `client.channel`, bound: every handle it returns must be released with `leave()`. */
  readonly channel: (name: string) => Channel<InferEvents<C>>;
}

/**
 * Connection state as refs plus `emit` and `channel`, for components that both show and send.
 *
 * @example
 * ```ts
 * const { status, emit } = useRealtime();
 * const ping = () => emit('ping', { at: Date.now() });
 * ```
 */
export function useRealtime<C extends LifelineClient = RegisteredClient>(client?: C): Realtime<C> {
  const c = useLifeline(client);
  const state = useConnectionState(c);
  return {
    status: computed(() => state.value.status),
    transport: computed(() => state.value.transport),
    fallback: computed(() => state.value.fallback),
    lastError: computed(() => state.value.lastError),
    emit: c.emit.bind(c),
    channel: (name: string) => c.channel(name) as Channel<InferEvents<C>>,
  };
}
