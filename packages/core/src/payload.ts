/**
 * What in an emit payload cannot travel: Socket.IO and the `http` rung both send JSON (plus
 * binary), and a BigInt or a cycle makes the encoder throw deep inside socket.io-client, or
 * overflow the stack in its binary scan. Found before the payload is sent or queued, so a bad
 * emit is refused at the call and never poisons the outbox.
 * @internal
 */

const isBinary = (v: object): boolean => ArrayBuffer.isView(v) || v instanceof ArrayBuffer || (typeof Blob !== 'undefined' && v instanceof Blob);

/**
 * Where `data` holds something JSON cannot carry (`data.items[2].n is a BigInt`), or null when it
 * can be sent. Shared (non-cyclic) references are fine; functions nested in objects are dropped by
 * JSON as usual, but a function as the payload itself would be taken for an ack callback.
 * @internal
 */
export function unsendable(data: unknown): string | null {
  const ancestors = new Set<object>();
  const walk = (v: unknown, at: string): string | null => {
    if (typeof v === 'bigint') return `${at} is a BigInt`;
    // toJSON (Date, …) decides for itself what is sent; the encoder's own throw is caught at send.
    if (typeof v !== 'object' || v === null || isBinary(v) || typeof (v as { toJSON?: unknown }).toJSON === 'function') return null;
    if (ancestors.has(v)) return `${at} refers back to itself (a cycle)`;
    ancestors.add(v);
    for (const k of Object.keys(v)) {
      const found = walk((v as Record<string, unknown>)[k], Array.isArray(v) ? `${at}[${k}]` : `${at}.${k}`);
      if (found) return found;
    }
    ancestors.delete(v);
    return null;
  };
  return typeof data === 'function' ? 'data is a function' : walk(data, 'data');
}
