/**
 * `@lifeline/vue`: a plugin and composables over `@lifeline/core`. Core stays a peer, so only
 * its types are re-exported here.
 */
export { createLifeline } from './plugin';
export type { LifelinePlugin } from './plugin';
export { LIFELINE_KEY, useLifeline } from './injection';
export { useConnectionState } from './useConnectionState';
export { useRealtime } from './useRealtime';
export type { Realtime } from './useRealtime';
export { useEvent } from './useEvent';
export { useChannel } from './useChannel';
export { useChannelEvent } from './useChannelEvent';
export { useLatest } from './useLatest';
export { usePresence } from './usePresence';
export type { BoundEmit, HookEventName, HookHandler, HookPayload, InferEvents, RegisteredClient, Register } from './types';
export type { Channel, ChannelPresence, PresenceMember, ClientOptions, ConnectionState, ConnectionStatus, EventMeta, EventSchemas, LifelineClient, LifelineError, TransportName } from '@lifeline/core';
