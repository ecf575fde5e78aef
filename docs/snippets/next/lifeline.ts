// docs/snippets/next/lifeline.ts — app/lifeline.ts: one client for the app, at module scope.
'use client';
import { createClient } from '@lifeline/core';
import { z } from 'zod';

export const client = createClient({
  // Same origin (the API behind the Next server or a rewrite): no url. Another origin: an
  // absolute one, e.g. process.env.NEXT_PUBLIC_API_URL, with withCredentials for its cookies.
  namespace: '/notifications',
  events: { 'notification:created': z.object({ id: z.string(), text: z.string() }) },
  // Module scope runs during server rendering too: with `autoConnect: false` only
  // <LifelineProvider> connects, in an effect (the browser). Without `url` the client could not
  // connect on the server anyway (no `location`), and it touches no browser global there.
  autoConnect: false,
});
