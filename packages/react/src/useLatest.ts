import { useEffect, useState } from 'react';
import type { EventName, LifelineClient } from '@lifeline/core';
import { useLifeline } from './context';
import type { HookPayload, InferEvents, RegisteredClient } from './types';

/**
 * The latest payload of `event` received while mounted, as state (`undefined` until the first
 * one). Resets when `event` or the client changes.
 *
 * @example
 * ```tsx
 * function Price() {
 *   const tick = useLatest('price:tick');
 *   return <b>{tick ? tick.price.toFixed(2) : '—'}</b>;
 * }
 * ```
 */
export function useLatest<C extends LifelineClient = RegisteredClient, K extends EventName<InferEvents<C>> = EventName<InferEvents<C>>>(
  event: K,
  client?: C,
): HookPayload<C, K> | undefined {
  const c = useLifeline(client) as LifelineClient;
  const [latest, setLatest] = useState<{ readonly payload: HookPayload<C, K> } | undefined>(undefined);
  useEffect(() => {
    setLatest(undefined);
    // Boxed so that two equal payloads (or a function payload) still update the state.
    return c.on(event, (payload: unknown) => setLatest({ payload: payload as HookPayload<C, K> }));
  }, [c, event]);
  return latest?.payload;
}
