/**
 * The `http.poll` adapter path: runs a user poll function and maps its result or error onto the
 * same answers the Lifeline HTTP protocol produces, so the transport handles both alike.
 */
import { LifelineError, isLifelineError, messageOf } from '../errors';
import type { Exchange } from './httpRequest';
import type { TransportContext } from './types';

/** Runs a user `poll` adapter and maps its result or error onto an HTTP-like answer. */
export async function adapterExchange(
  adapter: NonNullable<NonNullable<TransportContext['http']>['poll']>,
  cursor: string | undefined,
  channels: string[],
  signal: AbortSignal,
  query: TransportContext['query'],
): Promise<Exchange> {
  try {
    const result = await adapter({ cursor, channels, signal, query: query ?? {} });
    if (typeof result !== 'object' || result === null) {
      return { kind: 'protocol', error: new LifelineError('PROTOCOL', 'The http.poll adapter must resolve with { events, cursor }.', { transport: 'http' }) };
    }
    return { kind: 'ok', body: { events: result.events, cursor: result.cursor } };
  } catch (error) {
    if (signal.aborted) return { kind: 'aborted' };
    if (isLifelineError(error)) {
      if (error.code === 'UNAUTHORIZED') return { kind: 'unauthorized', error };
      if (error.code === 'FORBIDDEN') return { kind: 'forbidden', channel: typeof error.details.channel === 'string' ? error.details.channel : undefined, error };
      if (error.code === 'CURSOR_EXPIRED') return { kind: 'expired', cursor: undefined, message: error.message };
      if (error.code === 'PROTOCOL') return { kind: 'protocol', error };
      if (error.code === 'TIMEOUT') return { kind: 'timeout', error };
    }
    return { kind: 'unreachable', error: new LifelineError('UNREACHABLE', `The http.poll adapter failed: ${messageOf(error)}`, { transport: 'http' }, { cause: error }) };
  }
}

/** A client-generated idempotency id for `POST /emit`. */
export function randomId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID ? c.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}
