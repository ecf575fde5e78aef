// docs/snippets/server/presence.ts — presence on ticket channels, members from the authenticated user.
import { Server } from 'socket.io';
import { createLifeline } from '@lifeline/server';

interface Agent {
  id: string;
  name: string;
  avatar: string;
}
declare function agentByToken(token: unknown): Promise<Agent | null>;

const io = new Server(3000);
export const lifeline = createLifeline<Agent>(io.of('/support'), {
  authenticate: ({ token }) => agentByToken(token),
  authorize: (agent, channel) => channel.startsWith('ticket:'), // presence is visible to exactly these users
  presence: (channel) => channel.startsWith('ticket:'),
  presenceOf: (agent) => ({ id: agent.id, data: { name: agent.name, avatar: agent.avatar } }),
  presenceGraceMs: 5000, // a reconnect or rung switch within 5 s is neither a leave nor a join
});
