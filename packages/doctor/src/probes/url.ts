/**
 * Layer 1, pure: parse the URL and decide where the other layers look. A path in the URL is the
 * classic mistake (seed 000: NestJS "Invalid namespace" from an `/api` prefix): socket.io-client
 * takes it as the namespace, and Lifeline's `createClient` refuses it.
 */
import { DEFAULT_PATH } from '../constants';
import type { DiagnoseOptions, LayerResult, Target } from '../types';

export interface UrlCheck {
  readonly result: LayerResult;
  readonly target: Target | undefined;
}

const trimSlash = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/**
 * Parses `options.url`; the result is broken when the URL cannot be used as a Lifeline `url`.
 *
 * @example
 * ```ts
 * checkUrl({ url: 'https://x.example/api' }).result.hint; // "… path: '/api/socket.io' … namespace: '/api' …"
 * ```
 */
export function checkUrl(options: DiagnoseOptions): UrlCheck {
  const parsed = parseUrl(options.url);
  if (typeof parsed === 'string') {
    return { result: { layer: 'url', status: 'broken', code: 'BAD_INPUT', finding: parsed, hint: "Pass the server's origin as the app uses it, e.g. https://api.example.com" }, target: undefined };
  }
  const secure = parsed.protocol === 'https:' || parsed.protocol === 'wss:';
  const origin = `${secure ? 'https' : 'http'}://${parsed.host}`;
  const urlPath = parsed.pathname !== '/' && parsed.pathname !== '' ? trimSlash(parsed.pathname) : undefined;
  const path = trimSlash(options.path ?? DEFAULT_PATH);
  const namespace = options.namespace ?? urlPath ?? '/';
  const http = options.http === undefined ? undefined : resolveHttp(options.http, origin);
  const target: Target = {
    url: options.url,
    origin,
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : secure ? 443 : 80,
    secure,
    path,
    namespace,
    ...(urlPath === undefined ? {} : { urlPath }),
    ...(http === undefined ? {} : { http }),
  };
  if (urlPath === undefined) {
    return { result: { layer: 'url', status: 'ok', finding: `origin ${origin}, path ${path}, namespace ${namespace}` }, target };
  }
  const asked = options.namespace === undefined ? `; the doctor asks for namespace "${namespace}" as socket.io-client would` : '';
  return {
    target,
    result: {
      layer: 'url',
      status: 'broken',
      code: 'BAD_INPUT',
      finding: `${options.url} has a path ("${urlPath}"): Socket.IO takes it as the namespace, not as part of the address${asked}`,
      hint:
        `Give Lifeline the origin only (\`url: '${origin}'\`) and say what "${urlPath}" is. ` +
        `A proxy prefix (the proxy routes ${urlPath}/* to the server): \`path: '${urlPath}${DEFAULT_PATH}'\` (doctor: --path ${urlPath}${DEFAULT_PATH}). ` +
        `A Socket.IO namespace (\`io.of('${urlPath}')\`, or NestJS \`@WebSocketGateway({ namespace: '${urlPath.slice(1)}' })\`): \`namespace: '${urlPath}'\` (doctor: --namespace ${urlPath}).`,
    },
  };
}

/** The target's host and port as a finding prints them: `api.example.com:443`, `[::1]:3000`. */
export const hostPort = (target: Pick<Target, 'host' | 'port'>): string => `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;

/** The URL, or why it cannot be used. */
export function parseUrl(raw: string): URL | string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return `"${raw}" is not an absolute URL`;
  }
  if (!/^(https?|wss?):$/.test(parsed.protocol)) return `"${raw}" uses ${parsed.protocol}; Socket.IO speaks http(s) or ws(s)`;
  return parsed;
}

function resolveHttp(http: string, origin: string): string {
  try {
    return trimSlash(new URL(http, `${origin}/`).href);
  } catch {
    return http;
  }
}
