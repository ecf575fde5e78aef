import { afterEach, describe, expect, it, vi } from 'vitest';
import * as v from 'valibot';
import { z } from 'zod';
import { LifelineError } from '../errors';
import { Deliverer } from '../events';
import type { StandardSchemaV1 } from '../standardSchema';

const meta = { transport: 'websocket' } as const;

/** A Standard Schema whose validation resolves after `ms`. */
function slowNumber(ms: number): StandardSchemaV1<unknown, number> {
  return {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: (value) => new Promise((resolve) => setTimeout(() => resolve(typeof value === 'number' ? { value } : { issues: [{ message: 'not a number' }] }), ms)),
    },
  };
}

describe('Deliverer', () => {
  afterEach(() => vi.useRealTimers());

  it('validates with zod and valibot; invalid payloads become VALIDATION errors with issues', () => {
    const got: unknown[] = [];
    const errors: LifelineError[] = [];
    const d = new Deliverer({ a: z.object({ n: z.number() }), b: v.string() }, (_e, p) => got.push(p), (e) => errors.push(e));
    d.push('a', { n: 1 }, meta);
    d.push('a', { n: 'x' }, meta);
    d.push('b', 5, meta);
    d.push('free', { any: true }, meta);
    expect(got).toEqual([{ n: 1 }, { any: true }]);
    expect(errors.map((e) => [e.code, e.details.event])).toEqual([['VALIDATION', 'a'], ['VALIDATION', 'b']]);
    expect(errors[0]!.details.issues?.length).toBeGreaterThan(0);
  });

  it('keeps arrival order even when an async schema is slower than the events behind it', async () => {
    vi.useFakeTimers();
    const order: string[] = [];
    const d = new Deliverer({ slow: slowNumber(30) }, (e, p) => order.push(`${e}:${String(p)}`), (e) => order.push(`error:${e.details.event}`));
    d.push('slow', 1, meta);
    d.push('fast', 2, meta);
    d.push('slow', 'bad', meta);
    d.push('fast', 3, meta);
    await vi.advanceTimersByTimeAsync(100);
    expect(order).toEqual(['slow:1', 'fast:2', 'error:slow', 'fast:3']);
  });

  it('a schema that throws is a validation error, not a crash', () => {
    const errors: LifelineError[] = [];
    const throwing: StandardSchemaV1 = { '~standard': { version: 1, vendor: 't', validate: () => { throw new Error('boom'); } } };
    const d = new Deliverer({ x: throwing }, () => {}, (e) => errors.push(e));
    d.push('x', 1, meta);
    expect(errors[0]!.code).toBe('VALIDATION');
  });
});
