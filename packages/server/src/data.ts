/**
 * Event data must be JSON: it is logged, sent over Socket.IO and answered to polls as JSON. Data
 * JSON cannot encode (a BigInt, a cyclic object, a bare function or symbol, a throwing `toJSON`)
 * is refused before anything is logged or sent; otherwise a later poll would answer 500 and socket
 * delivery would throw in the middle of a fan-out.
 */
import { LifelineServerError } from './errors';

/**
 * `JSON.stringify(data)`, or a `BAD_REQUEST` `LifelineServerError` naming `where` and what JSON
 * could not encode. The one encode a publish pays: stores that serialize take this string
 * (`EventStore.append`'s `json`) instead of encoding again. As in `JSON.stringify`, properties
 * whose value is `undefined` or a function are left out.
 */
export function encodeData(data: unknown, where: string, details: Readonly<Record<string, unknown>> = {}): string {
  let json: string | undefined;
  let reason: string;
  try {
    json = JSON.stringify(data);
    reason = `a ${typeof data} has no JSON form`;
  } catch (error) {
    reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  }
  if (json !== undefined) return json;
  throw new LifelineServerError(
    'BAD_REQUEST',
    `${where}: data is not JSON-serializable (${reason}). Pass plain JSON data: turn BigInt values into strings or numbers, ` +
      'drop cyclic references and functions, or give the object a toJSON() method.',
    details,
  );
}
