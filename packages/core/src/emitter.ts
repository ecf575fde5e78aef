import EventEmitter from 'eventemitter3';

/**
 * A small typed emitter over eventemitter3 whose `on` returns `off`.
 * @internal
 */
export class Emitter<Events extends { [K in keyof Events]: (...args: never[]) => void }> {
  readonly #ee = new EventEmitter();

  on<K extends keyof Events & string>(event: K, listener: Events[K]): () => void {
    const fn = listener as unknown as (...args: unknown[]) => void;
    this.#ee.on(event, fn);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#ee.off(event, fn);
    };
  }

  emit<K extends keyof Events & string>(event: K, ...args: Parameters<Events[K]>): boolean {
    return this.#ee.emit(event, ...(args as unknown[]));
  }

  listenerCount(event?: keyof Events & string): number {
    if (event !== undefined) return this.#ee.listenerCount(event);
    return this.#ee.eventNames().reduce((n, e) => n + this.#ee.listenerCount(e), 0);
  }

  removeAll(): void {
    this.#ee.removeAllListeners();
  }
}
