// docs/snippets/core/presence.ts — who is viewing ticket 42, kept current.
import { createClient, type PresenceMember } from '@lifeline/core';

const client = createClient({ url: 'https://api.example.com', namespace: '/support' });
const ticket = client.channel('ticket:42');

const render = (members: readonly PresenceMember[]) => console.log(members.map((m) => `${m.id} (${m.connections} tabs)`).join(', '));
render(ticket.presence.get()); // [] until the server's first answer
const off = ticket.presence.subscribe(render); // the same frozen array until something changes
ticket.presence.on('join', (m) => console.log(`${m.id} joined`));
ticket.presence.on('leave', (m) => console.log(`${m.id} left`)); // not on a reconnect within the grace period

export function stop(): void {
  off();
  ticket.leave(); // also releases the presence listeners of this handle
}
