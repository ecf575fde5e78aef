// docs/snippets/react/useChannelEvent.tsx — join + listen in one effect: nothing slips past.
import { useState } from 'react';
import { useChannelEvent } from '@lifeline/react';
import { client } from './client';

export function Comments({ ticketId }: { ticketId: string }) {
  const [comments, setComments] = useState<Array<{ author: string; text: string }>>([]);
  useChannelEvent(`ticket:${ticketId}`, 'comment:added', (c) => setComments((list) => [...list, c]), client);
  return (
    <ul>
      {comments.map((c, i) => (
        <li key={i}>
          <b>{c.author}</b>: {c.text}
        </li>
      ))}
    </ul>
  );
}
