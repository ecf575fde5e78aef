/**
 * Validation of incoming payloads with Standard Schema (sync or async), in arrival order: an
 * event waits for the validation of the events before it, so async schemas cannot reorder.
 * @internal
 */
import { messageOf, reported, type LifelineError } from './errors';
import type { StandardSchemaV1 } from './standardSchema';
import type { EventMeta, EventSchemas } from './types';

interface Item {
  readonly event: string;
  readonly data: unknown;
  readonly meta: EventMeta;
}

/** @internal */
export class Deliverer {
  readonly #schemas: EventSchemas;
  readonly #deliver: (event: string, payload: unknown, meta: EventMeta) => void;
  readonly #error: (error: LifelineError) => void;
  /** Items not yet delivered start at `#head` (no `shift()`: it moves every item left, per event). */
  #queue: Item[] = [];
  #head = 0;
  #busy = false;
  #stopped = false;

  constructor(schemas: EventSchemas, deliver: (event: string, payload: unknown, meta: EventMeta) => void, error: (error: LifelineError) => void) {
    this.#schemas = schemas;
    this.#deliver = deliver;
    this.#error = error;
  }

  push(event: string, data: unknown, meta: EventMeta): void {
    if (this.#stopped) return;
    this.#queue.push({ event, data, meta });
    if (!this.#busy) this.#drain();
  }

  stop(): void {
    this.#stopped = true;
    this.#queue = [];
    this.#head = 0;
  }

  #drain(): void {
    while (this.#head < this.#queue.length && !this.#stopped) {
      const item = this.#queue[this.#head++]!;
      if (this.#head === this.#queue.length) {
        // Drained: start over (the common case is one event at a time, never a backlog).
        this.#queue = [];
        this.#head = 0;
      }
      const schema = Object.hasOwn(this.#schemas, item.event) ? this.#schemas[item.event] : undefined;
      if (!schema) {
        this.#deliver(item.event, item.data, item.meta);
        continue;
      }
      let result: StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>>;
      try {
        // `args(schema)` validates the whole argument list (see args.ts).
        result = schema['~standard'].validate('~args' in schema ? (item.meta.args ?? (item.data === undefined ? [] : [item.data])) : item.data);
      } catch (e) {
        this.#invalid(item, [{ message: messageOf(e) }]);
        continue;
      }
      if (result instanceof Promise) {
        this.#busy = true;
        result.then(
          (r) => this.#settle(item, r),
          (e: unknown) => this.#invalid(item, [{ message: messageOf(e) }]),
        ).finally(() => {
          this.#busy = false;
          this.#drain();
        });
        return;
      }
      this.#settle(item, result);
    }
  }

  #settle(item: Item, result: StandardSchemaV1.Result<unknown>): void {
    if (this.#stopped) return;
    if (result.issues) this.#invalid(item, result.issues);
    else this.#deliver(item.event, result.value, item.meta);
  }

  #invalid(item: Item, issues: ReadonlyArray<StandardSchemaV1.Issue>): void {
    if (this.#stopped) return;
    this.#error(reported('VALIDATION', 'invalid', { event: item.event, channel: item.meta.channel, issues }));
  }
}
