/**
 * Layer 8 (only with --http): the Lifeline HTTP endpoint of `@lifeline/server`,
 * `GET {http}/poll?wait=0` (a plain poll, PROTOCOL.md), with `Authorization: Bearer` when a token
 * is given. The token never goes in the URL.
 */
import { describeError, isHtml, parseJson, request, snippet, type HttpOutcome } from '../request';
import type { LayerResult } from '../types';

/**
 * Polls the endpoint once.
 *
 * @example
 * ```ts
 * await probeCompanion('https://api.example.com/lifeline', { token: 'T', timeoutMs: 5000 });
 * ```
 */
export async function probeCompanion(base: string, options: { token: string | undefined; timeoutMs: number; insecure?: boolean }): Promise<LayerResult> {
  const started = Date.now();
  const url = `${base}/poll?wait=0`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const outcome = await request(url, { headers, timeoutMs: options.timeoutMs, insecure: options.insecure ?? false });
  return { ...classifyPoll(outcome, { url, base, tokenGiven: options.token !== undefined, timeoutMs: options.timeoutMs }), ms: Date.now() - started };
}

/**
 * Reads one poll answer. Pure.
 *
 * @example
 * ```ts
 * classifyPoll({ kind: 'response', status: 404, headers: {}, body: '' }, ctx).finding; // "… 404 …"
 * ```
 */
export function classifyPoll(outcome: HttpOutcome, ctx: { url: string; base: string; tokenGiven: boolean; timeoutMs: number }): LayerResult {
  const broken = (finding: string, hint: string, code: LayerResult['code']): LayerResult => ({ layer: 'companion', status: 'broken', code, finding, hint });
  if (outcome.kind === 'timeout') return broken(`GET ${ctx.url} got no answer within ${ctx.timeoutMs} ms`, 'With wait=0 the endpoint answers at once: something in front of it holds the request. Check the proxy and server logs.', 'TIMEOUT');
  if (outcome.kind === 'error') return broken(`GET ${ctx.url} failed: ${describeError(outcome.code, outcome.message)}`, 'Check the --http URL (host and port) and that the server runs.', 'UNREACHABLE');
  const { status, body, headers } = outcome;
  const quoted = body ? `: "${snippet(body)}"` : '';
  const json = parseJson(body);
  const jsonType = /application\/json/i.test(String(headers['content-type'] ?? ''));
  if (status === 200) {
    if (jsonType && isPollBody(json)) return { layer: 'companion', status: 'ok', finding: `GET ${ctx.url} answered 200 with a Lifeline poll (cursor ${JSON.stringify(json.cursor)})` };
    return broken(
      `GET ${ctx.url} answered 200 with ${isHtml(body, headers) ? 'an HTML page' : 'something that is not a Lifeline poll'}${quoted}`,
      'Something else answers at that URL (often an SPA fallback serving index.html): pass the base the companion is mounted at, e.g. --http https://api.example.com/lifeline for `app.use(\'/lifeline\', lifeline.http)`, and make sure the proxy routes it to the server.',
      'PROTOCOL',
    );
  }
  if (status === 401) {
    return broken(
      `GET ${ctx.url} answered 401${quoted}: not authenticated`,
      ctx.tokenGiven ? "The server's `authenticate` refused this token (sent as Authorization: Bearer): check that it is valid and unexpired." : "The endpoint needs credentials: pass --token <token> (sent as Authorization: Bearer, as Lifeline's http rung does).",
      'UNAUTHORIZED',
    );
  }
  if (status === 403) return broken(`GET ${ctx.url} answered 403${quoted}`, "The token is known but not allowed: check the server's `authenticate`/`authorize`, or a proxy rule in front of the endpoint.", 'FORBIDDEN');
  if (status === 404) {
    return broken(
      `GET ${ctx.url} answered 404${quoted}: the Lifeline endpoint is not mounted at ${ctx.base}`,
      "Pass the base the companion's `http` handler is mounted at (the doctor adds /poll): with `app.use('/lifeline', lifeline.http)` it is --http https://your.host/lifeline. Behind a proxy, route that prefix to the server.",
      'PROTOCOL',
    );
  }
  if (status >= 502 && status <= 504) return broken(`GET ${ctx.url} answered ${status}${quoted}: a proxy is up but the server behind it is not`, 'Start the server and check the proxy upstream for the endpoint.', 'UNREACHABLE');
  if (!jsonType || json === undefined) {
    return broken(`GET ${ctx.url} answered ${status} with ${isHtml(body, headers) ? 'an HTML page' : 'non-JSON'}${quoted}`, 'Every Lifeline endpoint answer is JSON: a proxy or the app answered instead. Check the --http URL and the proxy routes.', 'PROTOCOL');
  }
  return broken(`GET ${ctx.url} answered ${status}${quoted}`, status >= 500 ? 'The server failed: check its logs.' : 'Check the request against docs/protocol.md and the server logs.', status >= 500 ? 'UNREACHABLE' : 'PROTOCOL');
}

function isPollBody(v: unknown): v is { events: unknown[]; cursor: unknown } {
  return typeof v === 'object' && v !== null && Array.isArray((v as { events?: unknown }).events) && 'cursor' in v;
}
