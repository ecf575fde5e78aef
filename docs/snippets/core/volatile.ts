// docs/snippets/core/volatile.ts — a typing indicator: sent now or never.
import { createClient } from '@lifeline/core';

const client = createClient({ url: 'https://api.example.com', namespace: '/support' });

export function onKeystroke(ticket: string): void {
  // Connected: sent at once. Disconnected: dropped — never queued, retried or replayed later.
  client.emit('typing', { ticket }, { volatile: true });
}
