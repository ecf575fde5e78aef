import { createContext, useContext } from 'react';
import { LifelineError, type LifelineClient } from '@lifeline/core';
import type { RegisteredClient } from './types';

/** The client `<LifelineProvider>` hands down. @internal */
export const LifelineContext = createContext<LifelineClient | null>(null);
LifelineContext.displayName = 'LifelineContext';

/**
 * The Lifeline client: the one passed, else the one of the nearest `<LifelineProvider>`.
 * Throws a `LifelineError` (code `BAD_INPUT`) with a hint when there is neither.
 *
 * @example
 * ```tsx
 * function Reconnect() {
 *   const client = useLifeline();
 *   return <button onClick={() => client.connect()}>Reconnect</button>;
 * }
 * ```
 */
export function useLifeline<C extends LifelineClient = RegisteredClient>(client?: C): C {
  const fromContext = useContext(LifelineContext);
  const found = client ?? fromContext;
  if (!found) {
    throw new LifelineError('BAD_INPUT', 'A Lifeline hook was called outside <LifelineProvider> and was given no client.', {}, {
      hint: 'Wrap the tree in <LifelineProvider client={client}> (or options={…}), or pass the client as the last argument, e.g. useEvent(name, handler, client).',
    });
  }
  return found as C;
}
