/**
 * `POST {base}/emit` with a client-generated idempotency id, retried with the SAME id on network
 * failures, 5xx and 429 (honouring Retry-After), so the server runs the handler once.
 */
import { LifelineError } from '../errors';
import { exchange } from './httpRequest';

/** Emit retries after the first try. */
export const EMIT_RETRIES = 2;

export interface EmitDeps {
  readonly fetch: typeof fetch;
  readonly url: string;
  readonly headers: Record<string, string>;
  /** Aborted when the transport closes. */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** Waits between retries (cancelled by close). */
  readonly delay: (ms: number) => Promise<void>;
  /** Retries after the first try. @default EMIT_RETRIES (0 for a volatile emit: one best-effort POST) */
  readonly retries?: number;
}

/** The outcome to report through the ack; `unauthorized` asks the transport to close. */
export interface EmitOutcome {
  readonly error: LifelineError | null;
  readonly reply?: unknown;
  readonly unauthorized?: boolean;
}

export async function postEmit(deps: EmitDeps, event: string, data: unknown, id: string): Promise<EmitOutcome> {
  let body: string;
  try {
    body = JSON.stringify({ event, data, id });
  } catch (cause) {
    return { error: new LifelineError('BAD_INPUT', `The "${event}" payload cannot be sent as JSON.`, { event, transport: 'http', serverMessage: 'Emit plain JSON data (no cycles, no BigInt).' }, { cause }) };
  }
  const closed = () => ({ error: new LifelineError('CLOSED', 'The http transport closed before the server answered.', { event, transport: 'http' }) });
  for (let attempt = 0; ; attempt++) {
    if (deps.signal.aborted) return closed();
    const answer = await exchange({
      fetch: deps.fetch,
      url: deps.url,
      init: { method: 'POST', headers: { ...deps.headers, 'content-type': 'application/json' }, body },
      signal: deps.signal,
      deadlineMs: deps.timeoutMs,
    });
    switch (answer.kind) {
      case 'ok':
        return { error: null, reply: answer.body.ack ?? null };
      case 'handler-error':
        return { error: null, reply: { error: 'HANDLER_ERROR', message: answer.body.message } };
      case 'aborted':
        return closed();
      case 'unauthorized':
        return { error: answer.error, unauthorized: true };
      case 'retry-after':
      case 'unreachable':
      case 'timeout':
        if (attempt >= (deps.retries ?? EMIT_RETRIES)) {
          return { error: answer.kind === 'retry-after' ? new LifelineError('UNREACHABLE', `Rate limited while sending "${event}".`, { event, status: 429, transport: 'http' }) : answer.error };
        }
        await deps.delay(answer.kind === 'retry-after' ? answer.ms : 250 * (attempt + 1));
        continue;
      case 'expired':
        return { error: new LifelineError('PROTOCOL', `Unexpected 410 for "${event}".`, { event, status: 410, transport: 'http' }) };
      default:
        return { error: answer.error };
    }
  }
}
