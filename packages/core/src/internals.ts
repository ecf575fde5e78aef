/**
 * A registry that lets `@lifeline/core/testing` read live counts of a client without poking at
 * privates.
 * @internal
 */
import type { TransportName } from './transports/types';

/** Live resources of one client. */
export interface ClientCounts {
  /** Pending Lifeline timers (retry, head start, probe, acks, deferred leaves). */
  readonly timers: number;
  /** Listeners: app handlers, channel handlers, state subscribers, DOM listeners. */
  readonly listeners: number;
  /** Live transports (each owns one socket / request loop). */
  readonly sockets: number;
  /** Names of the live transports. */
  readonly transports: readonly TransportName[];
}

/** @internal */
export const INSPECTORS = new WeakMap<object, () => ClientCounts>();
