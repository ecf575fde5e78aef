/**
 * A small typed emitter whose `on` returns `off`. Listeners run in the order they were added;
 * a listener added or removed during an emit takes effect from the next emit (the list is
 * copied on write, so an emit iterates a stable snapshot without copying on the hot path).
 * @internal
 */
export class Emitter<Events extends { [K in keyof Events]: (...args: never[]) => void }> {
  #listeners = new Map<keyof Events, ReadonlyArray<(...args: unknown[]) => void>>();

  on<K extends keyof Events & string>(event: K, listener: Events[K]): () => void {
    const fn = listener as unknown as (...args: unknown[]) => void;
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), fn]);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const rest = (this.#listeners.get(event) ?? []).filter((f, i, all) => f !== fn || all.indexOf(fn) !== i);
      if (rest.length) this.#listeners.set(event, rest);
      else this.#listeners.delete(event);
    };
  }

  emit<K extends keyof Events & string>(event: K, ...args: Parameters<Events[K]>): void {
    const list = this.#listeners.get(event);
    if (list) for (const fn of list) fn(...(args as unknown[]));
  }

  listenerCount(event?: keyof Events & string): number {
    if (event !== undefined) return this.#listeners.get(event)?.length ?? 0;
    let n = 0;
    for (const list of this.#listeners.values()) n += list.length;
    return n;
  }

  removeAll(): void {
    this.#listeners.clear();
  }
}
