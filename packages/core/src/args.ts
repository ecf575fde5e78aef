/**
 * `args(schema)`: declares an event the server emits with several arguments
 * (`socket.emit('message', user, text)`). Tree-shakeable: only apps that use it pay for it.
 */
import type { StandardSchemaV1 } from './standardSchema';

/** A schema of all an event's arguments (made by `args`); the payload is their tuple. */
export interface ArgsSchema<T extends readonly unknown[] = readonly unknown[]> extends StandardSchemaV1<unknown, T> {
  /** Marks the schema as one of the whole argument list. */
  readonly '~args': true;
}

/**
 * Wraps a tuple schema (any Standard Schema) so that it validates every argument of the event,
 * not only the first: the handler's payload is the validated tuple, typed from the schema.
 *
 * @example
 * ```ts
 * const client = createClient({
 *   url: 'https://api.example.com',
 *   events: { message: args(z.tuple([z.object({ name: z.string() }), z.string()])) },
 * });
 * client.on('message', ([user, text], meta) => console.log(user.name, text, meta.transport));
 * ```
 */
export function args<T extends readonly unknown[]>(schema: StandardSchemaV1<unknown, T>): ArgsSchema<T> {
  return { '~standard': schema['~standard'], '~args': true };
}
