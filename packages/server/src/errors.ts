/**
 * Errors of the companion, each mapped to one HTTP status. Over Socket.IO, joins answer
 * `{ ok: false, code }` with the same codes.
 */

/** Every way a companion request can be refused. */
export type LifelineServerErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CURSOR_EXPIRED'
  | 'LIMIT'
  | 'REQUEST_TIMEOUT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNKNOWN_EVENT'
  | 'HANDLER_ERROR'
  | 'UNSUPPORTED'
  | 'CLOSED';

/** HTTP status of each code (PROTOCOL.md). */
export const STATUS: Readonly<Record<LifelineServerErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_EVENT: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  LIMIT: 400,
  CURSOR_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  HANDLER_ERROR: 500,
  UNSUPPORTED: 501,
  CLOSED: 503,
};

/**
 * A refused request: `code` and `message` become the JSON body, `details` (e.g. the channel
 * or the latest cursor) are merged into it.
 *
 * @example
 * ```ts
 * throw new LifelineServerError('FORBIDDEN', 'Not allowed to read channel "ticket:42".', { channel: 'ticket:42' });
 * ```
 */
export class LifelineServerError extends Error {
  readonly code: LifelineServerErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: LifelineServerErrorCode, message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(message);
    this.name = 'LifelineServerError';
    this.code = code;
    this.details = details;
  }

  /** The HTTP status for this error. */
  get status(): number {
    return STATUS[this.code];
  }
}

/**
 * Thrown by a store's `readAfter` when the cursor is outside the log: older than what the log
 * keeps (the events after it are gone), or after anything it wrote (the log started over: a
 * memory store after a restart, a new Redis key, FLUSHDB). `details.cursor` is where to resume:
 * the latest id for an old cursor; the start of the log for a cursor from before a reset, so
 * that every event of the new log reaches the client.
 * @example
 * ```ts
 * try { await store.readAfter(cursor, 100); }
 * catch (e) { if (e instanceof CursorExpiredError) cursor = String(e.details.cursor); }
 * ```
 */
export class CursorExpiredError extends LifelineServerError {
  constructor(cursor: string, resumeFrom: string) {
    super('CURSOR_EXPIRED', `Cursor "${cursor}" is outside the event log: resume from "${resumeFrom}".`, { cursor: resumeFrom });
  }
}

/** True for a `LifelineServerError` of the given code. */
export function isServerError(value: unknown, code?: LifelineServerErrorCode): value is LifelineServerError {
  return value instanceof LifelineServerError && (code === undefined || value.code === code);
}
