/** Default numbers and wire names, in one place. */

export const DEFAULTS = {
  namespace: '/',
  path: '/socket.io',
  attempts: 3,
  delayMs: 1000,
  maxDelayMs: 3000,
  jitter: 0.5,
  timeoutMs: 5000,
  upgradeIntervalMs: 30_000,
  /** A websocket attempt that has neither opened nor failed after this long races the next rung. */
  headStartMs: 250,
  /** A connection that dies within this window after opening counts as a failed attempt. */
  probationMs: 3000,
  /** Heartbeat after this long without an incoming frame (silent death noticed within interval + timeout). */
  heartbeatIntervalMs: 2000,
  heartbeatTimeoutMs: 2000,
  outboxMaxSize: 100,
  outboxMaxAgeMs: 60_000,
  ackTimeoutMs: 5000,
  httpIntervalMs: 3000,
  httpWaitSeconds: 25,
  rungMemoryTtlMs: 10 * 60_000,
} as const;

/** Lifeline protocol event names over Socket.IO (PROTOCOL.md). */
export const WIRE = {
  event: 'lifeline:event',
  join: 'lifeline:join',
  leave: 'lifeline:leave',
  history: 'lifeline:history',
  presence: 'lifeline:presence',
  /** Client → server, acked at once by `@lifeline/server`: proof that the connection is alive. */
  heartbeat: 'lifeline:heartbeat',
} as const;

export const STORAGE_KEY_PREFIX = 'lifeline:rung:';

/** Lifecycle event names that an `events` map may not declare. */
export const RESERVED_EVENTS = ['error', 'transport'] as const;
