import { Client, type ClientDeps } from './client';
import { normalizeOptions, type ClientOptions } from './options';
import { lazyShareEngine } from './share/lazy';
import type { EventSchemas, LifelineClient } from './types';

/**
 * Creates a Lifeline client. Bad options throw a `LifelineError` with code `BAD_INPUT` and a
 * hint, synchronously. Connects at once unless `autoConnect: false`.
 *
 * @example
 * ```ts
 * const client = createClient({
 *   url: 'https://api.example.com',
 *   namespace: '/notifications',
 *   auth: async () => ({ token: await getToken() }),
 *   events: { 'ticket:updated': z.object({ id: z.string(), status: z.string() }) },
 * });
 * client.on('ticket:updated', (ticket, meta) => console.log(ticket.status, meta.transport));
 * ```
 */
export function createClient<E extends EventSchemas = EventSchemas>(options: ClientOptions<E>): LifelineClient<E> {
  return createClientWith(options, {});
}

/** @internal */
export function createClientWith<E extends EventSchemas>(options: ClientOptions<E>, deps: ClientDeps): LifelineClient<E> {
  const normalized = normalizeOptions(options as ClientOptions<EventSchemas>);
  const client = new Client<E>(normalized, normalized.share && !deps.engine ? { ...deps, engine: lazyShareEngine(normalized.share) } : deps);
  if (normalized.autoConnect) client.connect();
  return client;
}
