import type { TransportName } from '@lifeline/core';
import { createLifeline } from '@lifeline/vue';
import { z } from 'zod';

const params = new URLSearchParams(location.search);
const transports = (params.get('transports')?.split(',') ?? ['websocket', 'polling', 'http']) as TransportName[];

/** The ticket as the desk (examples/server) publishes it. */
export const Ticket = z.object({ id: z.string(), title: z.string(), status: z.enum(['open', 'pending', 'closed']) });
export type Ticket = z.infer<typeof Ticket>;

/**
 * The plugin owns the client: created here, connected on `app.use()`, closed on `app.unmount()`.
 * The page's origin serves Socket.IO and the companion's /lifeline endpoint.
 */
export const lifeline = createLifeline({
  url: location.origin,
  namespace: '/notifications',
  auth: async () => ({ token: params.get('token') ?? 'demo-token' }),
  events: { 'ticket:updated': Ticket },
  transports,
  http: { url: `${location.origin}/lifeline` },
  upgradeIntervalMs: Number(params.get('upgradeIntervalMs') ?? 30_000),
});

declare module '@lifeline/vue' {
  interface Register {
    client: typeof lifeline.client;
  }
}
