/**
 * Names on the wire: channels, event names and emit ids, checked alike by every carrier
 * (`lifeline:join`, `publish()`, `GET /poll`, `POST /emit`).
 *
 * Channel names become Socket.IO room names (the room named after the channel, which
 * `io.to(channel).emit(…)` reaches). The companion's own fan-out rooms start with a NUL
 * character (`ROOM_PREFIX`, joins.ts), and a channel name may contain no control character at
 * all, so no channel a client can ask for is ever one of those rooms, whatever `authorize` says.
 */

/** Longest channel, event name or emit id, characters. */
export const MAX_NAME = 200;

/** Control characters (C0, DEL, C1): never part of a channel name. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** An event name or emit id: a string of 1–`MAX_NAME` characters. */
export function isName(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && value.length <= MAX_NAME;
}

/** A channel name: a string of 1–`MAX_NAME` characters without control characters (U+0000–U+001F, U+007F–U+009F). */
export function isChannel(value: unknown): value is string {
  return isName(value) && !CONTROL.test(value);
}

/** What a refused channel name is told, naming the rule it broke. */
export function channelRule(value: unknown): string {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) + (value.length > 40 ? '…' : '') : String(value === undefined ? 'nothing' : typeof value);
  return `A channel name is a string of 1–${MAX_NAME} characters without control characters (U+0000–U+001F, U+007F–U+009F); got ${shown}.`;
}
