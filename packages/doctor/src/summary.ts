/**
 * Pure: from the layers to what works, what is broken and what the Lifeline client will do with
 * it (its ladder: websocket → polling → http; refusals and bad namespaces are not retried forever).
 */
import { UPGRADE_INTERVAL_MS } from './constants';
import type { LayerName, LayerResult, Summary } from './types';

const everyMs = `every ${UPGRADE_INTERVAL_MS / 1000} s`;

/**
 * Summarizes the layers of one diagnosis.
 *
 * @example
 * ```ts
 * summarize(layers).lifeline; // "WebSocket is blocked but polling works: Lifeline will run on polling and probe WebSocket every 30 s."
 * ```
 */
export function summarize(layers: readonly LayerResult[]): Summary {
  const by = (name: LayerName) => layers.find((l) => l.layer === name);
  const is = (name: LayerName, status: LayerResult['status']) => by(name)?.status === status;
  const works = layers.filter((l) => l.status === 'ok').map((l) => l.layer);
  const broken = layers.filter((l) => l.status === 'broken').map((l) => l.layer);
  const url = by('url');
  const ns = by('namespace');
  // The URL could not be parsed: every later layer is skipped (diagnoses made before the dns layer existed: from tcp on).
  const unusable = url?.status === 'broken' && (by('dns') ? is('dns', 'skipped') : is('tcp', 'skipped'));

  const decide = (): Pick<Summary, 'transport' | 'lifeline'> => {
    if (unusable) return { transport: null, lifeline: 'Lifeline cannot start: createClient rejects this URL.' };
    if (ns?.status === 'broken') {
      if (ns.code === 'INVALID_NAMESPACE') return { transport: null, lifeline: 'Lifeline will stop with INVALID_NAMESPACE: a configuration error it does not retry. Fix the namespace.' };
      if (ns.code === 'UNAUTHORIZED' || ns.code === 'FORBIDDEN') return { transport: null, lifeline: `The server refuses the credentials: Lifeline reports ${ns.code} and stops after \`reconnect.attempts\` refusals (another transport would get the same answer).` };
      return { transport: null, lifeline: "The server's Socket.IO layer does not let the connection in: Lifeline retries with backoff and reports the error." };
    }
    const nsOk = ns?.status === 'ok';
    if (nsOk && is('websocket', 'ok')) {
      return { transport: 'websocket', lifeline: is('http', 'ok') ? 'Everything works: Lifeline will connect over WebSocket.' : 'WebSocket works: Lifeline will connect over it, but it has no polling fallback if WebSocket breaks later.' };
    }
    if (nsOk && is('http', 'ok')) return { transport: 'polling', lifeline: `WebSocket is blocked but polling works: Lifeline will run on polling and probe WebSocket ${everyMs}.` };
    if (is('companion', 'ok')) return { transport: 'http', lifeline: `Socket.IO cannot be reached, but the Lifeline HTTP endpoint answers: with \`http: { url }\` set, Lifeline will run on the http rung and probe WebSocket ${everyMs}.` };
    return { transport: null, lifeline: 'Lifeline cannot connect: it keeps retrying with backoff (at most `maxDelayMs` apart) until the first broken layer is fixed.' };
  };

  const behind = decide();
  // A certificate the client refuses stops it before Socket.IO; with --insecure the layers behind were checked anyway.
  const { transport, lifeline } = is('tls', 'broken')
    ? { transport: null, lifeline: `Lifeline cannot connect: the client (like a browser) refuses the server's certificate and retries with backoff until it is fixed.${is('http', 'skipped') ? '' : ` Behind the certificate (checked with --insecure): ${behind.lifeline}`}` }
    : behind;
  const notes: string[] = [];
  if (url?.status === 'broken' && !unusable) notes.push('First give createClient the origin only: it rejects a URL with a path.');
  notes.push(lifeline);
  if (transport !== null && transport !== 'http' && is('companion', 'broken')) notes.push('The http rung would fail too: fix the endpoint before relying on it.');
  return { works, broken, transport, lifeline: notes.join(' ') };
}
