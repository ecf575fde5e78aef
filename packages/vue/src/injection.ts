import { hasInjectionContext, inject, type InjectionKey } from 'vue';
import { LifelineError, type LifelineClient } from '@lifeline/core';
import type { RegisteredClient } from './types';

/** The key `createLifeline()` provides the client under. */
export const LIFELINE_KEY: InjectionKey<LifelineClient> = Symbol('lifeline');

/**
 * The Lifeline client: the one passed, else the one `app.use(createLifeline(…))` provided.
 * Throws a `LifelineError` (code `BAD_INPUT`) with a hint when there is neither.
 *
 * @example
 * ```ts
 * const client = useLifeline();
 * const reconnect = () => client.connect();
 * ```
 */
export function useLifeline<C extends LifelineClient = RegisteredClient>(client?: C): C {
  if (client) return client;
  if (!hasInjectionContext()) {
    throw new LifelineError('BAD_INPUT', 'A Lifeline composable was called outside setup() and was given no client.', {}, {
      hint: 'Call it inside a component setup() (with app.use(createLifeline(client)) installed), or pass the client as the last argument, e.g. useEvent(name, handler, client) inside effectScope().',
    });
  }
  const found = inject(LIFELINE_KEY, null);
  if (!found) {
    throw new LifelineError('BAD_INPUT', 'No Lifeline client was provided to this app.', {}, {
      hint: 'Install the plugin: app.use(createLifeline(client)) or app.use(createLifeline({ url })), or pass the client as the last argument.',
    });
  }
  return found as C;
}
