/**
 * Bundle-size budgets, enforced in CI: each package as an app's bundler ships it (min+gzip),
 * measured by bench/size/measure.ts. Raising a budget is a decision for docs/benchmarks.md,
 * not a drive-by edit here.
 */
import { describe, expect, it } from 'vitest';
import { ENTRIES, KB, measure, topInputs } from './measure';

const kb = (bytes: number) => `${(bytes / KB).toFixed(2)} KB`;

describe('bundle size budgets (min+gzip, 1 KB = 1024 B)', () => {
  for (const entry of ENTRIES.filter((e) => e.budget !== undefined)) {
    it(`${entry.name} stays within ${kb(entry.budget!)}`, async () => {
      const r = await measure(entry);
      console.log(`[size] ${entry.name}: ${kb(r.gzip)} min+gzip (${kb(r.minified)} min), budget ${kb(entry.budget!)}`);
      expect(r.gzip, `${entry.name} is ${kb(r.gzip)}, over its ${kb(entry.budget!)} budget; largest (minified): ${topInputs(r)}`).toBeLessThanOrEqual(entry.budget!);
    });
  }

  it('counts what it says: core leaves socket.io-client out and keeps eventemitter3 in', async () => {
    const r = await measure(ENTRIES[0]!);
    const paths = r.inputs.map((i) => i.path);
    expect(paths.filter((f) => /socket\.io-client|engine\.io-client/.test(f))).toEqual([]);
    expect(paths.some((f) => f.includes('packages/core/src/'))).toBe(true);
    expect(paths.some((f) => f.includes('eventemitter3'))).toBe(true);
  });

  it('counts what it says: the bindings leave @lifeline/core out', async () => {
    for (const entry of ENTRIES.slice(1, 3)) {
      const r = await measure(entry);
      expect(r.inputs.map((i) => i.path).filter((f) => f.includes('packages/core/'))).toEqual([]);
    }
  });

  it('measures a real bundle: socket.io-client alone is several KB, as published', async () => {
    const r = await measure(ENTRIES[4]!);
    console.log(`[size] socket.io-client alone: ${kb(r.gzip)} min+gzip`);
    expect(r.gzip).toBeGreaterThan(8 * KB);
    expect(r.gzip).toBeLessThan(r.minified);
  });
});
