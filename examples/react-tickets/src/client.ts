import { createClient, type TransportName } from '@lifeline/core';
import { z } from 'zod';

const params = new URLSearchParams(location.search);
const transports = (params.get('transports')?.split(',') ?? ['websocket', 'polling', 'http']) as TransportName[];

/** One client for the app; the page's origin serves Socket.IO and the companion's /lifeline endpoint. */
export const client = createClient({
  url: location.origin,
  namespace: '/notifications',
  auth: async () => ({ token: params.get('token') ?? 'demo-token' }),
  events: {
    'ticket:updated': z.object({ id: z.string(), title: z.string(), status: z.enum(['open', 'pending', 'closed']) }),
    'comment:added': z.object({ ticketId: z.string(), author: z.string(), text: z.string() }),
    typing: z.object({ ticketId: z.string(), author: z.string() }),
  },
  transports,
  http: { url: `${location.origin}/lifeline` },
  upgradeIntervalMs: Number(params.get('upgradeIntervalMs') ?? 30_000),
  autoConnect: false, // the provider connects in an effect
  // All tabs of this app share ONE connection: one tab leads and relays, another takes over when it
  // closes, crashes or is frozen, nothing is lost. The key keeps users apart: here the demo token
  // names the user (a real app puts its user id here). See docs/concepts.md, "One connection for
  // all tabs". `?share=0` gives each tab a connection of its own.
  share: params.get('share') === '0' ? false : { key: params.get('token') ?? 'demo-token' },
});

declare module '@lifeline/react' {
  interface Register {
    client: typeof client;
  }
}
