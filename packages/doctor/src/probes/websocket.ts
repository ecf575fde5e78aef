/**
 * Layer 6: a raw WebSocket upgrade, `GET {path}/?EIO=4&transport=websocket` with Upgrade,
 * Connection and Sec-WebSocket-Key, as a browser sends it. 101 is the only good answer; the ways a
 * proxy breaks it (NOTES.md) are told apart here as far as the wire allows.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { NGINX_FIX, UPGRADE_INTERVAL_MS } from '../constants';
import { describeError, readBody, snippet } from '../request';
import { settleOnce } from '../settle';
import type { LayerResult, Target } from '../types';

/** What came back for the upgrade request. */
export type UpgradeOutcome =
  | { readonly kind: 'switched'; readonly accepted: boolean }
  | { readonly kind: 'response'; readonly status: number; readonly body: string }
  | { readonly kind: 'error'; readonly code: string; readonly message: string }
  | { readonly kind: 'timeout' };

const FALLBACK = `Lifeline's ladder falls back to polling meanwhile, so the app keeps working, and it tries WebSocket again every ${UPGRADE_INTERVAL_MS / 1000} s.`;

/**
 * Sends one upgrade request and closes whatever it opened.
 *
 * @example
 * ```ts
 * const r = await probeWebSocket(target, target.path, 5000); // status 'ok' on 101
 * ```
 */
export async function probeWebSocket(target: Target, path: string, timeoutMs: number, insecure = false): Promise<LayerResult> {
  const started = Date.now();
  const url = `${target.secure ? 'wss' : 'ws'}://${new URL(target.origin).host}${path}/?EIO=4&transport=websocket`;
  const outcome = await upgrade(`${target.origin}${path}/?EIO=4&transport=websocket`, timeoutMs, insecure);
  return { ...classifyUpgrade(outcome, url, timeoutMs), ms: Date.now() - started };
}

/**
 * Reads one upgrade answer. Pure.
 *
 * @example
 * ```ts
 * classifyUpgrade({ kind: 'timeout' }, url, 800).finding; // "… no answer within 800 ms …"
 * ```
 */
export function classifyUpgrade(outcome: UpgradeOutcome, url: string, timeoutMs: number): LayerResult {
  const broken = (finding: string, hint: string, code: LayerResult['code'] = 'UPGRADE_BLOCKED'): LayerResult => ({ layer: 'websocket', status: 'broken', code, finding, hint });
  switch (outcome.kind) {
    case 'switched':
      return outcome.accepted
        ? { layer: 'websocket', status: 'ok', finding: `upgrade to ${url} answered 101 Switching Protocols` }
        : broken(`upgrade to ${url} answered 101 with a wrong Sec-WebSocket-Accept`, `Something between client and server rewrites the WebSocket handshake; browsers refuse it. Check the proxy in front of the server. ${FALLBACK}`);
    case 'response': {
      const quoted = outcome.body ? ` "${snippet(outcome.body)}"` : '';
      // Engine.IO's own 400 "Bad request" (code 3) for a websocket GET that arrived without its
      // Upgrade header: the request reached Socket.IO, so a proxy removed the headers on the way.
      const stripped = outcome.status === 400 && /"code"\s*:\s*3\b/.test(outcome.body);
      if (outcome.status === 400 && /"code"\s*:\s*0\b/.test(outcome.body)) {
        return broken(
          `upgrade to ${url} answered 400${quoted}: Socket.IO itself does not allow WebSocket`,
          "The server runs with `transports: ['polling']`, so no proxy fix helps: allow 'websocket' on the server (the default) to get it. Lifeline runs on polling meanwhile.",
        );
      }
      if (stripped) {
        return broken(
          `upgrade to ${url} answered 400${quoted} instead of 101: the request reached Socket.IO without its Upgrade/Connection headers (a proxy stripped them)`,
          `The proxy forwards WebSocket requests as plain HTTP. In nginx, add to the Socket.IO location: ${NGINX_FIX} ${FALLBACK}`,
        );
      }
      if (outcome.status === 401 || outcome.status === 403) {
        return broken(
          `upgrade to ${url} answered ${outcome.status}${quoted} instead of 101: a proxy, WAF or the server's allowRequest refuses it`,
          `Check the rules of whatever answered (its error page is quoted above) for WebSocket requests on this path. ${FALLBACK}`,
        );
      }
      if (outcome.status >= 400 && outcome.status < 500) {
        return broken(
          `upgrade to ${url} answered ${outcome.status}${quoted} instead of 101 ("Unexpected server response: ${outcome.status}" in socket.io-client): the upgrade is rejected, or its Upgrade/Connection headers are stripped`,
          `Let the proxy pass WebSocket upgrades. In nginx, add to the Socket.IO location: ${NGINX_FIX} Elsewhere (a PaaS, a load balancer, Cloudflare), enable WebSocket support for this route. ${FALLBACK}`,
        );
      }
      return broken(
        `upgrade to ${url} answered ${outcome.status}${quoted} instead of 101`,
        `The proxy or server fails WebSocket requests: check its logs for this request, and its WebSocket settings (nginx: ${NGINX_FIX}). ${FALLBACK}`,
        outcome.status >= 500 ? 'UNREACHABLE' : 'UPGRADE_BLOCKED',
      );
    }
    case 'error':
      return broken(
        `upgrade to ${url} failed: ${describeError(outcome.code, outcome.message)}${outcome.code === 'ECONNRESET' ? ' (HTTP works, so something resets WebSocket upgrades)' : ''}`,
        `A proxy, firewall or antivirus between client and server kills WebSocket connections. Enable WebSocket on it (nginx: ${NGINX_FIX}). ${FALLBACK}`,
      );
    case 'timeout':
      return broken(
        `upgrade to ${url} got no answer within ${timeoutMs} ms: something holds WebSocket upgrades (a black hole)`,
        `A proxy or PaaS accepts the upgrade and never answers (seen on platforms without WebSocket support for the route). Enable WebSocket for it (nginx: ${NGINX_FIX}); otherwise stay on polling: Lifeline races a stalled upgrade after about a second, then runs on polling and tries WebSocket again every ${UPGRADE_INTERVAL_MS / 1000} s.`,
        'TIMEOUT',
      );
  }
}

/** Sends the upgrade; resolves once with what happened and leaves no socket open. */
function upgrade(url: string, timeoutMs: number, insecure: boolean): Promise<UpgradeOutcome> {
  return settleOnce<UpgradeOutcome>(timeoutMs, { kind: 'timeout' }, (done) => {
    const u = new URL(url);
    const key = randomBytes(16).toString('base64');
    const lib = u.protocol === 'https:' ? https : http;
    let upgraded: Socket | undefined;
    const req = lib.request(u, {
      agent: false,
      ...(insecure ? { rejectUnauthorized: false } : {}),
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13' },
    });
    req.on('upgrade', (res, socket) => {
      upgraded = socket;
      const expected = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      done({ kind: 'switched', accepted: res.headers['sec-websocket-accept'] === expected });
    });
    req.on('response', (res) => readBody(res, (body) => done({ kind: 'response', status: res.statusCode ?? 0, body })));
    req.on('error', (e: NodeJS.ErrnoException) => done({ kind: 'error', code: e.code ?? 'ERROR', message: e.message }));
    req.end();
    return () => {
      upgraded?.destroy();
      req.destroy();
    };
  });
}
