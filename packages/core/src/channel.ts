import type { ChannelEvents, ChannelRegistry } from './channels';
import { Disposables } from './disposables';
import type { Channel, ChannelOptions, ChannelPresence, PresenceMember, EventHandler, EventName, EventSchemas, HistoryEvent, HistoryQuery } from './types';

const NONE: readonly PresenceMember[] = Object.freeze([]);

/**
 * The handle `client.channel(name)` returns. Each handle holds one reference on the channel;
 * `leave()` releases it and the handlers it added.
 * @internal
 */
export class ChannelHandle<E extends EventSchemas> implements Channel<E> {
  readonly name: string;
  readonly #registry: ChannelRegistry;
  readonly #offs = new Disposables();
  #left = false;
  #presence: ChannelPresence | undefined;

  constructor(registry: ChannelRegistry, name: string, options?: ChannelOptions) {
    this.name = name;
    this.#registry = registry;
    registry.acquire(name, options);
  }

  history<T = HistoryEvent<E>>(query: HistoryQuery): Promise<ReadonlyArray<T>> {
    return this.#registry.history((m, d) => m.readHistory(d, this.name, query) as Promise<ReadonlyArray<T>>);
  }

  on<K extends EventName<E>>(event: K, handler: EventHandler<E, K>): () => void {
    const entry = this.#registry.get(this.name);
    if (this.#left || !entry) return () => {};
    return this.#offs.add(entry.handlers.on(event, handler as ChannelEvents[string]));
  }

  get presence(): ChannelPresence {
    // Presence events ride on the channel's own emitter under names no server event can have.
    const on = (name: string, listener: unknown) => this.on(`\0${name}` as never, listener as never);
    return (this.#presence ??= {
      get: () => this.#registry.get(this.name)?.members ?? NONE,
      subscribe: (listener) => on('members', listener),
      on,
    });
  }

  leave(): void {
    if (this.#left) return;
    this.#left = true;
    this.#offs.dispose();
    this.#registry.release(this.name);
  }
}
