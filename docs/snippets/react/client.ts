// docs/snippets/react/client.ts — one typed client for the app.
import { createClient } from '@lifeline/core';
import { z } from 'zod';

export const client = createClient({
  url: 'https://api.example.com',
  namespace: '/notifications',
  events: {
    'ticket:updated': z.object({ id: z.string(), status: z.enum(['open', 'closed']) }),
    'comment:added': z.object({ author: z.string(), text: z.string() }),
    'price:tick': z.object({ symbol: z.string(), price: z.number() }),
  },
  autoConnect: false, // <LifelineProvider> connects in an effect
});
