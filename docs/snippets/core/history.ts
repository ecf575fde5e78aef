// docs/snippets/core/history.ts — a ticket page: context first, then live; older on demand.
import { createClient, type HistoryEvent } from '@lifeline/core';
import { z } from 'zod';

const events = { 'comment:added': z.object({ author: z.string(), text: z.string() }) };
const client = createClient({ url: 'https://api.example.com', namespace: '/support', events });

// The last 20 comments, then every new one: the same handler, nothing lost or doubled.
const ticket = client.channel('ticket:42', { rewind: 20 });
ticket.on('comment:added', (comment, meta) => console.log(meta.id, comment.author, comment.text));

// "Load older": page back from the oldest id shown.
export async function loadOlder(oldestId: string): Promise<ReadonlyArray<HistoryEvent<typeof events>>> {
  return ticket.history({ limit: 20, before: oldestId });
}

// A server-rendered page that showed comments up to id `renderedUpTo` continues from exactly there.
export function hydrate(renderedUpTo: string) {
  return client.channel('ticket:42', { since: renderedUpTo });
}
