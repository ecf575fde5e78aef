/**
 * The `http.poll` / `http.send` adapter path (docs/rest-adapter.md): runs the app's functions for
 * an existing REST endpoint and maps what they return or throw onto the answers the Lifeline HTTP
 * protocol produces, so the transport handles both alike.
 *
 * - Results are checked field by field: a wrong one is a `PROTOCOL` error naming it.
 * - Failures are classified by HTTP status, never by error class: anything thrown that carries a
 *   `status` (a `Response`, `{ status }`, `{ statusCode }`, axios/ky's `response.status`).
 */
import { LifelineError, isLifelineError, messageOf } from '../errors';
import type { Exchange } from './httpRequest';
import type { IncomingEvent, PollAdapter, PollCursor, PollRequest } from './types';

/** A checked adapter result. */
export type AdapterAnswer = Exclude<Exchange, { kind: 'ok' }> | { readonly kind: 'polled'; readonly events: IncomingEvent[]; readonly cursor: PollCursor | undefined };

/** How many delivered adapter ids are remembered for dedupe. */
export const SEEN_LIMIT = 2000;

function wrong(field: string, expected: string, got: unknown): AdapterAnswer {
  return {
    kind: 'protocol',
    error: new LifelineError('PROTOCOL', `The http.poll adapter returned \`${field}\` as ${got === null ? 'null' : typeof got}; it must be ${expected}.`, { transport: 'http', field }, {
      hint: `Fix \`${field}\` in what http.poll resolves with: { events: [{ event, data, id?, channel? }], cursor? } (docs/rest-adapter.md).`,
    }),
  };
}

/** The HTTP status carried by whatever an adapter threw, if any. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { status?: unknown; statusCode?: unknown; response?: { status?: unknown } | null };
  const status = e.status ?? e.statusCode ?? (typeof e.response === 'object' ? e.response?.status : undefined);
  return typeof status === 'number' ? status : undefined;
}

/** Maps a thrown value to an answer: LifelineError codes as they are, else by HTTP status. */
export function adapterFailure(error: unknown, what: string): Exclude<Exchange, { kind: 'ok' | 'aborted' }> {
  if (isLifelineError(error)) {
    if (error.code === 'UNAUTHORIZED') return { kind: 'unauthorized', error };
    if (error.code === 'FORBIDDEN') return { kind: 'forbidden', channel: typeof error.details.channel === 'string' ? error.details.channel : undefined, error };
    if (error.code === 'CURSOR_EXPIRED') return { kind: 'expired', cursor: undefined, message: error.message };
    if (error.code === 'PROTOCOL') return { kind: 'protocol', error };
    if (error.code === 'TIMEOUT') return { kind: 'timeout', error };
  }
  const status = statusOf(error);
  const serverMessage = messageOf(error);
  const err = (code: 'UNAUTHORIZED' | 'FORBIDDEN' | 'UNREACHABLE') => new LifelineError(code, `The ${what} adapter failed${status ? ` (HTTP ${status})` : ''}: ${serverMessage}`, { transport: 'http', serverMessage, status }, { cause: error });
  if (status === 401) return { kind: 'unauthorized', error: err('UNAUTHORIZED') };
  if (status === 403) return { kind: 'forbidden', channel: undefined, error: err('FORBIDDEN') };
  if (status === 410) return { kind: 'expired', cursor: undefined, message: serverMessage };
  return { kind: 'unreachable', error: err('UNREACHABLE') };
}

/** Runs a user `poll` adapter and checks its result. */
export async function adapterExchange(adapter: PollAdapter, request: PollRequest): Promise<AdapterAnswer> {
  let result: unknown;
  try {
    result = await adapter(request);
  } catch (error) {
    return request.signal.aborted ? { kind: 'aborted' } : adapterFailure(error, 'http.poll');
  }
  const STRING_OR_NUMBER = 'a string, a number or left out';
  if (typeof result !== 'object' || result === null) return wrong('(result)', 'an object', result);
  const { events, cursor } = result as { events?: unknown; cursor?: unknown };
  if (!Array.isArray(events)) return wrong('events', 'an array', events);
  if (cursor != null && typeof cursor !== 'string' && typeof cursor !== 'number') return wrong('cursor', STRING_OR_NUMBER, cursor);
  const out: IncomingEvent[] = [];
  for (let i = 0; i < events.length; i++) {
    const e: unknown = events[i];
    if (typeof e !== 'object' || e === null) return wrong(`events[${i}]`, 'an object', e);
    const { event, data, id, channel } = e as Record<string, unknown>;
    if (typeof event !== 'string' || event === '') return wrong(`events[${i}].event`, 'the event name', event);
    if (id != null && typeof id !== 'string' && typeof id !== 'number') return wrong(`events[${i}].id`, STRING_OR_NUMBER, id);
    if (channel != null && typeof channel !== 'string') return wrong(`events[${i}].channel`, 'a string or left out', channel);
    out.push({ event, data, ...(id == null ? {} : { id: String(id) }), ...(channel == null ? {} : { channel }) });
  }
  return { kind: 'polled', events: out, cursor: cursor ?? undefined };
}

/** True when `id` was delivered before; remembers it otherwise (the oldest is forgotten past `SEEN_LIMIT`). */
export function seenBefore(seen: Set<string>, id: string): boolean {
  if (seen.has(id)) return true;
  seen.add(id);
  if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string);
  return false;
}

/** A client-generated idempotency id for `POST /emit`. */
export function randomId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID ? c.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}
