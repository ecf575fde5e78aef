/** The protocol over HTTP: routes, parameters, headers and bodies (docs/protocol.md). */
import type { WireEvent } from './wire';

/** The HTTP endpoint's routes (relative to its base URL), query parameters and headers. */
export const HTTP = {
  /** `GET {base}/poll?channels=a,b&cursor=c&wait=s` → `PollAnswer`. Channel names are encoded each, then joined with ','. */
  poll: '/poll',
  /** `POST {base}/emit` with an `EmitRequest` body → `EmitAnswer`. */
  emit: '/emit',
  /** `sid`: the poller's id, for presence. */
  params: { channels: 'channels', cursor: 'cursor', wait: 'wait', sid: 'sid' },
  /** Credentials: `authorization: Bearer <auth.token>` and the whole `auth` as base64url JSON in this header. */
  authHeader: 'lifeline-auth',
  /** `wait` when a poll leaves it out, seconds. */
  defaultWaitSeconds: 25,
} as const;

/** The body of a successful poll: events after the cursor, oldest first, and the cursor to poll from next. */
export interface PollAnswer {
  readonly events: readonly WireEvent[];
  readonly cursor: string;
}

/** The body of `POST /emit`; `id` makes a retried emit idempotent. */
export interface EmitRequest {
  readonly event: string;
  readonly data?: unknown;
  readonly id?: string;
}

/** The body of an HTTP refusal (4xx/5xx): a code and a message for a person. */
export interface ErrorAnswer {
  readonly error: string;
  readonly message: string;
  /** With 410 `CURSOR_EXPIRED`: the latest id to resume from. */
  readonly cursor?: string;
}
