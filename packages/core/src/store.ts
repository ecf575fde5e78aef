import { reduce, type Action } from './state';
import type { ConnectionState } from './types';

/**
 * The snapshot store: `dispatch` reduces, keeps the same object when nothing changed, freezes,
 * swaps and notifies every listener once. `getState`/`subscribe` are bound arrows.
 * @internal
 */
export class StateStore {
  #state: ConnectionState;
  readonly #listeners = new Set<(state: ConnectionState, prev: ConnectionState, action: Action) => void>();

  constructor(initial: ConnectionState) {
    this.#state = Object.freeze(initial);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  getState = (): ConnectionState => this.#state;

  /** `client.subscribeState` hands in a fresh wrapper per call, so one function may subscribe twice. */
  subscribe = (listener: (state: ConnectionState, prev: ConnectionState, action: Action) => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  dispatch(action: Action): ConnectionState {
    const prev = this.#state;
    const next = reduce(prev, action);
    if (next === prev) return prev;
    this.#state = Object.freeze(next);
    for (const listener of [...this.#listeners]) listener(this.#state, prev, action);
    return this.#state;
  }

  clear(): void {
    this.#listeners.clear();
  }
}
