/**
 * Compares two log ids. Ids are decimal integers ("17", memory store) or Redis stream ids
 * ("1700000000000-3"): compared part by part as numbers, split on '-'. Returns <0, 0 or >0.
 *
 * @example
 * ```ts
 * compareIds('9', '10') < 0;                        // true (numeric, not lexical)
 * compareIds('1700000000000-3', '1700000000000-12') < 0; // true
 * ```
 * @internal
 */
export function compareIds(a: string, b: string): number {
  const pa = a.split('-');
  const pb = b.split('-');
  const len = Math.max(pa.length, pb.length);
  for (let i = 0; i < len; i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const c = compareDecimal(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

/** True when `id` comes after `cursor` (always true without a cursor). @internal */
export function isAfter(id: string, cursor: string | undefined): boolean {
  return cursor === undefined || compareIds(id, cursor) > 0;
}

// Decimal strings of any length (Redis ms timestamps fit in a double, but a custom store may not).
function compareDecimal(x: string, y: string): number {
  const a = x.replace(/^0+(?=\d)/, '');
  const b = y.replace(/^0+(?=\d)/, '');
  // Of two decimals the longer is larger; same length (the usual case) compares as text.
  if (a.length !== b.length && /^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
