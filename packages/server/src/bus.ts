import type { StoredEvent } from './stores/types';

/** In-process fan-out of freshly logged events to joined sockets and waiting polls. */
export class EventBus {
  readonly #listeners = new Set<(event: StoredEvent) => void>();

  /** Listen; returns `off`. */
  on(listener: (event: StoredEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: StoredEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }

  get size(): number {
    return this.#listeners.size;
  }
}
