/**
 * Pure parts of the Lifeline HTTP protocol client (PROTOCOL.md): URLs, headers, cursor choice
 * and the classification of every answer. No I/O here, so all of it is table-testable.
 */
import { HTTP } from '../protocol/http';
import { compareIds } from '../protocol/ids';
import { LifelineError } from '../errors';
import type { IncomingEvent } from './types';

/** The earliest of the defined cursors (undefined when none). */
export function earliest(cursors: ReadonlyArray<string | undefined>): string | undefined {
  let min: string | undefined;
  for (const c of cursors) if (c !== undefined && (min === undefined || compareIds(c, min) < 0)) min = c;
  return min;
}

/** `GET {base}/poll?channels=a,b&cursor=c&wait=s`. Never carries credentials. */
export function pollUrl(base: string, channels: readonly string[], cursor: string | undefined, wait: number, sid?: string): string {
  const { params: p } = HTTP;
  const q = [`${p.channels}=${channels.map(encodeURIComponent).join(',')}`];
  if (cursor !== undefined) q.push(`${p.cursor}=${encodeURIComponent(cursor)}`);
  q.push(`${p.wait}=${wait}`);
  if (sid !== undefined) q.push(`${p.sid}=${sid}`); // the poller, for presence (docs/protocol.md)
  return `${base.replace(/\/+$/, '')}${HTTP.poll}?${q.join('&')}`;
}

export function emitUrl(base: string): string {
  return `${base.replace(/\/+$/, '')}${HTTP.emit}`;
}

/** `Authorization: Bearer <token>` when auth has a string token, and the whole auth as base64url JSON. */
export function authHeaders(auth: Readonly<Record<string, unknown>>): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof auth.token === 'string' && auth.token !== '') headers.authorization = `Bearer ${auth.token}`;
  if (Object.keys(auth).length > 0) headers[HTTP.authHeader] = base64url(JSON.stringify(auth));
  return headers;
}

function base64url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `Retry-After` (seconds or HTTP date) in ms, within [0, maxMs]; `fallbackMs` when absent/unreadable. */
export function retryAfterMs(value: string | null, fallbackMs: number, maxMs = 60_000, now = Date.now()): number {
  if (value === null || value.trim() === '') return fallbackMs;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(maxMs, Math.max(0, ms)) : fallbackMs;
}

/** What one HTTP answer means to the transport. */
export type HttpAnswer =
  | { readonly kind: 'ok'; readonly body: Record<string, unknown> }
  | { readonly kind: 'unauthorized'; readonly error: LifelineError }
  | { readonly kind: 'forbidden'; readonly channel: string | undefined; readonly error: LifelineError }
  | { readonly kind: 'expired'; readonly cursor: string | undefined; readonly message: string }
  /** 400 naming what the server will not hold: `LIMIT` (one channel too many; `max`) or a refused channel name. */
  | { readonly kind: 'refused'; readonly code: 'LIMIT' | 'BAD_REQUEST'; readonly channel: string | undefined; readonly max: number; readonly error: LifelineError }
  | { readonly kind: 'retry-after'; readonly ms: number }
  | { readonly kind: 'handler-error'; readonly body: Record<string, unknown> }
  | { readonly kind: 'bad-input'; readonly error: LifelineError }
  | { readonly kind: 'unreachable'; readonly error: LifelineError }
  | { readonly kind: 'protocol'; readonly error: LifelineError };

