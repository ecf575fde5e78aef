import type { MaybeRefOrGetter } from 'vue';
import type { ChannelOptions, LifelineClient } from '@lifeline/core';

/**
 * Splits `(options?, client?)` / `(client?)`, the trailing arguments of the channel
 * composables: a client is recognised by its `subscribeState`.
 * @internal
 */
export function channelArgs<C>(optionsOrClient: MaybeRefOrGetter<ChannelOptions | undefined> | C | undefined, client: C | undefined): { options: MaybeRefOrGetter<ChannelOptions | undefined>; client: C | undefined } {
  const isClient = typeof (optionsOrClient as Partial<LifelineClient> | undefined)?.subscribeState === 'function';
  return isClient ? { options: undefined, client: optionsOrClient as C } : { options: optionsOrClient as MaybeRefOrGetter<ChannelOptions | undefined>, client };
}
