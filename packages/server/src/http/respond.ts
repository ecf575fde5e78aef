import type { ServerResponse } from 'node:http';
import { LifelineServerError } from '../errors';

/** Writes a JSON response (never cached). Does nothing when the client is gone. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/**
 * Answers a HEAD request that passed every check with the headers a GET would get, but no body
 * and no `Content-Length` (RFC 9110 §9.3.2: a field known only once the content is made may be
 * left out).
 */
export function sendHeadOk(res: ServerResponse): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end();
}

/** Writes a refused request as `{ error: code, message, ...details }` with its status. */
export function sendError(res: ServerResponse, error: LifelineServerError, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, { error: error.code, message: error.message, ...error.details }, headers);
}

/** Any thrown value as a response: known refusals keep their status, the rest become 500. */
export function sendFailure(res: ServerResponse, error: unknown): void {
  if (error instanceof LifelineServerError) sendError(res, error);
  else sendJson(res, 500, { error: 'INTERNAL', message: 'The Lifeline endpoint failed; see the server log.' });
}
