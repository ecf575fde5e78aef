// docs/snippets/react/usePresence.tsx — who else is viewing this ticket; typing signals are volatile.
import { useChannel, usePresence, useRealtime } from '@lifeline/react';
import { client } from './client';

export function TicketViewers({ id, me }: { id: string; me: string }) {
  const room = useChannel(`ticket:${id}`, client); // null until joined
  const others = usePresence(room).filter((m) => m.id !== me); // [] while joining, during SSR and hydration
  const { emit } = useRealtime(client);
  return (
    <div>
      <p>{others.length ? `Also viewing: ${others.map((m) => m.id).join(', ')}` : 'Only you'}</p>
      {/* Sent now or never: a typing signal is never queued and replayed after a reconnect. */}
      <textarea onKeyDown={() => emit('typing', { ticket: id }, { volatile: true })} />
    </div>
  );
}
