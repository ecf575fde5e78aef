// docs/snippets/react/channelParams.tsx — channel options: the server's filters, re-joined when they change.
import { useState } from 'react';
import { useChannelEvent } from '@lifeline/react';
import { client } from './client';

export function TicketComments({ id, author }: { id: string; author: string }) {
  const [texts, setTexts] = useState<string[]>([]);
  // A fresh `{ params }` object on every render is fine: only new content re-joins.
  useChannelEvent(`ticket:${id}`, 'comment:added', (c) => setTexts((l) => [...l, c.text]), { params: { author } }, client);
  return <p>{texts.join(' · ')}</p>;
}
