/**
 * One plain HTTP request with a deadline, on its own connection (`agent: false`: Node 20's global
 * agent keeps connections alive, which would leave sockets open after the doctor returns).
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { MAX_BODY, SNIPPET } from './constants';
import { settleOnce } from './settle';

export type HttpOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly headers: IncomingHttpHeaders; readonly body: string }
  | { readonly kind: 'error'; readonly code: string; readonly message: string }
  | { readonly kind: 'timeout' };

export interface RequestOptions {
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  /** Do not verify the server's certificate (`--insecure`). */
  readonly insecure?: boolean;
}

/** Sends one request; never rejects. */
export function request(url: string, options: RequestOptions): Promise<HttpOutcome> {
  return settleOnce<HttpOutcome>(options.timeoutMs, { kind: 'timeout' }, (done) => {
    const u = new URL(url);
    const lib = u.protocol === 'https:' ? https : http;
    const req = lib.request(u, { method: options.method ?? 'GET', headers: options.headers, agent: false, ...(options.insecure ? { rejectUnauthorized: false } : {}) }, (res) => {
      readBody(res, (body) => done({ kind: 'response', status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => done({ kind: 'error', code: e.code ?? 'ERROR', message: e.message }));
    req.end(options.body);
    return () => req.destroy();
  });
}

/** Reads a response body as text, at most MAX_BODY bytes (then stops), and hands it to `done`. */
export function readBody(res: http.IncomingMessage, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const finish = () => done(Buffer.concat(chunks).toString('utf8'));
  res.on('data', (c: Buffer) => {
    chunks.push(c);
    size += c.length;
    if (size >= MAX_BODY) finish();
  });
  res.on('end', finish);
  res.on('error', finish);
}

/** The first bytes of a body, on one line, for quoting in a finding. */
export function snippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET ? `${flat.slice(0, SNIPPET)}…` : flat;
}

/** A body parsed as JSON; undefined when it is not JSON. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** True when a body looks like an HTML page (a proxy's error page, an app's index.html). */
export function isHtml(body: string, headers?: IncomingHttpHeaders): boolean {
  return /text\/html/i.test(String(headers?.['content-type'] ?? '')) || /^\s*<(!doctype|html|head|body)/i.test(body);
}

/** One phrase for a connection-level error code. */
export function describeError(code: string, message: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listening)';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name does not resolve';
    default:
      return /certificate|SSL|TLS/i.test(code + message) ? `TLS error: ${message}` : message || code;
  }
}
