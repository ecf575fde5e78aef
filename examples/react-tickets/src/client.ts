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
});

declare module '@lifeline/react' {
  interface Register {
    client: typeof client;
  }
}
