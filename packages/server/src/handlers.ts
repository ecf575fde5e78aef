import { encodeData } from './data';
import type { EmitHandler } from './types';
import { WIRE } from '@lifeline/core/protocol';

/** Registry of `on(event, handler)`: one handler per event name, shared by every carrier. */
export class HandlerRegistry<User> {
  readonly #handlers = new Map<string, EmitHandler<User>>();

  on(event: string, handler: EmitHandler<User>): () => void {
    if (typeof event !== 'string' || event === '' || event.startsWith(WIRE.prefix)) {
      throw new TypeError(`lifeline.on: event must be a non-empty string not starting with "lifeline:", got ${JSON.stringify(event)}.`);
    }
    if (typeof handler !== 'function') throw new TypeError(`lifeline.on("${event}"): handler must be a function.`);
    this.#handlers.set(event, handler);
    return () => {
      if (this.#handlers.get(event) === handler) this.#handlers.delete(event);
    };
  }

  has(event: string): boolean {
    return this.#handlers.has(event);
  }

  /**
   * Runs the handler; resolves with its (awaited) return value, `null` for undefined. A return
   * value JSON cannot carry (a BigInt, a cycle) rejects here, as a failure of the handler: sent as
   * an ack it would throw inside socket.io's encoder, after the handler, where nothing catches it.
   */
  async run(event: string, data: unknown, user: User): Promise<unknown> {
    const handler = this.#handlers.get(event);
    if (!handler) throw new Error(`no handler for "${event}"`);
    const reply = await handler(data, user);
    if (reply === undefined) return null;
    encodeData(reply, `the on("${event}") handler's return value`, { event });
    return reply;
  }
}
