import { useEffect } from 'react';
import type { LifelineClient } from '@lifeline/core';
import { useLifeline } from './context';
import type { HookEventName, HookHandler, RegisteredClient } from './types';
import { useLatestHandler } from './useLatestHandler';

/**
 * Calls `handler` for every `event` the client receives (or a lifecycle event: `error`,
 * `transport`) while the component is mounted. The latest handler is kept in a ref, so an
 * inline arrow does not re-subscribe: the subscription changes only with `event` or the client.
 *
 * @example
 * ```tsx
 * function Toasts() {
 *   useEvent('ticket:updated', (ticket) => toast(`#${ticket.id} is ${ticket.status}`));
 *   return null;
 * }
 * ```
 */
export function useEvent<C extends LifelineClient = RegisteredClient, K extends HookEventName<C> = HookEventName<C>>(
  event: K,
  handler: HookHandler<C, K>,
  client?: C,
): void {
  const c = useLifeline(client) as LifelineClient;
  const call = useLatestHandler(handler);
  useEffect(() => c.on(event, call), [c, event, call]);
}
