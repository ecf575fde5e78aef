import { useEffect } from 'react';
import type { ChannelOptions, EventName, LifelineClient } from '@lifeline/core';
import { channelArgs } from './channelArgs';
import { useLifeline } from './context';
import type { HookHandler, InferEvents, RegisteredClient } from './types';
import { useLatestHandler } from './useLatestHandler';

/**
 * Joins channel `name` and calls `handler` for `event` delivered on that channel only, while
 * mounted. Join and listener are set up in the same effect, so nothing that arrives right
 * after the join (a replay) can slip past. The latest handler is kept in a ref.
 *
 * @example
 * ```tsx
 * function Comments({ ticketId }: { ticketId: string }) {
 *   const [comments, setComments] = useState<string[]>([]);
 *   useChannelEvent(`ticket:${ticketId}`, 'comment:added', (c) => setComments((l) => [...l, c.text]));
 *   return <ul>{comments.map((t, i) => <li key={i}>{t}</li>)}</ul>;
 * }
 * ```
 */
export function useChannelEvent<C extends LifelineClient = RegisteredClient, K extends EventName<InferEvents<C>> = EventName<InferEvents<C>>>(
  name: string,
  event: K,
  handler: HookHandler<C, K>,
  client?: C,
): void;
/** With channel options (`params`, `rewind`, `since`), as `useChannel`. */
export function useChannelEvent<C extends LifelineClient = RegisteredClient, K extends EventName<InferEvents<C>> = EventName<InferEvents<C>>>(
  name: string,
  event: K,
  handler: HookHandler<C, K>,
  options: ChannelOptions,
  client?: C,
): void;
export function useChannelEvent<C extends LifelineClient = RegisteredClient, K extends EventName<InferEvents<C>> = EventName<InferEvents<C>>>(
  name: string,
  event: K,
  handler: HookHandler<C, K>,
  optionsOrClient?: ChannelOptions | C,
  maybeClient?: C,
): void {
  const { options, client, key } = channelArgs(optionsOrClient, maybeClient);
  const c = useLifeline(client) as LifelineClient;
  const call = useLatestHandler(handler);
  useEffect(() => {
    const handle = c.channel(name, options);
    handle.on(event, call);
    return () => handle.leave(); // also removes the listener
    // `key` stands for `options` (see useChannel).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [c, name, event, call, key]);
}
