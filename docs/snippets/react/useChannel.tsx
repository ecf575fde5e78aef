// docs/snippets/react/useChannel.tsx — join a room while mounted; one join however many use it.
import { useEffect, useState } from 'react';
import { useChannel } from '@lifeline/react';
import { client } from './client';

export function TicketRoom({ id }: { id: string }) {
  const room = useChannel(`ticket:${id}`, client); // null until joined in an effect
  const [last, setLast] = useState<string | null>(null);
  useEffect(() => room?.on('comment:added', (c) => setLast(c.text)), [room]);
  return <p>{room ? `In ${room.name}; last comment: ${last ?? '—'}` : 'Joining…'}</p>;
}
