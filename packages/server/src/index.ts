/**
 * @lifeline/server: the Node companion for any Socket.IO v4 server — an event log with cursors
 * (replay on join, no loss, no duplicates), channel authorization on every join and poll, client
 * emits with acks from every carrier, and the HTTP long-poll endpoint of the `http` transport.
 */
export { createLifeline } from './createLifeline';
export { memoryStore } from './stores/memory';
export type { MemoryStoreOptions } from './stores/memory';
export { redisStore } from './stores/redis';
export { redisPresence } from './presence/redis';
export type { RedisPresenceOptions } from './presence/redis';
export type { RedisStoreOptions, RedisCommandClient } from './stores/redis';
export { compareIds, isEventId } from './ids';
export { LifelineServerError, CursorExpiredError } from './errors';
export type { LifelineServerErrorCode } from './errors';
export type {
  Lifeline,
  LifelineOptions,
  LifelineStats,
  LifelineHttpHandler,
  AuthContext,
  AuthPayload,
  Authenticate,
  Authorize,
  EmitHandler,
  EventStore,
  StoredEvent,
  NewEvent,
  Member,
  PresenceIdentity,
  PresenceShare,
  PresenceMessage,
} from './types';
