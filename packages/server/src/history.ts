/**
 * A channel's history: its last events from the log, oldest first, for `lifeline:history`,
 * `GET …/history` and joins with `rewind` (docs/protocol.md, "History").
 */
import { LifelineServerError } from './errors';
import { isEventId } from './ids';
import { PAGE } from './replay';
import type { EventStore, StoredEvent } from './stores/types';

/** Most events one history request returns. */
export const MAX_HISTORY = 1000;

/** A history request, validated. */
export interface HistoryQuery {
  readonly channel: string;
  readonly limit: number;
  readonly before?: string | undefined;
}

/** The answer: `cursor` is the log position the events end at (join with it to continue live). */
export interface HistoryPage {
  readonly events: StoredEvent[];
  readonly cursor: string;
}

/** Validates `limit` and `before`; throws a 400 naming the field. */
export function parseHistoryQuery(channel: string, limit: unknown, before: unknown): HistoryQuery {
  const n = typeof limit === 'string' && limit !== '' ? Number(limit) : limit;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > MAX_HISTORY) {
    throw new LifelineServerError('BAD_REQUEST', `limit must be an integer from 1 to ${MAX_HISTORY}; got ${JSON.stringify(limit)}.`, { max: MAX_HISTORY });
  }
  if (before !== undefined && before !== null && before !== '' && !isEventId(before)) {
    throw new LifelineServerError('BAD_REQUEST', `before must be an event id such as "17" or "1700000000000-3"; got ${JSON.stringify(String(before).slice(0, 40))}.`);
  }
  return { channel, limit: n, before: typeof before === 'string' && before !== '' ? before : undefined };
}

/**
 * The channel's last `limit` events before `before` (the end of the log when absent), oldest
 * first. Without `before`, `cursor` is the newest id of the log as of the read: no event of the
 * channel lies between the last one returned and it, so a join from `cursor` continues with
 * nothing lost or doubled. With `before`, `cursor` is `before`.
 */
export async function readHistory(store: EventStore, query: HistoryQuery): Promise<HistoryPage> {
  if (!store.readBefore) {
    throw new LifelineServerError('UNSUPPORTED', 'This event store cannot read backwards (no readBefore): history is unavailable.', { channel: query.channel });
  }
  // Read first: if the log is empty at the backward read, nothing was appended after this id.
  const latest = query.before === undefined ? await store.latest() : query.before;
  const found: StoredEvent[] = [];
  let at = query.before;
  let newest: string | undefined;
  for (;;) {
    const page = await store.readBefore(at, PAGE);
    newest ??= page[0]?.id;
    for (const e of page) {
      at = e.id;
      if (e.channel !== query.channel) continue;
      found.push(e);
      if (found.length >= query.limit) return { events: found.reverse(), cursor: query.before ?? newest ?? latest };
    }
    if (page.length < PAGE) return { events: found.reverse(), cursor: query.before ?? newest ?? latest };
  }
}
