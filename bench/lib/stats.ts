/** Pure number helpers shared by the benchmarks: percentiles, gaps, formatting. */

/** The p-th percentile (0–100) of `values` by nearest rank; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Largest difference between consecutive times (ms), including from `from` and up to `to`. */
export function longestGap(times: readonly number[], from: number, to: number): number {
  let prev = from;
  let gap = 0;
  for (const t of times) {
    gap = Math.max(gap, t - prev);
    prev = t;
  }
  return Math.max(gap, to - prev);
}

/** Counts of sequence numbers lost (expected but never seen) and duplicated (seen twice+). */
export function lossAndDuplicates(received: readonly number[], first: number, last: number): { lost: number; duplicated: number } {
  const seen = new Set<number>();
  let duplicated = 0;
  for (const s of received) {
    if (seen.has(s)) duplicated++;
    else seen.add(s);
  }
  let lost = 0;
  for (let s = first; s <= last; s++) if (!seen.has(s)) lost++;
  return { lost, duplicated };
}

/** Largest number of timestamps that fall in any one `bucketMs` bucket (aligned to the first). */
export function largestBurst(times: readonly number[], bucketMs: number): number {
  if (times.length === 0) return 0;
  const start = Math.min(...times);
  const buckets = new Map<number, number>();
  for (const t of times) {
    const b = Math.floor((t - start) / bucketMs);
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
  }
  return Math.max(...buckets.values());
}

/** Seconds with 2 decimals from milliseconds: 1234 → "1.23 s". */
export function sec(ms: number): string {
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'n/a';
}

/** Milliseconds with a sensible precision. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value < 0.01) return `${(value * 1000).toFixed(1)} µs`;
  if (value < 1) return `${(value * 1000).toFixed(0)} µs`;
  return value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(0)} ms`;
}

/** a ÷ b formatted to 2 decimals, or `—`. */
export function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '—';
  const r = a / b;
  return r !== 0 && Math.abs(r) < 0.1 ? r.toPrecision(2) : r.toFixed(2);
}

/** Integer with thousands separators. */
export function int(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a';
}

/** Bytes as KB (1024) with 2 decimals. */
export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(2)} KB`;
}
