/**
 * One id order on both sides of the wire: the server's `compareIds`/`isEventId` are the
 * protocol's (`@lifeline/core/protocol`), the same functions the client deduplicates with.
 */
import * as protocol from '@lifeline/core/protocol';
import { describe, expect, it } from 'vitest';
import { compareIds, isEventId } from '../src/index';

describe('ids', () => {
  it('are the protocol’s functions, not a second implementation', () => {
    expect(compareIds).toBe(protocol.compareIds);
    expect(isEventId).toBe(protocol.isEventId);
  });

  it('order totally and never throw, also for an id the server would refuse (the client’s order)', () => {
    expect(compareIds('9', '10')).toBeLessThan(0);
    expect(compareIds('5', '5-0')).toBe(0);
    expect(compareIds('1700000000000-3', '1700000000000-12')).toBeLessThan(0);
    // A malformed id (a custom store's, a bad cursor) sorts before every well-formed one.
    expect(compareIds('abc', '1')).toBeLessThan(0);
    expect(compareIds('1', 'abc')).toBeGreaterThan(0);
    expect(compareIds('5-', '5-')).toBe(0);
    expect(isEventId('1-2-3')).toBe(false); // the server writes one or two parts
  });
});
