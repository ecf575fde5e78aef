/** Default numbers, in one place (the wire names are protocol.ts'). */

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
  rungMemoryTtlMs: 10 * 60_000,
} as const;

/** Lifeline protocol event names over Socket.IO: written once, in protocol.ts. */
export { WIRE } from './protocol/wire';

export const STORAGE_KEY_PREFIX = 'lifeline:rung:';

/** Lifecycle event names that an `events` map may not declare. */
export const RESERVED_EVENTS = ['error', 'transport'] as const;
