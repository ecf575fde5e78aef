/**
 * The one lifecycle every transport shares (socketio.ts, http.ts, httpLazy.ts): alive, then dead
 * exactly once, either by `close()` (the ladder's: tear down, drop the listeners, no `close`
 * event) or by a failure (tear down at once, report `close` once, then drop the listeners).
 * Written once so that no transport forgets a step: before it, the lazy `http` rung reported its
 * failure and kept every listener.
 * @internal
 */
import { Emitter } from '../emitter';
import type { TransportEvents, TransportFailure } from './types';

/** @internal */
export class TransportLifecycle {
  readonly events = new Emitter<TransportEvents>();
  readonly #teardown: () => void;
  #dead = false;

  /** `teardown` ends everything the transport holds (sockets, requests, timers); called once. */
  constructor(teardown: () => void) {
    this.#teardown = teardown;
  }

  get dead(): boolean {
    return this.#dead;
  }

  on<K extends keyof TransportEvents>(event: K, listener: TransportEvents[K]): () => void {
    return this.#dead ? () => {} : this.events.on(event, listener);
  }

  /**
   * The ladder closes it: dead, torn down, listeners dropped, no `close` event (also not the one
   * of a failure still being classified).
   */
  close(): void {
    this.die();
    this.events.removeAll();
  }

  /** It failed: dead and torn down now, `close` reported once, then the listeners are dropped. */
  fail(failure: TransportFailure): void {
    if (this.die()) this.report(failure);
  }

  /**
   * Dead and torn down now, reported later with `report` (a transport that classifies its failure
   * with a lazily loaded module). False when it already was dead.
   */
  die(): boolean {
    if (this.#dead) return false;
    this.#dead = true;
    this.#teardown();
    return true;
  }

  /** Reports the failure of a transport that `die()`d, once, and drops the listeners. */
  report(failure: TransportFailure): void {
    this.events.emit('close', failure);
    this.events.removeAll();
  }
}
