/**
 * Per-connection limits shared by every carrier: how many channels one socket may be joined to,
 * and one HTTP poll may name (`maxChannels`), and the `LIMIT` refusal past it.
 */
import { LifelineServerError } from './errors';

/** Default of `maxChannels`: most channels one socket may be joined to at once, and one poll may name. */
export const MAX_CHANNELS = 100;

/** The refusal of one channel too many (`LIMIT`, with `max`): on a socket's join or in a poll. */
export function tooManyChannels(count: number, max: number, where: 'poll' | 'socket'): LifelineServerError {
  const message =
    where === 'poll'
      ? `Too many channels (${count}) in one poll: the server's maxChannels is ${max}. Leave channels you no longer need, or raise maxChannels in createLifeline.`
      : `Too many channels on this connection: the server's maxChannels is ${max}. Leave channels you no longer need, or raise maxChannels in createLifeline.`;
  return new LifelineServerError('LIMIT', message, { max });
}
