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
    // Nothing waiting (the common case, one event at a time): handled at once, never queued.
    if (!this.#busy && this.#head === this.#queue.length) return this.#handle(event, data, meta);
    this.#queue.push({ event, data, meta });
    if (!this.#busy) this.#drain();
  }

  stop(): void {
    this.#stopped = true;
    this.#queue = [];
    this.#head = 0;
  }

  #drain(): void {
    while (this.#head < this.#queue.length && !this.#stopped && !this.#busy) {
      const item = this.#queue[this.#head++]!;
      if (this.#head === this.#queue.length) {
        // Drained: start over.
        this.#queue = [];
        this.#head = 0;
      }
      this.#handle(item.event, item.data, item.meta);
    }
  }

  /** Validates and delivers one event; an async schema makes the rest wait (`#busy`) until it settles. */
  #handle(event: string, data: unknown, meta: EventMeta): void {
    const schema = Object.hasOwn(this.#schemas, event) ? this.#schemas[event] : undefined;
    if (!schema) return this.#deliver(event, data, meta);
    let result: StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>>;
    try {
      // `args(schema)` validates the whole argument list (see args.ts).
      result = schema['~standard'].validate('~args' in schema ? (meta.args ?? (data === undefined ? [] : [data])) : data);
    } catch (e) {
      return this.#invalid(event, meta, [{ message: messageOf(e) }]);
    }
    if (result instanceof Promise) {
      this.#busy = true;
      result.then(
        (r) => this.#settle(event, meta, r),
        (e: unknown) => this.#invalid(event, meta, [{ message: messageOf(e) }]),
      ).finally(() => {
        this.#busy = false;
        this.#drain();
      });
      return;
    }
    this.#settle(event, meta, result);
  }

  #settle(event: string, meta: EventMeta, result: StandardSchemaV1.Result<unknown>): void {
    if (this.#stopped) return;
    if (result.issues) this.#invalid(event, meta, result.issues);
    else this.#deliver(event, result.value, meta);
  }

  #invalid(event: string, meta: EventMeta, issues: ReadonlyArray<StandardSchemaV1.Issue>): void {
    if (this.#stopped) return;
    this.#error(reported('VALIDATION', 'invalid', { event, channel: meta.channel, issues }));
  }
}
