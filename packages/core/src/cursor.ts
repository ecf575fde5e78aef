/**
 * Log ids (cursors) and their order. A well-formed id is one or more decimal integers joined by
 * '-': "17" (memory store), "1700000000000-3" (Redis Streams); PROTOCOL.md's ids are the 1–2 part,
 * ≤ 20 digit subset, and any number of parts of any length is accepted here. Anything else (an
 * empty string, "abc", "5-", "0x1f", " 7", a UUID from a custom poll adapter) is malformed.
 */

const WELL_FORMED = /^\d+(?:-\d+)*$/;

/**
 * True for a well-formed id: decimal parts joined by '-' (false for no id at all).
 *
 * @example
 * ```ts
 * isWellFormedId('1700000000000-3'); // true
 * isWellFormedId('abc');             // false
 * ```
 * @internal
 */
export const isWellFormedId = (id: string | undefined): boolean => id !== undefined && WELL_FORMED.test(id);

/**
 * Compares two log ids. Returns <0, 0 or >0; a total order on all strings, never throws.
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
 * @internal
 */
export function compareIds(a: string, b: string): number {
  const wa = isWellFormedId(a);
  const wb = isWellFormedId(b);
  if (!wa || !wb) return wa !== wb ? (wa ? 1 : -1) : a < b ? -1 : a > b ? 1 : 0;
  const pa = a.split('-');
  const pb = b.split('-');
  for (let i = 0; i < pa.length || i < pb.length; i++) {
    // BigInt: parts of any length compare exactly (a custom store's may not fit a double).
    const x = BigInt(pa[i] ?? 0);
    const y = BigInt(pb[i] ?? 0);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** True when `id` comes after `cursor` (always true without a cursor). @internal */
export function isAfter(id: string, cursor: string | undefined): boolean {
  return cursor === undefined || compareIds(id, cursor) > 0;
}
