import { useMemo } from 'react';
import type { Channel, ConnectionState, LifelineClient } from '@lifeline/core';
import { useLifeline } from './context';
import { useConnectionState } from './useConnectionState';
import type { BoundEmit, InferEvents, RegisteredClient } from './types';

/** What `useRealtime()` returns. */
export interface Realtime<C extends LifelineClient = RegisteredClient> extends Pick<ConnectionState, 'status' | 'transport' | 'fallback' | 'lastError'> {
  /** `client.emit`, bound (stable across renders). */
  readonly emit: BoundEmit;
  /** `client.channel`, bound: every handle it returns must be released with `leave()`. */
  readonly channel: (name: string) => Channel<InferEvents<C>>;
}

/**
 * Connection state plus `emit` and `channel`, for components that both show and send.
 * Re-renders on every connection-state change, like `useConnectionState`.
 *
 * @example
 * ```tsx
 * function Send() {
 *   const { status, emit } = useRealtime();
 *   return <button disabled={status !== 'connected'} onClick={() => emit('ping', { at: Date.now() })}>Ping</button>;
 * }
 * ```
 */
export function useRealtime<C extends LifelineClient = RegisteredClient>(client?: C): Realtime<C> {
  const c = useLifeline(client);
  const { status, transport, fallback, lastError } = useConnectionState(c);
  const bound = useMemo(
    () => ({
      emit: c.emit.bind(c),
      channel: (name: string) => c.channel(name) as Channel<InferEvents<C>>,
    }),
    [c],
  );
  return { status, transport, fallback, lastError, ...bound };
}
