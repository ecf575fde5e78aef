/**
 * Layer 5: the Engine.IO polling handshake, `GET {origin}{path}/?EIO=4&transport=polling`. A
 * healthy Socket.IO server answers 200 with `0{"sid":…}`; everything else says which piece is
 * wrong. CORS is a browser rule and cannot be checked from Node, so nothing here claims it.
 */
import { DEFAULT_PATH } from '../constants';
import { describeError, isHtml, parseJson, request, snippet, type HttpOutcome } from '../request';
import type { LayerResult, Target } from '../types';

/** How an HTTP failure bears on the next layers. */
export type HttpFailureKind = 'unreachable' | 'answered';

export interface Handshake {
  readonly sid: string;
  readonly upgrades: readonly string[];
}

export interface HttpCheck {
  readonly result: LayerResult;
  readonly handshake?: Handshake;
  /** `unreachable`: no server answered (the WebSocket check is pointless); `answered`: something did. */
  readonly failure?: HttpFailureKind;
  /** The Socket.IO path that answered, when it differs from the target's (a proxy prefix found). */
  readonly path?: string;
}

const handshakeUrl = (origin: string, path: string) => `${origin}${path}/?EIO=4&transport=polling`;

/**
 * Runs the handshake; when it finds nothing at the default path and the URL had a path ("/api"),
 * also tries "/api/socket.io", the usual proxy prefix.
 *
 * @example
 * ```ts
 * const { result, handshake } = await probeHttp(target, { timeoutMs: 5000, pathGiven: false, namespaceGiven: false });
 * ```
 */
export async function probeHttp(target: Target, options: { timeoutMs: number; pathGiven: boolean; namespaceGiven: boolean; insecure?: boolean }): Promise<HttpCheck> {
  const started = Date.now();
  const url = handshakeUrl(target.origin, target.path);
  const insecure = options.insecure ?? false;
  const outcome = await request(url, { timeoutMs: options.timeoutMs, insecure });
  const check = classifyHandshake(outcome, url, options.timeoutMs);
  await closeSession(target.origin, target.path, check.handshake, options.timeoutMs, insecure);
  const prefix = target.urlPath;
  if (check.handshake || !prefix || options.pathGiven || target.path !== DEFAULT_PATH || check.failure !== 'answered') return timed(check, started);

  const path = `${prefix}${DEFAULT_PATH}`;
  const retry = classifyHandshake(await request(handshakeUrl(target.origin, path), { timeoutMs: options.timeoutMs, insecure }), url, options.timeoutMs);
  if (!retry.handshake) return timed(check, started);
  await closeSession(target.origin, path, retry.handshake, options.timeoutMs, insecure);
  return timed(
    {
      ...retry,
      path,
      result: { ...retry.result, finding: `${check.result.finding}; but ${target.origin}${path}/ answers the handshake: "${prefix}" is a proxy prefix, so the doctor goes on with path ${path}${options.namespaceGiven ? '' : ' and namespace /'}` },
    },
    started,
  );
}

const timed = (check: HttpCheck, started: number): HttpCheck => ({ ...check, result: { ...check.result, ms: Date.now() - started } });

/**
 * Reads one handshake answer. Pure.
 *
 * @example
 * ```ts
 * classifyHandshake({ kind: 'response', status: 502, headers: {}, body: '<html>…' }, url, 5000).failure; // 'unreachable'
 * ```
 */
