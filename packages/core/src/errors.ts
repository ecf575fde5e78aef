import { HINTS } from './hints';

/**
 * Every way Lifeline can fail, as a closed union. Each code has a hint builder in `hints.ts`.
 */
export type LifelineErrorCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'INVALID_NAMESPACE'
  | 'UPGRADE_BLOCKED'
  | 'TIMEOUT'
  | 'UNREACHABLE'
  | 'PROTOCOL'
  | 'VALIDATION'
  | 'ACK_TIMEOUT'
  | 'OUTBOX_FULL'
  | 'CURSOR_EXPIRED'
  | 'CLOSED'
  | 'BAD_INPUT';

/**
 * Facts that hint builders use to name the concrete thing that went wrong. All optional.
 */
export interface LifelineErrorDetails {
  /** The URL (origin + path) the client talked to. */
  url?: string;
  /** The Socket.IO namespace asked for. */
  namespace?: string;
  /** The event name involved (validation, acks, outbox). */
  event?: string;
  /** The channel involved (joins, cursors). */
  channel?: string;
  /** The transport in use when it failed. */
  transport?: 'websocket' | 'polling' | 'http';
  /** HTTP status, when an HTTP answer was involved. */
  status?: number;
  /** The first bytes of an unexpected response body. */
  bodySnippet?: string;
  /** Timeout or age limit involved, in ms. */
  timeoutMs?: number;
  /** Standard Schema issues of a failed validation. */
  issues?: ReadonlyArray<{ readonly message: string; readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> }>;
  /** Server-supplied message, as received. */
  serverMessage?: string;
  /** Anything else worth showing a person. */
  [key: string]: unknown;
}

const BRAND = Symbol.for('lifeline.error');

/**
 * The one error class Lifeline throws, rejects with and emits as `error`.
 *
 * @example
 * ```ts
 * client.on('error', (err) => {
 *   console.warn(`[${err.code}] ${err.message}\n→ ${err.hint}`);
 * });
 * ```
 */
export class LifelineError extends Error {
  /** What went wrong, as a stable code to branch on. */
  readonly code: LifelineErrorCode;
  /** What a person can do about it. */
  readonly hint: string;
  /** The concrete facts behind the message. */
  readonly details: LifelineErrorDetails;
  readonly [BRAND] = true;

  /** `hint` defaults to the hint built for `code` from `details` (see `docs/errors.md`). */
  constructor(code: LifelineErrorCode, message: string, details: LifelineErrorDetails = {}, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LifelineError';
    this.code = code;
    this.details = details;
    this.hint = options?.hint ?? HINTS[code](details);
  }
}

/**
 * True for any `LifelineError`, also one created by another copy of the package or realm.
 *
 * @example
 * ```ts
 * try { await client.emit('save', doc, { ack: true }); }
 * catch (e) { if (isLifelineError(e) && e.code === 'ACK_TIMEOUT') retryLater(); }
 * ```
 */
export function isLifelineError(value: unknown): value is LifelineError {
  return (
    typeof value === 'object' &&
    value !== null &&
    ((value as { [BRAND]?: unknown })[BRAND] === true || (value as Error).name === 'LifelineError') &&
    typeof (value as LifelineError).code === 'string'
  );
}

/** The message of a thrown value: an `Error`'s message, else the value as a string. @internal */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
