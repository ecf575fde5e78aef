/**
 * Remembers the results of recent successful emits by key, so a retried `POST /emit` with the same
 * id gets the same answer and the handler runs once. A failure is not remembered: the client
 * retries a 5xx, and that retry runs the handler again. Concurrent calls with a key share the run
 * in progress (its failure too). Bounded: the oldest keys are forgotten first.
 */
export type Outcome = { ok: true; value: unknown } | { ok: false };

export class IdempotencyCache {
  readonly #max: number;
  readonly #entries = new Map<string, Promise<Outcome>>();

  constructor(max: number) {
    this.#max = Math.max(1, max);
  }

  /**
   * Runs `work` once per key: calls while it runs share its outcome; later calls get its value if
   * it succeeded, and run `work` again if it failed.
   */
  run(key: string, work: () => Promise<unknown>): Promise<Outcome> {
    const known = this.#entries.get(key);
    if (known) return known;
    const outcome: Promise<Outcome> = work().then(
      (value): Outcome => ({ ok: true, value }),
      (): Outcome => {
        // Forgotten once settled (if still ours: clear() or eviction may have dropped it already).
        // Only that it failed is shared: `work` reports its own failure (emit.ts does).
        if (this.#entries.get(key) === outcome) this.#entries.delete(key);
        return { ok: false };
      },
    );
    this.#entries.set(key, outcome);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return outcome;
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}
