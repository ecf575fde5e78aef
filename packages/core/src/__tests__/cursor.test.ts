import { describe, expect, it } from 'vitest';
import { compareIds, isAfter } from '../cursor';

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
  ])('%s vs %s → %i', (a, b, sign) => {
    expect(Math.sign(compareIds(a, b))).toBe(sign);
  });

  it('isAfter: everything is after no cursor; equal is not after', () => {
    expect(isAfter('1', undefined)).toBe(true);
    expect(isAfter('5', '5')).toBe(false);
    expect(isAfter('6', '5')).toBe(true);
  });
});
