/** The protocol over Socket.IO: event names and the join/leave answers (docs/protocol.md). */

/** Socket.IO event names of the protocol. Every event name starting with `prefix` is the protocol's. */
export const WIRE = {
  /** server → client: a logged event `{ id, channel, event, data }` (`WireEvent`). */
  event: 'lifeline:event',
  /** client → server: `{ channel, cursor? }` (`JoinRequest`), acked with a `JoinAnswer`. */
  join: 'lifeline:join',
  /** client → server: `{ channel }`, acked with `{ ok: true }`. */
  leave: 'lifeline:leave',
  /** client → server: `{ channel, limit, before? }`, acked `{ ok, events, cursor }`. */
  history: 'lifeline:history',
  /** client → server: no payload, acked at once by `@lifeline/server`: proof that the connection is alive. */
  heartbeat: 'lifeline:heartbeat',
  /**
   * client → server: `{ event, data, id }`, an emit with an idempotency key (as `POST /emit`): the
   * server runs the `on(event)` handler once per id and acks with its reply. A shared connection's
   * leader sends a tab's emits with acks this way, so a new leader may send them again.
   */
  emit: 'lifeline:emit',
  /**
   * server → client: a channel's members, `{ channel, members, v }` (snapshot) or
   * `{ channel, set, del, v, prev }` (change from version `prev` to `v`). client → server:
   * `{ channel }`, "send me a snapshot" (a change did not follow the version it holds).
   */
  presence: 'lifeline:presence',
  /** Reserved: applications may not name their own events with it. */
  prefix: 'lifeline:',
} as const;

/** A logged event as it travels: `lifeline:event` payload and one entry of a poll answer. */
export interface WireEvent {
  readonly id: string;
  readonly channel: string;
  readonly event: string;
  readonly data: unknown;
}

/** The payload of `lifeline:join`. */
export interface JoinRequest {
  readonly channel: string;
  readonly cursor?: string;
}

/**
 * The ack of `lifeline:join`: the cursor the channel resumes from, or a refusal. A
 * `CURSOR_EXPIRED` refusal may carry the server's latest id as `cursor`; `LIMIT` (too many
 * channels on one socket) says the most allowed.
 */
export type JoinAnswer =
  | { readonly ok: true; readonly cursor: string }
  | { readonly ok: false; readonly code: 'FORBIDDEN' | 'CURSOR_EXPIRED' | 'BAD_REQUEST' | 'UNAUTHORIZED'; readonly message: string; readonly cursor?: string }
  | { readonly ok: false; readonly code: 'LIMIT'; readonly message: string; readonly max: number };

/** The ack of `lifeline:leave`. */
export type LeaveAnswer = { readonly ok: true } | { readonly ok: false; readonly code: 'BAD_REQUEST'; readonly message: string };
