import { describe, expect, it } from 'vitest';
import { delayAfterLoss, delayFor } from '../backoff';

const opts = { delayMs: 1000, maxDelayMs: 3000, jitter: 0.5 };

/** A seeded PRNG (mulberry32) so the distribution test is deterministic. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('delayFor', () => {
  it('grows exponentially from delayMs and stops at maxDelayMs (no jitter)', () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 10, 1000].map((n) => delayFor(n, opts, none))).toEqual([1000, 2000, 3000, 3000, 3000, 3000]);
  });

  it('jitter shortens the delay by up to `jitter` of itself', () => {
    expect(delayFor(1, opts, () => 1)).toBe(500);
    expect(delayFor(1, opts, () => 0.5)).toBe(750);
    expect(delayFor(1, { ...opts, jitter: 0 }, () => 1)).toBe(1000);
  });

  it('stays random at the cap: 2000 clients do not retry in one burst', () => {
    const random = seeded(42);
    const delays = Array.from({ length: 2000 }, () => delayFor(20, opts, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1500);
    expect(Math.max(...delays)).toBeLessThanOrEqual(3000);
    // Spread evenly over [1500, 3000]: each 150 ms bucket holds roughly a tenth.
    const buckets = Array.from({ length: 10 }, () => 0);
    for (const d of delays) buckets[Math.min(9, Math.floor((d - 1500) / 150))]!++;
    for (const b of buckets) expect(b).toBeGreaterThan(140);
    expect(new Set(delays).size).toBeGreaterThan(1000);
  });

  it('treats attempt < 1 as the first attempt and never goes negative', () => {
    expect(delayFor(0, opts, () => 0)).toBe(1000);
    expect(delayFor(-3, { ...opts, jitter: 1 }, () => 1)).toBe(0);
  });
});

describe('delayFor with spread (retries after a healthy connection was lost)', () => {
  it('delay × (1 ± jitter), never above maxDelayMs: [1000, 3000] for the second attempt, [1500, 3000] at the cap', () => {
    expect(delayFor(2, opts, () => 0, true)).toBe(3000);
    expect(delayFor(2, opts, () => 0.5, true)).toBe(2000);
    expect(delayFor(2, opts, () => 1, true)).toBe(1000);
    expect(delayFor(1, opts, () => 1, true)).toBe(500);
    expect(delayFor(1, opts, () => 0, true)).toBe(1500);
    expect(delayFor(9, opts, () => 0, true)).toBe(3000);
    expect(delayFor(9, opts, () => 1, true)).toBe(1500);
  });

  it('jitter 0 stays exact; other jitters widen both ways', () => {
    expect(delayFor(2, { ...opts, jitter: 0 }, () => 1, true)).toBe(2000);
    expect(delayFor(2, { ...opts, jitter: 0 }, () => 0, true)).toBe(2000);
    expect(delayFor(2, { ...opts, jitter: 0.25 }, () => 1, true)).toBe(1500);
    expect(delayFor(2, { ...opts, jitter: 0.25 }, () => 0, true)).toBe(2500);
  });

  it('spreads 2000 clients of one lost server over [1000, 3000] for the second attempt: no 100 ms slot holds more than 1.5× its share, half as dense as without spread', () => {
    const random = seeded(42);
    const slots = new Array(20).fill(0);
    for (let i = 0; i < 2000; i++) slots[Math.min(19, Math.floor((delayFor(2, opts, random, true) - 1000) / 100))]++;
    expect(Math.max(...slots)).toBeLessThanOrEqual(150);
    expect(Math.min(...slots)).toBeGreaterThan(50);
    // The same clients without spread fall into [1000, 2000]: twice as many per 100 ms.
    const plain = new Array(10).fill(0);
    for (let i = 0; i < 2000; i++) plain[Math.min(9, Math.floor((delayFor(2, opts, random) - 1000) / 100))]++;
    expect(Math.min(...plain)).toBeGreaterThan(150);
  });
});

describe('delayAfterLoss', () => {
  it('is drawn from [0, delayMs × jitter]: prompt, never later than the first ordinary retry', () => {
    expect(delayAfterLoss(opts, () => 0)).toBe(0);
    expect(delayAfterLoss(opts, () => 1)).toBe(500);
    expect(delayAfterLoss({ ...opts, jitter: 0 }, () => 0.7)).toBe(0);
    const random = seeded(7);
    for (let i = 0; i < 1000; i++) expect(delayAfterLoss(opts, random)).toBeLessThanOrEqual(delayFor(1, opts, () => 0) * opts.jitter);
  });

  it('spreads 2000 clients that lost one server over the whole window: no 50 ms slot gets more than twice its share', () => {
    const random = seeded(42);
    const slots = new Array(10).fill(0);
    for (let i = 0; i < 2000; i++) slots[Math.min(9, Math.floor(delayAfterLoss(opts, random) / 50))]++;
    expect(Math.max(...slots)).toBeLessThanOrEqual(400);
    expect(Math.min(...slots)).toBeGreaterThan(100);
  });
});
