/**
 * Types the framework bindings (`@lifeline/react`, `@lifeline/vue`) share: the event map of a
 * client type and the handler, payload and emit types their hooks and composables are typed
 * with. Written once here; the bindings re-export them. Types only: nothing in the bundle.
 */
import type { Channel, EmitOptions, EventHandler, EventName, EventSchemas, LifecycleEvents, VolatileEmitOptions } from './types';

/**
 * The event map of a client type.
 *
 * @example
 * ```ts
 * type Events = InferEvents<typeof client>; // { 'ticket:updated': ZodObject<…> }
 * ```
 */
export type InferEvents<C> = C extends { channel(name: string): Channel<infer E> } ? E : EventSchemas;

/** Event names a hook accepts for client `C`: its declared events plus the lifecycle events. */
export type HookEventName<C> = EventName<InferEvents<C>> | keyof LifecycleEvents;

/** The handler type of event `K` of client `C` (lifecycle events keep their own signatures). */
export type HookHandler<C, K> = K extends keyof LifecycleEvents
  ? LifecycleEvents[K]
  : K extends EventName<InferEvents<C>>
    ? EventHandler<InferEvents<C>, K>
    : never;

/** The payload of event `K` of client `C`. */
export type HookPayload<C, K> = Parameters<HookHandler<C, K>>[0];

/** `client.emit`, bound: fire-and-forget, or a promise of the server's reply with `{ ack: true }`. */
export interface BoundEmit {
  (event: string, data?: unknown): void;
  /** Volatile: sent only if connected right now, never queued. */
  (event: string, data: unknown, options: VolatileEmitOptions): void;
  <R = unknown>(event: string, data: unknown, options: EmitOptions & { readonly ack: true; readonly volatile?: false }): Promise<R>;
}
