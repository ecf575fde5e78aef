import { describe, expect, it } from 'vitest';
import { unsendable } from '../payload';

describe('unsendable', () => {
  it('passes JSON data, shared (non-cyclic) references, binary and objects with toJSON', () => {
    const shared = { id: 1 };
    expect(unsendable(undefined)).toBeNull();
    expect(unsendable({ a: [1, 'x', null, true, { b: shared }], c: shared })).toBeNull();
    expect(unsendable({ file: new Uint8Array([1, 2]), buf: new ArrayBuffer(4), blob: new Blob(['x']) })).toBeNull();
    expect(unsendable({ at: new Date(0), n: { toJSON: () => '10' } })).toBeNull();
    expect(unsendable({ dropped: () => 1 })).toBeNull(); // JSON drops nested functions, as Socket.IO does
  });

  it('names where a BigInt sits', () => {
    expect(unsendable(1n)).toBe('data is a BigInt');
    expect(unsendable({ items: [{ n: 1 }, { n: 2n }] })).toBe('data.items[1].n is a BigInt');
  });

  it('names where a cycle closes', () => {
    const node: Record<string, unknown> = { name: 'a', children: [] };
    (node.children as unknown[]).push({ parent: node });
    expect(unsendable(node)).toBe('data.children[0].parent refers back to itself (a cycle)');
    const list: unknown[] = [];
    list.push(list);
    expect(unsendable(list)).toBe('data[0] refers back to itself (a cycle)');
  });

  it('refuses a function as the payload itself (Socket.IO would take it for an ack callback)', () => {
    expect(unsendable(() => 1)).toBe('data is a function');
  });
});
