import type { IncomingMessage } from 'node:http';
import type { EventBus } from '../bus';
import type { HandlerRegistry } from '../handlers';
import type { EventStore } from '../stores/types';

/** What the HTTP endpoints share with the rest of the companion. */
export interface HttpContext<User> {
  readonly store: EventStore;
  readonly bus: EventBus;
  readonly handlers: HandlerRegistry<User>;
  /** Authenticates from headers; throws a 400/401 `LifelineServerError`. */
  authenticate(req: IncomingMessage): Promise<User>;
  /** Throws a 403 naming the first channel the user may not read. */
  authorizeAll(user: User, channels: readonly string[]): Promise<void>;
  readonly maxBodyBytes: number;
  /** How long a request body may take to arrive, ms (then 408). */
  readonly bodyTimeoutMs: number;
  /** Most channels one poll may name. */
  readonly maxChannels: number;
  readonly maxWaitSeconds: number;
  readonly idempotencyKeys: number;
  readonly onError: (error: unknown, context: { readonly where: string }) => void;
  readonly closed: () => boolean;
  /**
   * Presence of a poll: registers poller `sid` of `user` in the presence-enabled ones of
   * `channels` until `expires`, and returns their members by channel. Absent without presence.
   */
  readonly presence?: ((sid: string, user: User, channels: readonly string[], expires: number) => Record<string, unknown>) | undefined;
  /** True when the presence snapshot (JSON) differs from the last one poller `sid` was sent; records it unless `record` is false. */
  readonly presenceChanged?: ((sid: string, json: string, record?: boolean) => boolean) | undefined;
}
