'use client';
/**
 * `@lifeline/react`: a Provider and hooks over `@lifeline/core`. Client-only (every export uses
 * hooks or context); core stays a peer, so only its types are re-exported here.
 */
export { LifelineProvider } from './LifelineProvider';
export type { LifelineProviderProps } from './LifelineProvider';
export { useLifeline } from './context';
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