export function classifyHandshake(outcome: HttpOutcome, url: string, timeoutMs: number): HttpCheck {
  const broken = (finding: string, hint: string, failure: HttpFailureKind, code: LayerResult['code']): HttpCheck => ({ result: { layer: 'http', status: 'broken', finding, hint, ...(code ? { code } : {}) }, failure });
  if (outcome.kind === 'timeout') {
    return broken(`GET ${url} got no answer within ${timeoutMs} ms`, 'Something accepts the connection but never answers: a proxy waiting on a dead upstream, or an overloaded server. Check the proxy and server logs.', 'unreachable', 'TIMEOUT');
  }
  if (outcome.kind === 'error') {
    const failed = describeError(outcome.code, outcome.message);
    return broken(`GET ${url} failed: ${failed}`, /TLS/.test(failed) ? 'Fix the certificate (expired, self-signed, or for another host name), or use http:// for a server without TLS.' : 'Check that the server runs and listens on this host and port.', 'unreachable', 'UNREACHABLE');
  }
  const { status, body, headers } = outcome;
  const quoted = body ? `: "${snippet(body)}"` : '';
  if (status === 200 && body.startsWith('0{')) {
    const hs = parseHandshake(body.slice(1));
    if (hs) {
      const noWs = hs.upgrades.includes('websocket') ? '' : '; the server offers no WebSocket upgrade';
      return { result: { layer: 'http', status: 'ok', finding: `Engine.IO polling handshake answered 200 (sid ${hs.sid})${noWs}` }, handshake: hs };
    }
  }
  if (status >= 502 && status <= 504) {
    return broken(
      `GET ${url} answered ${status}${quoted}: a proxy is up but the backend behind it is down or unreachable`,
      'Start the app server, and check the proxy upstream (proxy_pass host and port, PaaS service port and health check). Lifeline keeps retrying with backoff until the backend is back.',
      'unreachable',
      'UNREACHABLE',
    );
  }
  if (status === 404) {
    return broken(
      `GET ${url} answered 404${quoted}: no Socket.IO server at path "${new URL(url).pathname.replace(/\/$/, '')}"`,
      `Either the server uses another \`path\` (its \`new Server(http, { path })\`; behind a proxy prefix such as /api it is '/api/socket.io': pass --path), the proxy does not route that path to the server (nginx: a \`location /socket.io/\` block), or this server is not Socket.IO.`,
      'answered',
      'PROTOCOL',
    );
  }
  const engineError = parseEngineError(body);
  if (engineError) return classifyEngineError(engineError, status, url, broken);
  if (status === 200 || isHtml(body, headers)) {
    return broken(
      `GET ${url} answered ${status} with ${isHtml(body, headers) ? 'an HTML page' : 'something else'}${quoted}, not an Engine.IO handshake`,
      status === 200
        ? 'The app (an SPA fallback serving index.html) or a proxy answered instead of Socket.IO: route the Socket.IO path to the server, or pass the right --path. A Socket.IO v2 server (Engine.IO 3) also fails here: Lifeline needs Socket.IO ≥ 3 on the server.'
        : 'A proxy, firewall or WAF answered instead of Socket.IO (that is its error page): check its rules for the Socket.IO path. If it blocks /socket.io on purpose, the Lifeline `http` rung (@lifeline/server on another path) gets through.',
      'answered',
      'PROTOCOL',
    );
  }
  return broken(`GET ${url} answered ${status}${quoted}, not an Engine.IO handshake`, 'Check the server and proxy logs for this request.', 'answered', 'PROTOCOL');
}

function parseHandshake(json: string): Handshake | undefined {
  const v = parseJson(json) as { sid?: unknown; upgrades?: unknown } | null | undefined;
  if (typeof v?.sid !== 'string') return undefined;
  const upgrades = Array.isArray(v.upgrades) ? v.upgrades.filter((u): u is string => typeof u === 'string') : [];
  return { sid: v.sid, upgrades };
}

function parseEngineError(body: string): { code: number; message: string } | undefined {
  const v = parseJson(body) as { code?: unknown; message?: unknown } | null | undefined;
  return typeof v?.code === 'number' && typeof v.message === 'string' ? { code: v.code, message: v.message } : undefined;
}

/** Engine.IO's own error answers (engine.io `Server.errors`). */
function classifyEngineError(e: { code: number; message: string }, status: number, url: string, broken: (f: string, h: string, k: HttpFailureKind, c: LayerResult['code']) => HttpCheck): HttpCheck {
  const said = `GET ${url} answered ${status} "${e.message}" from Engine.IO`;
  if (e.code === 0) {
    return broken(`${said}: the server does not allow polling`, "The server runs with `transports: ['websocket']`. Lifeline's polling fallback cannot work there: allow polling on the server (`transports: ['polling', 'websocket']`, the default) or add the `http` rung with @lifeline/server.", 'answered', 'PROTOCOL');
  }
  if (e.code === 5) {
    return broken(`${said}: the server speaks an older Engine.IO`, 'This is a Socket.IO v2 server (Engine.IO 3). Lifeline uses socket.io-client v4, which needs Socket.IO ≥ 3 on the server: upgrade the server.', 'answered', 'PROTOCOL');
  }
  if (e.code === 4) {
    return broken(`${said}: the server's allowRequest refused it`, 'The server has an `allowRequest` check (origin, cookie, IP) that refused this request. Check what it requires.', 'answered', 'FORBIDDEN');
  }
  return broken(said, 'Check the server logs for this request.', 'answered', 'PROTOCOL');
}

/** Closes the handshake's session (an Engine.IO close packet) so the server does not wait out its ping timeout. */
async function closeSession(origin: string, path: string, hs: Handshake | undefined, timeoutMs: number, insecure: boolean): Promise<void> {
  if (!hs) return;
  await request(`${handshakeUrl(origin, path)}&sid=${encodeURIComponent(hs.sid)}`, { method: 'POST', body: '1', headers: { 'content-type': 'text/plain;charset=UTF-8' }, timeoutMs: Math.min(timeoutMs, 2000), insecure });
}
