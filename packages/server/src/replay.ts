import type { EventStore, StoredEvent } from './stores/types';

/** Events read per store call. */
export const PAGE = 500;

/**
 * Reads events after `cursor`, keeping those whose channel passes `keep`, until the log's end or
 * `max` kept events. `cursor` in the result is the last id scanned (kept or not), so a reader
 * resumes after events it skipped too.
 */
export async function readFiltered(
  store: Pick<EventStore, 'readAfter'>,
  cursor: string,
  keep: (event: StoredEvent) => boolean,
  max = Number.POSITIVE_INFINITY,
): Promise<{ events: StoredEvent[]; cursor: string }> {
  const events: StoredEvent[] = [];
  let at = cursor;
  for (;;) {
    const page = await store.readAfter(at, PAGE);
    for (const e of page) {
      at = e.id;
      if (keep(e)) {
        events.push(e);
        if (events.length >= max) return { events, cursor: at };
      }
    }
    if (page.length < PAGE) return { events, cursor: at };
  }
}
