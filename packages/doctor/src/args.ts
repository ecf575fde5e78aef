/**
 * Pure: the CLI's argument vector → options for `diagnose`, help, or a usage error that says what
 * to change. Every rejection here is exit code 2.
 */
import { parseArgs } from 'node:util';
import { parseUrl } from './probes/url';
import type { DiagnoseOptions } from './types';

export const USAGE = `Usage: lifeline-doctor <url> [options]

Probes a Socket.IO deployment layer by layer (URL, DNS, TCP, TLS, HTTP polling handshake, WebSocket
upgrade, namespace, Lifeline HTTP endpoint) and says which layer is broken and how to fix it.

Options:
  --namespace </ns>   Socket.IO namespace to connect to (default: the URL's path, else "/")
  --path </path>      Socket.IO path on the server (default: /socket.io)
  --token <token>     sent as auth: { token } and as Authorization: Bearer
  --http <url>        base URL of the Lifeline HTTP endpoint (@lifeline/server), e.g. https://api.example.com/lifeline
  --timeout <ms>      per-check timeout in milliseconds (default: 5000)
  --insecure          check the layers after TLS even when the certificate does not verify
                      (self-signed, expired, wrong host name); TLS is still reported broken
  --json              print the diagnosis as JSON
  -h, --help          show this help

Exit codes: 0 every layer works, 1 a layer is broken, 2 bad usage, 3 the doctor crashed (a bug).`;

export type ParsedArgs =
  | { readonly kind: 'run'; readonly options: DiagnoseOptions; readonly json: boolean }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

const error = (message: string): ParsedArgs => ({ kind: 'error', message });

/**
 * Parses `process.argv.slice(2)`.
 *
 * @example
 * ```ts
 * parseCliArgs(['https://api.example.com', '--namespace', '/notifications', '--json']);
 * // { kind: 'run', options: { url: 'https://api.example.com', namespace: '/notifications' }, json: true }
 * ```
 */
export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    const m = /Unknown option '([^']+)'/.exec((e as Error).message);
    if (m) return error(`unknown option ${m[1]}`);
    const v = /Option '([^']+)' argument missing/.exec((e as Error).message);
    if (v) return error(`${v[1]!.replace(/ <value>$/, '').split(', ').pop()} needs a value`);
    return error((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (positionals.length === 0) return error('missing <url>: the server URL as the app uses it, e.g. lifeline-doctor https://api.example.com');
  if (positionals.length > 1) return error(`one URL at a time; unexpected argument ${JSON.stringify(positionals[1])}`);
  const url = positionals[0]!;
  const problem = parseUrl(url);
  if (typeof problem === 'string') return error(`${problem}, e.g. https://api.example.com`);

  const { namespace, path, token, http, timeout, insecure } = values;
  if (namespace !== undefined && !namespace.startsWith('/')) return error(`--namespace must start with "/": --namespace /${namespace}`);
  if (path !== undefined && !path.startsWith('/')) return error(`--path must start with "/": --path /${path}`);
  if (token === '') return error('--token is empty');
  if (http !== undefined && !http.startsWith('/') && typeof parseUrl(http) === 'string') return error(`--http must be a URL (https://api.example.com/lifeline) or a path on the same origin (/lifeline), got ${JSON.stringify(http)}`);
  let timeoutMs: number | undefined;
  if (timeout !== undefined) {
    timeoutMs = Number(timeout);
    if (!/^\d+$/.test(timeout) || timeoutMs < 1 || timeoutMs > 600_000) return error(`--timeout must be a whole number of milliseconds between 1 and 600000, got ${JSON.stringify(timeout)}`);
  }
  const options: DiagnoseOptions = {
    url,
    ...(namespace === undefined ? {} : { namespace }),
    ...(path === undefined ? {} : { path }),
    ...(token === undefined ? {} : { token }),
    ...(http === undefined ? {} : { http }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(insecure ? { insecure } : {}),
  };
  return { kind: 'run', options, json: values.json ?? false };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      namespace: { type: 'string' },
      path: { type: 'string' },
      token: { type: 'string' },
      http: { type: 'string' },
      timeout: { type: 'string' },
      insecure: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
