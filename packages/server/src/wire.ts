/**
 * Wire names of the Lifeline protocol over Socket.IO (docs/protocol.md), defined once for the
 * companion. `@lifeline/core` speaks the same names (its `WIRE`).
 */
export const WIRE = {
  /** server → client: a logged event `{ id, channel, event, data }`. */
  event: 'lifeline:event',
  /** client → server: `{ channel, cursor? }`, acked. */
  join: 'lifeline:join',
  /** client → server: `{ channel }`, acked. */
  leave: 'lifeline:leave',
  /** client → server: `{ channel, limit, before? }`, acked `{ ok, events, cursor }`. */
  history: 'lifeline:history',
  /** client → server: no payload, acked at once (the client's heartbeat: proof the connection is alive). */
  heartbeat: 'lifeline:heartbeat',
  /** server → client: a channel's members, `{ channel, members }` (snapshot) or `{ channel, set, del }` (change). */
  presence: 'lifeline:presence',
} as const;
