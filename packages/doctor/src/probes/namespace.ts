/**
 * Layer 7: connect to the namespace with socket.io-client, as the Lifeline client does (its own
 * reconnection off, a fresh Manager), with `auth: { token }` when one is given. A `connect_error`
 * without `type: 'TransportError'` is the server speaking: the namespace or a middleware (NOTES.md).
 */
import { Manager } from 'socket.io-client';
import { AUTH_REFUSAL } from '../constants';
import { settleOnce } from '../settle';
import type { LayerResult, Target } from '../types';

export interface NamespaceProbeOptions {
  readonly path: string;
  readonly transport: 'polling' | 'websocket';
  readonly token: string | undefined;
  readonly timeoutMs: number;
  /** Do not verify the server's certificate (`--insecure`). */
  readonly insecure?: boolean;
}

/** What socket.io-client reported. */
export type NamespaceOutcome =
  | { readonly kind: 'connected' }
  | { readonly kind: 'connect_error'; readonly message: string; readonly transportError: boolean; readonly description?: string }
  | { readonly kind: 'timeout' };

/**
 * Connects once and disconnects.
 *
 * @example
 * ```ts
 * await probeNamespace(target, { path: '/socket.io', transport: 'polling', token: undefined, timeoutMs: 5000 });
 * ```
 */
export async function probeNamespace(target: Target, options: NamespaceProbeOptions): Promise<LayerResult> {
  const started = Date.now();
  const outcome = await connectOnce(target.origin, target.namespace, options);
  return { ...classifyNamespace(outcome, { namespace: target.namespace, transport: options.transport, tokenGiven: options.token !== undefined, timeoutMs: options.timeoutMs }), ms: Date.now() - started };
}

/**
 * Reads what socket.io-client reported. Pure.
 *
 * @example
 * ```ts
 * classifyNamespace({ kind: 'connect_error', message: 'Invalid namespace', transportError: false }, ctx).code; // 'INVALID_NAMESPACE'
 * ```
 */
export function classifyNamespace(outcome: NamespaceOutcome, ctx: { namespace: string; transport: string; tokenGiven: boolean; timeoutMs: number }): LayerResult {
  const ns = ctx.namespace;
  if (outcome.kind === 'connected') return { layer: 'namespace', status: 'ok', finding: `connected to namespace "${ns}" over ${ctx.transport}${ctx.tokenGiven ? ' with the token' : ''}` };
  if (outcome.kind === 'timeout') {
    return {
      layer: 'namespace',
      status: 'broken',
      code: 'TIMEOUT',
      finding: `namespace "${ns}" did not answer the connection within ${ctx.timeoutMs} ms`,
      hint: `The handshake layers work, so the network is fine: the server's Socket.IO layer holds the connection. Look for a middleware on "${ns}" (io.use / io.of('${ns}').use) that never calls next(), e.g. an auth check awaiting a database that hangs.`,
    };
  }
  const { message } = outcome;
  if (/invalid namespace/i.test(message)) {
    return {
      layer: 'namespace',
      status: 'broken',
      code: 'INVALID_NAMESPACE',
      finding: `the server has no namespace "${ns}" ("Invalid namespace")`,
      hint:
        `Connect to a namespace the server listens on instead of "${ns}" (doctor: --namespace /name). A NestJS \`@WebSocketGateway({ namespace: 'notifications' })\` listens on "/notifications"; a gateway without \`namespace\` (or a plain \`io.on('connection')\`) on "/". ` +
        `An HTTP prefix such as "/api" is not a namespace: it belongs in \`path\` ('/api/socket.io').`,
    };
  }
  if (outcome.transportError) {
    return { layer: 'namespace', status: 'broken', code: 'UNREACHABLE', finding: `socket.io-client could not connect over ${ctx.transport}: ${outcome.description ?? message}`, hint: 'The lower layers answered a moment ago: check the server logs, and that every request of a session reaches the same node (sticky sessions behind a load balancer).' };
  }
  const auth = AUTH_REFUSAL.test(message);
  return {
    layer: 'namespace',
    status: 'broken',
    code: auth ? (/forbidden/i.test(message) ? 'FORBIDDEN' : 'UNAUTHORIZED') : 'PROTOCOL',
    finding: `the server refused the connection to "${ns}": "${message}"${auth ? ' (an auth middleware)' : ' (a middleware)'}`,
    hint: ctx.tokenGiven
      ? 'The server refused this token: check that it is valid, unexpired and meant for this server. In the app, make `auth` a function returning a fresh token: Lifeline calls it before every attempt.'
      : `A middleware on the server wants credentials: pass --token <token> (sent as \`auth: { token }\`, as Lifeline's \`auth\` option does).`,
  };
}

function connectOnce(origin: string, namespace: string, options: NamespaceProbeOptions): Promise<NamespaceOutcome> {
  return settleOnce<NamespaceOutcome>(options.timeoutMs, { kind: 'timeout' }, (done) => {
    const manager = new Manager(origin, {
      path: options.path,
      transports: [options.transport],
      reconnection: false,
      autoConnect: false,
      timeout: options.timeoutMs,
      ...(options.insecure ? { rejectUnauthorized: false } : {}),
    });
    const socket = manager.socket(namespace, options.token === undefined ? {} : { auth: { token: options.token } });
    socket.once('connect', () => done({ kind: 'connected' }));
    socket.once('connect_error', (err: Error & { type?: unknown; description?: unknown }) => {
      if (err.message === 'timeout') return done({ kind: 'timeout' });
      const description = describe(err.description);
      done({ kind: 'connect_error', message: err.message, transportError: err.type === 'TransportError', ...(description ? { description } : {}) });
    });
    socket.connect();
    return () => {
      socket.off();
      // The last socket of a Manager closes its Engine.IO connection when it disconnects.
      socket.disconnect();
    };
  });
}

function describe(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (value instanceof Error) return value.message;
  return '';
}
