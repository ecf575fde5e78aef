/**
 * The `http` rung, loaded on first use. Most clients never fall that far down the ladder, so the
 * Lifeline HTTP protocol (a third of core's code) is a dynamic `import()` an app's bundler splits
 * into its own chunk: it costs nothing until an attempt on `http` actually starts.
 *
 * To the ladder this is an ordinary synchronous factory: the returned transport loads the real one
 * in `connect()`, forwards its events, and queues any call made before it exists. A module that
 * fails to load (a deploy removed the chunk, the network is down) closes the attempt as
 * `unreachable`, so the ladder retries with backoff like any other unreachable carrier.
 */
import { isLifelineError, LifelineError } from '../errors';
import { TransportLifecycle } from './lifecycle';
import type { AckCallback, ChannelParams, JoinResult, Transport, TransportFactory } from './types';

/**
 * Factory for the lazily loaded `http` transport.
 *
 * @example
 * ```ts
 * const t = createLazyHttpTransport({ ...ctx, http: { url: 'https://api.example.com/lifeline' } });
 * t.on('open', () => void t.join('ticket:42', undefined));
 * t.connect(); // loads the http module, then polls
 * ```
 * @internal
 */
export const createLazyHttpTransport: TransportFactory = (ctx) => {
  let inner: Transport | undefined;
  /** Calls made before the real transport exists: each runs on it, or is settled when this one dies. */
  let queued: Array<{ run: (t: Transport) => void; settle: () => void }> = [];
  // Dying settles every queued call (a join resolves as cut short, an ack gets CLOSED, a leave
  // resolves, a history or ping rejects): nothing waits forever on a transport that never came.
  const life = new TransportLifecycle(() => {
    const calls = queued;
    queued = [];
    for (const call of calls) call.settle();
    inner?.close();
  });
  const withInner = (run: (t: Transport) => void, settle: () => void) => {
    if (inner) run(inner);
    else if (life.dead) settle();
    else queued.push({ run, settle });
  };
  const CLOSED = 'The http transport closed before it started.';
  const closedError = () => new LifelineError('CLOSED', CLOSED, { transport: 'http' });
  const fail = (kind: 'unreachable' | 'protocol', error: unknown) => {
    life.fail({ kind, reason: `could not start the http transport: ${String(error)}`, opened: false, ...(isLifelineError(error) && { error }) });
  };

  return {
    name: 'http',
    receiveOnly: !ctx.http?.url && !ctx.http?.send,
    flush: () => inner?.flush?.() ?? Promise.resolve(),
    connect() {
      import('./http').then(
        ({ createHttpTransport }) => {
          if (life.dead) return;
          let t: Transport;
          try {
            t = createHttpTransport(ctx);
          } catch (error) {
            fail('protocol', error);
            return;
          }
          t.on('open', () => life.events.emit('open'));
          t.on('message', (m) => life.events.emit('message', m));
          t.on('heard', () => life.events.emit('heard'));
          t.on('expired', (channel, message) => life.events.emit('expired', channel, message));
          // The real transport failed: it is dead and torn down; so is this one (once).
          t.on('close', (f) => life.fail(f));
          inner = t;
          const calls = queued;
          queued = [];
          t.connect();
          for (const call of calls) call.run(t);
        },
        (error: unknown) => fail('unreachable', error),
      );
    },
    send(event: string, data: unknown, ack?: AckCallback, volatile?: boolean) {
      if (volatile && !inner) return; // not carrying traffic yet: dropped, never queued
      withInner((t) => t.send(event, data, ack, volatile), () => ack?.(closedError(), undefined));
    },
    join(channel: string, cursor: string | undefined, params?: ChannelParams) {
      return new Promise<JoinResult>((resolve, reject) =>
        withInner(
          (t) => t.join(channel, cursor, params).then(resolve, reject),
          () => resolve({ ok: false, code: 'TIMEOUT', message: CLOSED }),
        ),
      );
    },
    ping: (ms: number) => new Promise<void>((resolve, reject) => withInner((t) => t.ping!(ms).then(resolve, reject), () => reject(closedError()))),
    leave(channel: string) {
      return new Promise<void>((resolve, reject) => withInner((t) => t.leave(channel).then(resolve, reject), resolve));
    },
    history(channel, query, timeoutMs) {
      return new Promise<unknown>((resolve, reject) => withInner((t) => t.history!(channel, query, timeoutMs).then(resolve, reject), () => reject(closedError())));
    },
    close: () => life.close(),
    on: (event, listener) => life.on(event, listener),
    /** Listeners still attached (0 once it is dead): for leak checks. */
    get listenerCount() {
      return life.events.listenerCount();
    },
  };
};
