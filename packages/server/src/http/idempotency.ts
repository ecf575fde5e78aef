/**
 * Remembers the outcome of recent emits by key, so a retried `POST /emit` with the same id gets
 * the same answer and the handler runs once. Bounded: the oldest keys are forgotten first.
 */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class IdempotencyCache {
  readonly #max: number;
  readonly #entries = new Map<string, Promise<Outcome>>();

  constructor(max: number) {
    this.#max = Math.max(1, max);
  }

  /** Runs `work` once per key; concurrent and later calls with the key share its outcome. */
  run(key: string, work: () => Promise<unknown>): Promise<Outcome> {
    const known = this.#entries.get(key);
    if (known) return known;
    const outcome = work().then(
      (value): Outcome => ({ ok: true, value }),
      (error: unknown): Outcome => ({ ok: false, error }),
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
