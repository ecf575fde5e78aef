/**
 * `@lifeline/core`: a realtime client that keeps Socket.IO events flowing when WebSockets break.
 */
export { createClient } from './createClient';
export { LifelineError, isLifelineError, loadHints } from './errors';
export { lifelineChannelProtocol } from './channelProtocol';
export { args } from './args';
export type { ArgsSchema } from './args';
export type { AnyLifelineError, LifelineErrorCode, LifelineErrorDetails, LifelineErrorDetailsMap, LifelineErrorFacts } from './errors';
export type { AuthOption, AuthPayload, ClientOptions, HeartbeatOptions, NoReservedEvents, OutboxOptions, ReconnectOptions } from './options';
export type {
  AnyEventListener,
  Channel,
  ChannelOptions,
  ChannelPresence,
  ConnectionRole,
  ConnectionState,
  ConnectionStatus,
  EmitOptions,
  EventHandler,
  EventMeta,
  EventName,
  EventPayload,
  EventSchemas,
  HistoryEvent,
  HistoryQuery,
  LifecycleEvents,
  PresenceMember,
  LifelineClient,
  ReservedEventName,
  TransportChange,
  VolatileEmitOptions,
} from './types';
export type {
  AckCallback,
  ChannelEmit,
  ChannelJoinRequest,
  ChannelParams,
  ChannelProtocol,
  HttpTransportOptions,
  IncomingEvent,
  JoinResult,
  PollAdapter,
  PollCursor,
  PollEvent,
  PollRequest,
  PollResult,
  SendAdapter,
  Transport,
  TransportContext,
  TransportEvents,
  TransportFactory,
  TransportFailure,
  TransportFailureKind,
  TransportName,
} from './transports/types';
export type { SchemaOutput } from './types';
export type { BoundEmit, HookEventName, HookHandler, HookPayload, InferEvents } from './bindingTypes';
export type { StandardSchemaV1 } from './standardSchema';
