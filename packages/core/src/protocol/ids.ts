/** Ids (cursors) of the protocol and their one order (docs/protocol.md). */

const WELL_FORMED = /^\d+(?:-\d+)*$/;
const EVENT_ID = /^\d{1,20}(?:-\d{1,20})?$/;

/** The cursor before every id. */
export const ZERO_CURSOR = '0';

/**
 * True for a well-formed id as the client reads one: decimal parts joined by '-', any number of
 * parts of any length (false for no id at all). A client delivers an event with a malformed id
 * without deduplicating it and never makes it a cursor.
 *
 * @example
 * ```ts
 * isWellFormedId('1700000000000-3'); // true
 * isWellFormedId('abc');             // false
 * ```
 */
export const isWellFormedId = (id: string | undefined): boolean => id !== undefined && WELL_FORMED.test(id);

/**
 * True for an id a server accepts and writes (docs/protocol.md): one or two parts of 1–20 digits,
 * "17" (memory store) or "1700000000000-3" (Redis Streams). A subset of `isWellFormedId`.
 *
 * @example
 * ```ts
 * isEventId('17'); isEventId('1700000000000-3'); // true
 * isEventId('abc');                               // false
 * ```
 */
export function isEventId(value: unknown): value is string {
  return typeof value === 'string' && EVENT_ID.test(value);
}

/**
 * Compares two ids. Returns <0, 0 or >0; a total order on all strings, never throws. The one
 * order of the protocol: the client's deduplication and the server's log both use it.
 *
 * - Well-formed ids compare part by part as numbers (any length, no precision loss); a missing
 *   part is 0, leading zeros do not count: "9" < "10", "5" == "5-0" == "005".
 * - A malformed id sorts before every well-formed id (like a cursor too old to use: a server
 *   refuses it with CURSOR_EXPIRED, and any well-formed id is "after" it), and malformed ids
 *   compare among themselves by UTF-16 code units, as `<` on strings does.
 *
 * @example
 * ```ts
 * compareIds('9', '10') < 0;                        // true (numeric, not lexical)
 * compareIds('1700000000000-3', '1700000000000-12') < 0; // true
 * compareIds('abc', '1') < 0;                       // true (malformed first)
 * ```
 */
export function compareIds(a: string, b: string): number {
  const wa = isWellFormedId(a);
  const wb = isWellFormedId(b);
  if (!wa || !wb) return wa !== wb ? (wa ? 1 : -1) : a < b ? -1 : a > b ? 1 : 0;
  return compareWellFormed(a, b);
}

/**
 * `compareIds` for two ids already known to be well-formed (the client's per-event path checks
 * the id once): part by part as numbers.
 * @internal
 */
export function compareWellFormed(a: string, b: string): number {
  if (a === b) return 0;
  // Part by part, in place (this runs for every event: no split, no regex, no allocation).
  // Decimal digits without leading zeros: the longer is the larger, else they compare as text.
  // Exact for parts of any length (no Number or BigInt); a missing part reads as an empty "0".
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const ie = partEnd(a, i);
    const je = partEnd(b, j);
    while (i < ie && a.charCodeAt(i) === ZERO) i++;
    while (j < je && b.charCodeAt(j) === ZERO) j++;
    if (ie - i !== je - j) return ie - i < je - j ? -1 : 1;
    for (; i < ie; i++, j++) {
      const d = a.charCodeAt(i) - b.charCodeAt(j);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    i = Math.min(ie + 1, a.length);
    j = Math.min(je + 1, b.length);
  }
  return 0;
}

const ZERO = 48; // '0'

/** Where the part of `id` that starts at `from` ends (its '-' or the end). */
function partEnd(id: string, from: number): number {
  const end = id.indexOf('-', from);
  return end < 0 ? id.length : end;
}

/** True when `id` comes after `cursor` (always true without a cursor). */
export function isAfter(id: string, cursor: string | undefined): boolean {
  return cursor === undefined || compareIds(id, cursor) > 0;
}
