/**
 * Validation of poll queries and emit bodies: anything malformed is a 400 with a message naming
 * the field, never a 500.
 */
import { LifelineServerError } from '../errors';
import { isEventId } from '../ids';
import { HTTP } from '@lifeline/core/protocol';
import { MAX_CHANNELS, tooManyChannels } from '../limits';
import { channelRule, isChannel, isName, MAX_NAME } from '../names';

/** `wait` of a poll that leaves it out, seconds (docs/protocol.md), capped at `maxWaitSeconds`. */
const DEFAULT_WAIT = HTTP.defaultWaitSeconds;

export interface PollQuery {
  readonly channels: readonly string[];
  readonly cursor: string | undefined;
  readonly wait: number;
  /** The poller's id (one per client transport), for presence. */
  readonly sid: string | undefined;
}

export interface EmitBody {
  readonly event: string;
  readonly data: unknown;
  readonly id: string;
}

const bad = (message: string) => new LifelineServerError('BAD_REQUEST', message);


/**
 * Parses `channels=a,b&cursor=c&wait=s` (`url.search`). Channel names are split on the literal
 * commas of the raw query and then decoded, so a comma inside a name travels percent-encoded
 * (`%2C`, as `encodeURIComponent` writes it) and any name that can be published can be polled.
 */
export function parsePollQuery(search: string, maxWait: number, maxChannels = MAX_CHANNELS): PollQuery {
  const params = new URLSearchParams(search);
  const rawChannels = rawParam(search, HTTP.params.channels) ?? '';
  const channels = rawChannels === '' ? [] : [...new Set(rawChannels.split(',').map(decodeForm))];
  for (const c of channels) {
    if (!isChannel(c)) throw new LifelineServerError('BAD_REQUEST', channelRule(c), { channel: c });
  }
  if (channels.length > maxChannels) throw tooManyChannels(channels.length, maxChannels, 'poll');
  const cursor = params.get(HTTP.params.cursor) ?? undefined;
  if (cursor !== undefined && !isEventId(cursor)) {
    throw bad(`cursor must be an event id such as "17" or "1700000000000-3"; got ${JSON.stringify(String(cursor).slice(0, 40))}.`);
  }
  const rawWait = params.get(HTTP.params.wait);
  const wait = rawWait === null || rawWait === '' ? Math.min(DEFAULT_WAIT, maxWait) : Number(rawWait);
  if (!Number.isFinite(wait) || wait < 0 || wait > maxWait) throw bad(`wait must be a number of seconds from 0 to ${maxWait}; got ${JSON.stringify(rawWait)}.`);
  const sid = params.get(HTTP.params.sid) ?? undefined;
  if (sid !== undefined && !/^[\w-]{1,64}$/.test(sid)) throw bad(`sid must be 1–64 letters, digits, '_' or '-'; got ${JSON.stringify(sid.slice(0, 40))}.`);
  return { channels, cursor, wait, sid };
}

/** The first value of `name` in a query string, still encoded (`URLSearchParams.get` decodes before one could split it). */
function rawParam(search: string, name: string): string | undefined {
  for (const pair of search.replace(/^\?/, '').split('&')) {
    const eq = pair.indexOf('=');
    if (decodeForm(eq < 0 ? pair : pair.slice(0, eq)) === name) return eq < 0 ? '' : pair.slice(eq + 1);
  }
  return undefined;
}

/** Decodes one query component exactly as `URLSearchParams` does (`+` is a space; a malformed `%` escape is kept as is). */
function decodeForm(component: string): string {
  return new URLSearchParams(`v=${component}`).get('v') ?? '';
}

/** Validates a parsed `POST /emit` body. */
export function parseEmitBody(body: unknown): EmitBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('The body must be a JSON object { "event", "data", "id" }.');
  const { event, data, id } = body as Record<string, unknown>;
  if (!isName(event)) throw bad(`"event" must be a string of 1–${MAX_NAME} characters.`);
  if (!isName(id)) throw bad(`"id" must be a client-generated string of 1–${MAX_NAME} characters (the idempotency key).`);
  return { event, data: data === undefined ? null : data, id };
}
