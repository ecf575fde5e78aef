/**
 * One HTTP exchange for the http transport: fetch with an AbortSignal and a deadline, read the
 * body as text, classify it. Network failures and deadlines become answers too, so callers
 * handle a single union.
 */
import { LifelineError } from '../errors';
import { deadline } from '../deadline';
import { classifyAnswer, type HttpAnswer } from './httpProtocol';

export type Exchange = HttpAnswer | { readonly kind: 'aborted' } | { readonly kind: 'timeout'; readonly error: LifelineError };

export interface ExchangeOptions {
  readonly fetch: typeof fetch;
  readonly url: string;
  readonly init: RequestInit;
  /** Aborts the exchange (close(), a join interrupting a long-poll). */
  readonly signal: AbortSignal;
  /** Give up after this long, ms. */
  readonly deadlineMs: number;
}

export async function exchange({ fetch: doFetch, url, init, signal, deadlineMs }: ExchangeOptions): Promise<Exchange> {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort();
  signal.addEventListener('abort', onAbort);
  const cancel = deadline(deadlineMs, () => {
    timedOut = true;
    controller.abort();
  });
  try {
    const res = await doFetch(url, { ...init, signal: controller.signal });
    const text = await res.text();
    return classifyAnswer(res.status, res.headers.get('content-type'), text, res.headers.get('retry-after'), url);
  } catch (cause) {
    if (timedOut) {
      return { kind: 'timeout', error: new LifelineError('TIMEOUT', `No answer from ${url} within ${deadlineMs} ms.`, { url, timeoutMs: deadlineMs, transport: 'http' }, { cause }) };
    }
    if (signal.aborted) return { kind: 'aborted' };
    return { kind: 'unreachable', error: new LifelineError('UNREACHABLE', `Cannot reach ${url}: ${(cause as Error)?.message ?? String(cause)}`, { url, transport: 'http' }, { cause }) };
  } finally {
    cancel();
    signal.removeEventListener('abort', onAbort);
  }
}
