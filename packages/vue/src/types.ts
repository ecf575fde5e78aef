/**
 * Type plumbing that gives hooks back the client's event map, which Vue's inject erases:
 * either from the `Register` interface users augment once, or from a client passed as the
 * trailing argument.
 */
import type { LifelineClient } from '@lifeline/core';

/**
 * Augment once to type every composable that reads the client from the plugin (`app.use(createLifeline(…))`).
 *
 * @example
 * ```ts
 * declare module '@lifeline/vue' {
 *   interface Register {
 *     client: typeof client;
 *   }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type
export interface Register {}

/** The client type hooks assume when no client is passed: `Register['client']`, else an untyped client. */
export type RegisteredClient = Register extends { client: infer C extends LifelineClient } ? C : LifelineClient;

/** Shared with the other binding, written once in `@lifeline/core`. */
export type { BoundEmit, HookEventName, HookHandler, HookPayload, InferEvents } from '@lifeline/core';
