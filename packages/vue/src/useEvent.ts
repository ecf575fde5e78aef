import type { LifelineClient } from '@lifeline/core';
import { isClient } from './env';
import { useLifeline } from './injection';
import { tryOnScopeDispose } from './scope';
import type { HookEventName, HookHandler, RegisteredClient } from './types';

/**
 * Calls `handler` for every `event` (or lifecycle event `error` / `transport`) for the lifetime
 * of the current scope. Does nothing on the server.
 *
 * @example
 * ```ts
 * useEvent('ticket:updated', (ticket) => toast(`#${ticket.id} is ${ticket.status}`));
 * ```
 */
export function useEvent<C extends LifelineClient = RegisteredClient, K extends HookEventName<C> = HookEventName<C>>(
  event: K,
  handler: HookHandler<C, K>,
  client?: C,
): void {
  const c = useLifeline(client) as LifelineClient;
  if (!isClient) return;
  tryOnScopeDispose(c.on(event as string, handler as (payload: unknown) => void), 'useEvent');
}
