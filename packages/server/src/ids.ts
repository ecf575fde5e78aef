/**
 * Event ids (cursors): "1", "2", … from the memory store, "1700000000000-3" from Redis Streams.
 * The rules are the protocol's, written once in `@lifeline/core/protocol` (bundled into this
 * package's build): the server orders its log with the same total order the client deduplicates
 * with.
 */
import { compareIds as protocolCompareIds, isEventId as protocolIsEventId } from '@lifeline/core/protocol';

/**
 * True when `value` is a well-formed event id / cursor a server accepts: one or two parts of
 * 1–20 digits.
 * @example
 * ```ts
 * isEventId('17'); isEventId('1700000000000-3'); // true
 * isEventId('abc');                               // false
 * ```
 */
export const isEventId: (value: unknown) => value is string = protocolIsEventId;

/**
 * Compares two ids: negative when `a` is before `b`, 0 when equal, positive after. Part by part
 * as numbers, a missing part counts as 0 ("5" equals "5-0"); a total order that never throws
 * (a malformed id sorts before every well-formed one).
 *
 * @example
 * ```ts
 * compareIds('9', '10') < 0;                          // true: numeric, not lexicographic
 * compareIds('1700000000000-3', '1700000000000-12') < 0; // true
 * ```
 */
export const compareIds: (a: string, b: string) => number = protocolCompareIds;
