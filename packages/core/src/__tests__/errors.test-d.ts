import { describe, expectTypeOf, it } from 'vitest';
import { createClient, isLifelineError, LifelineError, type AnyLifelineError, type LifelineErrorDetails, type LifelineErrorFacts } from '../index';

describe('LifelineError details, typed per code', () => {
  it('each code takes its own facts: a typo, or a fact another code has, does not compile', () => {
    new LifelineError('VALIDATION', 'Invalid "price" payload.', { event: 'price', channel: 'room:1', issues: [{ message: 'Expected number' }] });
    new LifelineError('ACK_TIMEOUT', 'No ack.', { event: 'save', timeoutMs: 5000 });
    // @ts-expect-error `chanel` is no fact (a typo of `channel`)
    new LifelineError('FORBIDDEN', 'Refused.', { chanel: 'room:1' });
    // @ts-expect-error `issues` belong to VALIDATION, not to ACK_TIMEOUT
    new LifelineError('ACK_TIMEOUT', 'No ack.', { event: 'save', issues: [] });
    // @ts-expect-error OUTBOX_FULL names the event only
    const d: LifelineErrorDetails<'OUTBOX_FULL'> = { event: 'save', timeoutMs: 1 };
    void d;
  });

  it('checking code narrows details; a typo fails on an error of any code', () => {
    const client = createClient({ url: 'https://api.example.com' });
    client.on('error', (err) => {
      expectTypeOf(err).toEqualTypeOf<AnyLifelineError>();
      expectTypeOf(err.details.channel).toEqualTypeOf<string | undefined>(); // readable before narrowing
      // @ts-expect-error `chanel` is no fact
      void err.details.chanel;
      if (err.code === 'VALIDATION') {
        expectTypeOf(err.details.issues).toEqualTypeOf<LifelineErrorFacts['issues']>();
        expectTypeOf(err.details.url).toEqualTypeOf<undefined>(); // VALIDATION has no url
      }
      if (err.code === 'ACK_TIMEOUT') {
        expectTypeOf(err.details.timeoutMs).toEqualTypeOf<number | undefined>();
        expectTypeOf(err.details.issues).toEqualTypeOf<undefined>();
      }
    });
    const last = client.getState().lastError;
    if (last?.code === 'UNAUTHORIZED') expectTypeOf(last.details.serverMessage).toEqualTypeOf<string | undefined>();
  });

  it('isLifelineError gives the union, so code narrows a caught error too', () => {
    const e: unknown = new LifelineError('CURSOR_EXPIRED', 'Missed events.', { channel: 'room:1' });
    if (isLifelineError(e) && e.code === 'CURSOR_EXPIRED') expectTypeOf(e.details).toEqualTypeOf<LifelineErrorDetails<'CURSOR_EXPIRED'>>();
    // An error whose code is not known statically may carry any fact.
    const code = 'TIMEOUT' as LifelineError['code'];
    new LifelineError(code, 'x', { timeoutMs: 1, channel: 'c' });
    // @ts-expect-error still no typo
    new LifelineError(code, 'x', { timeoutMS: 1 });
  });
});
