// docs/snippets/server/cookieSession.ts — a cookie-session app: the session cookie authenticates, no token route.
import type { Server } from 'socket.io';
import { createLifeline } from '@lifeline/server';

declare const sessions: { byId(id: string): Promise<{ id: string; name: string } | null> };

export function attach(io: Server) {
  return createLifeline(io.of('/'), {
    // `auth` is what the client sent (a token, if any); the context is the request that carried it:
    // the handshake's on websocket and polling, the poll's or emit's on HTTP.
    authenticate: async (auth, { cookies, headers }) => {
      if (cookies.sid) return sessions.byId(cookies.sid);
      return typeof auth.token === 'string' && headers['x-app'] === 'mobile' ? sessions.byId(auth.token) : null;
    },
  });
}