/** Classifies a response by status and body (`text` is the raw body). */
export function classifyAnswer(status: number, contentType: string | null, text: string, retryAfter: string | null, url: string): HttpAnswer {
  const details = { url, status, transport: 'http' as const };
  if (status === 429) return { kind: 'retry-after', ms: retryAfterMs(retryAfter, 1000) };
  let body: unknown;
  try {
    body = /json/i.test(contentType ?? '') ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    // A gateway error page (502/503/504 from nginx, a PaaS router…) says the backend is down or
    // restarting, not that the endpoint speaks another protocol: retry it like any outage, never
    // count it as the server refusing (which stops the client after `reconnect.attempts`).
    const gateway = status === 502 || status === 503 || status === 504;
    if (gateway || (status > 500 && text === '')) {
      return { kind: 'unreachable', error: new LifelineError('UNREACHABLE', `HTTP ${status} from ${url}${gateway && text ? ' (a gateway error page: the backend is down or restarting)' : ''}.`, text ? { ...details, bodySnippet: text.slice(0, 200) } : details) };
    }
    return {
      kind: 'protocol',
      error: new LifelineError('PROTOCOL', `Expected JSON from ${url}, got HTTP ${status} ${contentType ?? 'without a content type'}.`, { ...details, bodySnippet: text.slice(0, 200) }),
    };
  }
  const json = body as Record<string, unknown>;
  const serverMessage = typeof json.message === 'string' ? json.message : undefined;
  const withMessage = serverMessage === undefined ? details : { ...details, serverMessage };
  if (status >= 200 && status < 300) return { kind: 'ok', body: json };
  if (status === 401) return { kind: 'unauthorized', error: new LifelineError('UNAUTHORIZED', serverMessage ?? 'unauthorized', withMessage) };
  if (status === 403) {
    const channel = typeof json.channel === 'string' ? json.channel : undefined;
    const error = new LifelineError('FORBIDDEN', serverMessage ?? `Forbidden${channel ? `: channel "${channel}"` : ''}.`, { ...withMessage, ...(channel ? { channel } : {}) });
    return { kind: 'forbidden', channel, error };
  }
  if (status === 410) return { kind: 'expired', cursor: typeof json.cursor === 'string' ? json.cursor : undefined, message: serverMessage ?? 'cursor expired' };
  if (status === 500 && json.error === 'HANDLER_ERROR') return { kind: 'handler-error', body: json };
  // 408: the server gave up waiting for our request (a stalled upload): retried like an outage.
  if (status >= 500 || status === 408) return { kind: 'unreachable', error: new LifelineError('UNREACHABLE', serverMessage ?? `HTTP ${status} from ${url}`, withMessage) };
  if (status === 400 && (json.error === 'LIMIT' || (json.error === 'BAD_REQUEST' && typeof json.channel === 'string'))) {
    const error = new LifelineError('BAD_INPUT', serverMessage ?? `HTTP ${status} from ${url}`, withMessage);
    return { kind: 'refused', code: json.error === 'LIMIT' ? 'LIMIT' : 'BAD_REQUEST', channel: json.channel as string | undefined, max: Number(json.max) || 0, error };
  }
  if (status === 400 || status === 404 || status === 413) {
    return { kind: 'bad-input', error: new LifelineError(status === 404 && json.error !== 'UNKNOWN_EVENT' ? 'PROTOCOL' : 'BAD_INPUT', serverMessage ?? `HTTP ${status} from ${url}`, withMessage) };
  }
  return { kind: 'protocol', error: new LifelineError('PROTOCOL', serverMessage ?? `Unexpected HTTP ${status} from ${url}`, withMessage) };
}

/** Validates a 200 poll body: `{ events: [{ id, channel, event, data }], cursor }`. */
export function parsePollBody(body: Record<string, unknown>): { events: IncomingEvent[]; cursor: string | undefined } | undefined {
  const { events, cursor } = body;
  if (!Array.isArray(events) || (cursor !== undefined && typeof cursor !== 'string')) return undefined;
  const out: IncomingEvent[] = [];
  for (const e of events as unknown[]) {
    if (typeof e !== 'object' || e === null) return undefined;
    const { id, channel, event, data } = e as Record<string, unknown>;
    if (typeof event !== 'string' || (id !== undefined && typeof id !== 'string') || (channel !== undefined && typeof channel !== 'string')) return undefined;
    out.push({ event, data, ...(id === undefined ? {} : { id }), ...(channel === undefined ? {} : { channel }) });
  }
  return { events: out, cursor };
}
