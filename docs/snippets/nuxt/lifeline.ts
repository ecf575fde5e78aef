// docs/snippets/nuxt/lifeline.ts — utils/lifeline.ts: the client factory, and its type.
import { createClient } from '@lifeline/core';
import { z } from 'zod';

/** Everything the app's client needs from Nuxt's runtime config. */
export interface LifelineConfig {
  /** `runtimeConfig.public.apiUrl`: the API origin, or '' for the page's own origin. */
  readonly apiUrl: string;
}

export function createAppClient(config: LifelineConfig) {
  return createClient({
    ...(config.apiUrl ? { url: config.apiUrl, withCredentials: true } : {}), // cross-origin: cookies
    namespace: '/notifications',
    events: { 'notification:created': z.object({ id: z.string(), text: z.string() }) },
    autoConnect: false, // the plugin connects, in the browser only
  });
}

/** The client type, from the factory: no annotations to keep in sync. */
export type AppClient = ReturnType<typeof createAppClient>;
