/**
 * Turns what socket.io-client reports into a classified `TransportFailure` with the
 * `LifelineError` a person should see. Facts behind each branch: shared/design/NOTES.md.
 * Loaded lazily, with the first failure of a Socket.IO transport (socketio.ts): a connection
 * that never fails never downloads it.
 * @internal
 */
import { LifelineError, withHint } from './errors';
import type { TransportFailure, TransportName } from './transports/types';

/** What the classifier needs to name the concrete thing. @internal */
export interface ClassifyContext {
  readonly transport: TransportName;
  readonly url: string;
  readonly namespace: string;
  readonly timeoutMs: number;
  readonly isAuthError: (error: { message: string; data?: unknown }) => boolean;
}

export { defaultIsAuthError } from './authError';

interface ConnectErrorLike {
  message?: unknown;
  type?: unknown;
  description?: unknown;
  context?: unknown;
  data?: unknown;
}

function describe(value: unknown): string {
  if (value == null) return '';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (typeof value === 'object') {
    const v = value as { message?: unknown; error?: { message?: unknown } };
    if (typeof v.message === 'string') return v.message;
    if (v.error && typeof v.error.message === 'string') return v.error.message;
  }
  return '';
}

function statusOf(err: ConnectErrorLike, text: string): number | undefined {
  const ctx = err.context as { status?: unknown } | undefined;
  if (ctx && typeof ctx.status === 'number' && ctx.status > 0) return ctx.status;
  if (typeof err.description === 'number' && err.description > 0) return err.description;
  const m = /response: (\d{3})/.exec(text);
  return m ? Number(m[1]) : undefined;
}

function bodyOf(err: ConnectErrorLike): string {
  const ctx = err.context as { responseText?: unknown } | undefined;
  return ctx && typeof ctx.responseText === 'string' ? ctx.responseText : '';
}


/**
 * Classifies a `connect_error` (the attempt never opened).
 * @internal
 */
export function classifyConnectError(raw: unknown, ctx: ClassifyContext): TransportFailure {
  const err = (typeof raw === 'object' && raw !== null ? raw : { message: String(raw) }) as ConnectErrorLike;
  const message = typeof err.message === 'string' ? err.message : String(raw);
  const base = { url: ctx.url, namespace: ctx.namespace, transport: ctx.transport } as const;
  const opened = false;

  if (err.type === 'TransportError') {
    const text = describe(err.description);
    const status = statusOf(err, text);
    if (ctx.transport === 'polling' && /session id unknown/i.test(bodyOf(err) + text)) {
      return {
        kind: 'session-unknown',
        opened,
        reason: 'polling answered "Session ID unknown" (no sticky sessions?)',
        error: withHint('UNREACHABLE', `Polling reached ${ctx.url}, but a later request of the same session got "Session ID unknown": it landed on a Socket.IO node that did not start the session.`, { ...base, status, serverMessage: 'Session ID unknown' }, 'sticky'),
      };
    }
    if (ctx.transport === 'websocket' && status !== undefined && status >= 400 && status < 500) {
      return { kind: 'upgrade-blocked', opened, reason: `websocket upgrade rejected (${status})`, error: new LifelineError('UPGRADE_BLOCKED', `The WebSocket upgrade to ${ctx.url} was rejected with HTTP ${status}.`, { ...base, status }) };
    }
    const what = text || message;
    return { kind: 'unreachable', opened, reason: `${ctx.transport} failed (${what})`, error: new LifelineError('UNREACHABLE', `Cannot reach ${ctx.url} over ${ctx.transport}: ${what}.`, { ...base, status, serverMessage: what }), ...(/ECONNREFUSED/.test(what) ? { refused: true } : {}) };
  }
  if (message === 'timeout') {
    return { kind: 'timeout', opened, reason: `${ctx.transport} did not answer within ${ctx.timeoutMs} ms`, error: new LifelineError('TIMEOUT', `No answer from ${ctx.url} over ${ctx.transport} within ${ctx.timeoutMs} ms.`, { ...base, timeoutMs: ctx.timeoutMs }) };
  }
  if (/invalid namespace/i.test(message)) {
    return { kind: 'invalid-namespace', opened, reason: `namespace "${ctx.namespace}" does not exist`, error: new LifelineError('INVALID_NAMESPACE', `The server at ${ctx.url} has no namespace "${ctx.namespace}".`, { ...base, serverMessage: message }) };
  }
  // A connect_error without a type is the server speaking (middleware): never a transport problem.
  const refusal = { message, data: err.data };
  if (ctx.isAuthError(refusal)) {
    const forbidden = /forbidden/i.test(message);
    const code = forbidden ? 'FORBIDDEN' : 'UNAUTHORIZED';
    return { kind: forbidden ? 'forbidden' : 'unauthorized', opened, reason: `server refused the credentials ("${message}")`, error: new LifelineError(code, `The server refused the connection: "${message}".`, { ...base, serverMessage: message, data: err.data }) };
  }
  return { kind: 'protocol', opened, reason: `server refused the connection ("${message}")`, error: withHint('PROTOCOL', `The server refused the connection to namespace "${ctx.namespace}": "${message}".`, { ...base, serverMessage: message, data: err.data }, 'middleware') };
}

/**
 * The Engine.IO handshake completed but the namespace CONNECT got no answer within `timeoutMs`.
 * @internal
 */
export function classifyUnacknowledged(ctx: ClassifyContext): TransportFailure {
  return {
    kind: 'unacknowledged',
    opened: false,
    reason: `namespace "${ctx.namespace}" did not acknowledge the connection within ${ctx.timeoutMs} ms`,
    error: withHint('TIMEOUT', `The server at ${ctx.url} answered over ${ctx.transport}, but namespace "${ctx.namespace}" did not acknowledge the connection within ${ctx.timeoutMs} ms.`, { url: ctx.url, namespace: ctx.namespace, transport: ctx.transport, timeoutMs: ctx.timeoutMs }, 'unacknowledged'),
  };
}

/**
 * Classifies the end of an established connection (socket.io `disconnect` reason). `heard` says
 * whether any packet (even a heartbeat) arrived after the handshake: dying without one is `silent`,
 * a failure of the rung however long it took (the ladder also turns any death within its
 * probation window into `silent`).
 * @internal
 */
export function classifyDisconnect(reason: string, heard: boolean, ctx: ClassifyContext): TransportFailure {
  if (reason === 'io server disconnect') return { kind: 'server-closed', opened: true, reason: 'the server closed the connection' };
  if (reason === 'parse error') return { kind: 'protocol', opened: true, reason: 'unreadable packet from the server', error: new LifelineError('PROTOCOL', `Unreadable packet from ${ctx.url}.`, { url: ctx.url, transport: ctx.transport }) };
  if (!heard) {
    return {
      kind: 'silent',
      opened: true,
      reason: `${ctx.transport} opened, then nothing arrived (${reason})`,
      error: withHint('UNREACHABLE', `The ${ctx.transport} connection to ${ctx.url} opened, then not a single packet arrived until it died (${reason}).`, { url: ctx.url, transport: ctx.transport, serverMessage: reason }, 'silent'),
    };
  }
  if (reason === 'ping timeout') return { kind: 'transport-closed', opened: true, reason: `${ctx.transport} went silent (ping timeout)` };
  return { kind: 'transport-closed', opened: true, reason: `${ctx.transport} connection lost (${reason})` };
}
