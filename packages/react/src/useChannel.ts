import { useEffect, useState } from 'react';
import type { Channel, ChannelOptions, LifelineClient } from '@lifeline/core';
import { channelArgs } from './channelArgs';
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
export function useChannel<C extends LifelineClient = RegisteredClient>(name: string, client?: C): Channel<InferEvents<C>> | null;
/**
 * With channel options: `params` (a server's filters, re-joined when they change; equal options
 * in a fresh object do not re-join), `rewind`, `since`.
 */
export function useChannel<C extends LifelineClient = RegisteredClient>(name: string, options: ChannelOptions, client?: C): Channel<InferEvents<C>> | null;
export function useChannel<C extends LifelineClient = RegisteredClient>(name: string, optionsOrClient?: ChannelOptions | C, maybeClient?: C): Channel<InferEvents<C>> | null {
  const { options, client, key } = channelArgs(optionsOrClient, maybeClient);
  const c = useLifeline(client);
  const [channel, setChannel] = useState<Channel<InferEvents<C>> | null>(null);
  useEffect(() => {
    const handle = c.channel(name, options) as Channel<InferEvents<C>>;
    setChannel(handle);
    return () => {
      handle.leave();
      setChannel((current) => (current === handle ? null : current));
    };
    // `key` stands for `options`: a new object with the same content is the same channel.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [c, name, key]);
  return channel;
}
