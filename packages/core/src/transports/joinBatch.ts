/**
 * `batchedChannelProtocol`: every join of one tick in one request, for servers that take
 * `subscribe { channels: [...] }`. The client asks a transport to join every channel at once on
 * connect, reconnect and transport switch (one `join` per channel, in the same tick); this turns
 * them into one `joinMany`. Tree-shakeable: only apps that use it pay for it.
 */
import { messageOf } from '../errors';
import type { ChannelEmit, ChannelJoinRequest, ChannelProtocol, JoinResult } from './types';

/** A channel protocol that joins several channels per request (see `batchedChannelProtocol`). */
export interface BatchedChannelProtocol extends Omit<ChannelProtocol, 'join'> {
  /** Join every channel of `joins` in one request; resolve with one result per join, in order. */
  joinMany(emit: ChannelEmit, joins: readonly ChannelJoinRequest[]): Promise<readonly JoinResult[]>;
}

type Pending = Array<{ readonly join: ChannelJoinRequest; readonly resolve: (r: JoinResult) => void }>;

/**
 * Makes a `ChannelProtocol` whose joins of one tick (per connection) go out as one `joinMany`.
 * A `joinMany` that throws, or answers fewer results than joins, fails those joins with
 * `PROTOCOL` (reported, and joined again on the next reconnect).
 *
 * @example
 * ```ts
 * const channels = batchedChannelProtocol({
 *   async joinMany(emit, joins) {
 *     const reply = (await emit('subscribe', { channels: joins.map((j) => j.channel) }, 5000)) as { success?: boolean };
 *     return joins.map(() => (reply.success ? { ok: true } : { ok: false, code: 'FORBIDDEN' }));
 *   },
 *   leave: async (emit, channel) => void (await emit('unsubscribe', { channels: [channel] }, 5000)),
 *   channelOf: (event, [data]) => (event === 'notification' ? `user:${(data as { userId: string }).userId}` : undefined),
 * });
 * createClient({ url: 'https://api.example.com', channels });
 * ```
 */
export function batchedChannelProtocol(spec: BatchedChannelProtocol): ChannelProtocol {
  const batches = new WeakMap<ChannelEmit, Pending>();
  const flush = async (emit: ChannelEmit): Promise<void> => {
    const items = batches.get(emit) ?? [];
    batches.delete(emit);
    let results: readonly JoinResult[] | undefined;
    let message: string | undefined;
    try {
      results = await spec.joinMany(emit, items.map((i) => i.join));
    } catch (e) {
      message = messageOf(e);
    }
    items.forEach((item, n) => {
      const r = results?.[n];
      item.resolve(r && typeof r === 'object' ? r : { ok: false, code: 'PROTOCOL', message: message ?? `joinMany answered ${Array.isArray(results) ? results.length : 'no'} results for ${items.length} channels` });
    });
  };
  return {
    ...spec,
    join: (emit, channel, cursor, params) =>
      new Promise((resolve) => {
        let batch = batches.get(emit);
        if (!batch) {
          batches.set(emit, (batch = []));
          queueMicrotask(() => void flush(emit));
        }
        batch.push({ join: { channel, cursor, params }, resolve });
      }),
  };
}
