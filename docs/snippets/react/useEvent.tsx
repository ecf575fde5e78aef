// docs/snippets/react/useEvent.tsx — typed handlers; an inline arrow does not re-subscribe.
import { useState } from 'react';
import { useEvent } from '@lifeline/react';
import { client } from './client';

export function TicketStatus({ id }: { id: string }) {
  const [status, setStatus] = useState<'open' | 'closed' | 'unknown'>('unknown');
  // With `Register` augmented (see above) the trailing `client` can be left out.
  useEvent('ticket:updated', (ticket) => {
    if (ticket.id === id) setStatus(ticket.status); // ticket: { id: string; status: 'open' | 'closed' }
  }, client);
  useEvent('error', (err) => console.warn(`[${err.code}] ${err.hint}`), client);
  return <b>{status}</b>;
}
