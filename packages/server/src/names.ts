/**
 * Names on the wire: channels, event names and emit ids, checked alike by every carrier
 * (`lifeline:join`, `publish()`, `GET /poll`, `POST /emit`).
 */

/** Longest channel, event name or emit id, characters. */
export const MAX_NAME = 200;

/** A channel, event name or emit id: a string of 1–`MAX_NAME` characters. */
export function isName(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && value.length <= MAX_NAME;
}
