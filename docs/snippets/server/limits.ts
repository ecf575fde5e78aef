// docs/snippets/server/limits.ts — bounds on what one connection may ask for.
import type { Server } from 'socket.io';
import { createLifeline } from '@lifeline/server';

export function attach(io: Server) {
  return createLifeline(io.of('/support'), {
    // Channels one socket may be joined to at once (and one HTTP poll may name); one more is refused LIMIT.
    maxChannels: 500,
    // A POST /emit body still incomplete after 5 s is answered 408 and its connection closed.
    bodyTimeoutMs: 5_000,
    // An allow-list: a channel is also the Socket.IO room of that name.
    authorize: (_user, channel) => channel.startsWith('ticket:') || channel === 'announcements',
  });
}
