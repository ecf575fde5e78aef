import { useSyncExternalStore } from 'react';
import type { ConnectionState, LifelineClient } from '@lifeline/core';
import { useLifeline } from './context';

/**
 * The connection snapshot `{ status, transport, attempt, fallback, lastError, since }`.
 * Re-renders only the components that call it, once per state change; on the server it returns
 * the client's current (idle) snapshot and subscribes to nothing.
 *
 * @example
 * ```tsx
 * function Indicator() {
 *   const { status, transport, fallback } = useConnectionState();
 *   return <span>{status}{transport && ` · ${transport}`}{fallback && ' (fallback)'}</span>;
 * }
 * ```
 */
export function useConnectionState(client?: LifelineClient): ConnectionState {
  const c = useLifeline(client);
  // getState/subscribeState are bound arrow properties and getState returns the same frozen
  // object until something changes, as useSyncExternalStore requires.
  return useSyncExternalStore(c.subscribeState, c.getState, c.getState);
}
