import type { ChannelOptions, LifelineClient } from '@lifeline/core';

/**
 * Splits `(options?, client?)` / `(client?)`, the trailing arguments of the channel hooks: a
 * client is recognised by its `subscribeState`. `key` is the options as JSON, so that a re-render
 * with equal options (a fresh object) does not re-join.
 * @internal
 */
export function channelArgs<C>(optionsOrClient: ChannelOptions | C | undefined, client: C | undefined): { options: ChannelOptions | undefined; client: C | undefined; key: string } {
  const isClient = typeof (optionsOrClient as Partial<LifelineClient> | undefined)?.subscribeState === 'function';
  const options = isClient ? undefined : (optionsOrClient as ChannelOptions | undefined);
  return { options, client: isClient ? (optionsOrClient as C) : client, key: options ? JSON.stringify(options) : '' };
}
