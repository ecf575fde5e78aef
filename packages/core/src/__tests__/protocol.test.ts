import { describe, expect, it } from 'vitest';
import { compareIds, isAfter, isWellFormedId } from '../protocol/index';
import { compareWellFormed } from '../protocol/ids';

describe('compareIds', () => {
  it.each([
    ['9', '10', -1],
    ['10', '9', 1],
    ['17', '17', 0],
    ['1700000000000-3', '1700000000000-12', -1],
    ['1700000000001-0', '1700000000000-99', 1],
    ['1700000000000-0', '1700000000000', 0],
    ['007', '7', 0],
    ['99999999999999999999', '99999999999999999998', 1],
    ['1-2-3', '1-2-10', -1],
    ['0', '0-0-0', 0],
    ['1-0-1', '1', 1],
    ['000-5', '0-5', 0],
    ['10-0', '9-99999', 1],
    // Malformed ids sort before every well-formed one, and among themselves as strings.
    ['abc', '0', -1],
    ['1a', '9', -1],
    ['5-', '5', -1],
    ['', 'abc', -1],
    ['0x1f', '0x2', -1],
    ['01ARZ3NDEKTSV4RRFFQ69G5FAV', '01ARZ3NDEKTSV4RRFFQ69G5FAW', -1],
  ])('%s vs %s → %i', (a, b, sign) => {
    expect(Math.sign(compareIds(a, b))).toBe(sign);
    expect(Math.sign(compareIds(b, a))).toBe(-sign || 0);
  });

  it('is a total order over well-formed and malformed ids alike: antisymmetric, transitive, never throws', () => {
    const ids = ['9', '10', '1a', '1-0', '1-2', '007', '', 'abc', '5-', '-5', ' 7', '0x1f', '1.5', '18446744073709551616', 'é', '1700000000000-3'];
    const sign = (a: string, b: string) => Math.sign(compareIds(a, b));
    for (const a of ids) {
      for (const b of ids) {
        expect(sign(a, b), `${a} vs ${b}`).toBe(-sign(b, a) || 0);
        for (const c of ids) {
          if (sign(a, b) <= 0 && sign(b, c) <= 0) expect(sign(a, c), `${a} ≤ ${b} ≤ ${c}`).toBeLessThanOrEqual(0);
        }
      }
    }
    // So sorting gives one order whatever the input order (no two of these ids are equal).
    const sorted = [...ids].sort(compareIds);
    expect([...ids].reverse().sort(compareIds)).toEqual(sorted);
    expect(sorted.map(isWellFormedId)).toEqual([...Array<boolean>(9).fill(false), ...Array<boolean>(7).fill(true)]);
  });

  it('well-formed ids: the same order as comparing their parts as numbers (BigInt), over random ids', () => {
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const id = () => Array.from({ length: 1 + rand(3) }, () => '0'.repeat(rand(2)) + String(rand(3) ? rand(20) : rand(1e9)) + (rand(4) ? '' : '9'.repeat(rand(25)))).join('-');
    const reference = (a: string, b: string) => {
      const pa = a.split('-').map(BigInt);
      const pb = b.split('-').map(BigInt);
      for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const x = pa[i] ?? 0n;
        const y = pb[i] ?? 0n;
        if (x !== y) return x < y ? -1 : 1;
      }
      return 0;
    };
    for (let n = 0; n < 2000; n++) {
      const a = id();
      const b = rand(4) ? id() : a.replace(/^/, '0');
      expect(Math.sign(compareIds(a, b)), `${a} vs ${b}`).toBe(reference(a, b));
    }
  });

  it('isAfter: everything is after no cursor; equal is not after', () => {
    expect(isAfter('1', undefined)).toBe(true);
    expect(isAfter('5', '5')).toBe(false);
    expect(isAfter('6', '5')).toBe(true);
    expect(isAfter('1', 'garbage')).toBe(true);
  });

  it('isWellFormedId: decimal parts joined by "-"', () => {
    expect(['0', '17', '1700000000000-3', '1-2-3', '000'].every(isWellFormedId)).toBe(true);
    expect(['', 'abc', '5-', '-5', ' 7', '0x1f', '1.5', '1e3'].some(isWellFormedId)).toBe(false);
  });
});

describe('compareWellFormed (the per-event comparison, in place)', () => {
  /** The definition, written plainly: split into parts, strip leading zeros, longer is larger, else as text. */
  const reference = (a: string, b: string): number => {
    const pa = a.split('-');
    const pb = b.split('-');
    for (let i = 0; i < pa.length || i < pb.length; i++) {
      const x = (pa[i] ?? '0').replace(/^0+/, '');
      const y = (pb[i] ?? '0').replace(/^0+/, '');
      if (x !== y) return x.length !== y.length ? (x.length < y.length ? -1 : 1) : x < y ? -1 : 1;
    }
    return 0;
  };
  it('agrees with the definition on 20 000 seeded pairs (parts 1-3, digits 1-22, leading zeros, equal prefixes)', () => {
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const part = () => Array.from({ length: 1 + rnd(22) }, () => (rnd(4) === 0 ? '0' : String(rnd(10)))).join('');
    const id = () => Array.from({ length: 1 + rnd(3) }, part).join('-');
    for (let k = 0; k < 20_000; k++) {
      const a = id();
      const b = rnd(3) === 0 ? `${a}${rnd(2) ? '-0' : `-${part()}`}` : rnd(5) === 0 ? a.replace(/^/, '0') : id();
      expect([a, b, Math.sign(compareWellFormed(a, b))]).toEqual([a, b, reference(a, b)]);
      expect(Math.sign(compareWellFormed(b, a))).toBe(-reference(a, b) || 0);
    }
  });
});
