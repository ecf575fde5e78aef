import { useEffect, useState } from 'react';
import type { Channel, LifelineClient } from '@lifeline/core';
import { useLifeline } from './context';
import type { InferEvents, RegisteredClient } from './types';

/**
 * Joins channel `name` while the component is mounted and returns its handle (null until the
 * effect has run, e.g. during the first render and on the server). Joins are ref-counted by
 * the client: many components on one channel send one join, and StrictMode's
 * mount → unmount → mount nets one join too (the server leave is deferred by a macrotask).
 *
 * @example
 * ```tsx
 * function Ticket({ id }: { id: string }) {
 *   const room = useChannel(`ticket:${id}`);
 *   return <p>{room ? `in ${room.name}` : 'joining…'}</p>;
 * }
 * ```
 */
export function useChannel<C extends LifelineClient = RegisteredClient>(name: string, client?: C): Channel<InferEvents<C>> | null {
  const c = useLifeline(client);
  const [channel, setChannel] = useState<Channel<InferEvents<C>> | null>(null);
  useEffect(() => {
    const handle = c.channel(name) as Channel<InferEvents<C>>;
    setChannel(handle);
    return () => {
      handle.leave();
      setChannel((current) => (current === handle ? null : current));
    };
  }, [c, name]);
  return channel;
}
