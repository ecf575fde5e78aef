/**
 * Event ids (cursors) are opaque strings made of `-`-separated decimal parts: the memory store
 * counts "1", "2", …; Redis Streams ids look like "1700000000000-3". They compare part by part,
 * numerically, so both stores (and any store following this rule) order the same way.
 */

const ID = /^\d{1,20}(?:-\d{1,20})?$/;

/**
 * True when `value` is a well-formed event id / cursor.
 * @example
 * ```ts
 * isEventId('17'); isEventId('1700000000000-3'); // true
 * isEventId('abc');                               // false
 * ```
 */
export function isEventId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

/**
 * Compares two well-formed ids: negative when `a` is before `b`, 0 when equal, positive after.
 * A missing part counts as 0, so "5" equals "5-0".
 *
 * @example
 * ```ts
 * compareIds('9', '10') < 0;                          // true: numeric, not lexicographic
 * compareIds('1700000000000-3', '1700000000000-12') < 0; // true
 * ```
 */
export function compareIds(a: string, b: string): number {
  const pa = a.split('-');
  const pb = b.split('-');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = BigInt(pa[i] ?? '0');
    const y = BigInt(pb[i] ?? '0');
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
