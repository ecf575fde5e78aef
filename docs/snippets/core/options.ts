// docs/snippets/core/options.ts — url, query and withCredentials.
import { createClient } from '@lifeline/core';

// Same origin as the page: leave `url` out (or pass '/'), as io() allows. During server
// rendering (no `location`) this client never connects: create it at module scope safely.
export const client = createClient({ namespace: '/notifications' });

// API on another origin with a cookie session: the server's Socket.IO `cors` must allow this
// origin with `credentials: true`.
export const crossOrigin = createClient({
  url: 'https://api.example.com',
  withCredentials: true, // cookies on websocket/polling handshakes and on the http rung's requests
  query: { userId: 'u-1' }, // on every handshake: never a token (URLs end up in logs)
  auth: async () => ({ token: await fetch('/token').then((r) => r.text()) }), // credentials go here
});
