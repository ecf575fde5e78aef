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
import { Emitter } from '../emitter';
import { isLifelineError } from '../errors';
import type { AckCallback, JoinResult, Transport, TransportEvents, TransportFactory } from './types';

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
  const events = new Emitter<TransportEvents>();
  let inner: Transport | undefined;
  let closed = false;
  let queued: Array<(t: Transport) => void> = [];
  const withInner = (call: (t: Transport) => void) => (inner ? call(inner) : queued.push(call));
  const fail = (kind: 'unreachable' | 'protocol', error: unknown) => {
    if (closed) return;
    closed = true;
    queued = [];
    const lifelineError = isLifelineError(error) ? error : undefined;
    events.emit('close', { kind, reason: `could not start the http transport: ${String(error)}`, opened: false, ...(lifelineError && { error: lifelineError }) });
  };

  return {
    name: 'http',
    receiveOnly: !ctx.http?.url && !ctx.http?.send,
    flush: () => inner?.flush?.() ?? Promise.resolve(),
    connect() {
      import('./http').then(
        ({ createHttpTransport }) => {
          if (closed) return;
          let t: Transport;
          try {
            t = createHttpTransport(ctx);
          } catch (error) {
            fail('protocol', error);
            return;
          }
          t.on('open', () => events.emit('open'));
          t.on('message', (m) => events.emit('message', m));
          t.on('heard', () => events.emit('heard'));
          t.on('expired', (channel, message) => events.emit('expired', channel, message));
          t.on('close', (f) => events.emit('close', f));
          inner = t;
          const calls = queued;
          queued = [];
          t.connect();
          for (const call of calls) call(t);
        },
        (error: unknown) => fail('unreachable', error),
      );
    },
    send(event: string, data: unknown, ack?: AckCallback, volatile?: boolean) {
      if (volatile && !inner) return; // not carrying traffic yet: dropped, never queued
      withInner((t) => t.send(event, data, ack, volatile));
    },
    join(channel: string, cursor: string | undefined) {
      return new Promise<JoinResult>((resolve, reject) => withInner((t) => t.join(channel, cursor).then(resolve, reject)));
    },
    ping: (ms: number) => new Promise<void>((resolve, reject) => withInner((t) => t.ping!(ms).then(resolve, reject))),
    leave(channel: string) {
      return new Promise<void>((resolve, reject) => withInner((t) => t.leave(channel).then(resolve, reject)));
    },
    history(channel, query, timeoutMs) {
      return new Promise<unknown>((resolve, reject) => withInner((t) => t.history!(channel, query, timeoutMs).then(resolve, reject)));
    },
    close() {
      closed = true;
      queued = [];
      inner?.close();
      events.removeAll();
    },
    on: (event, listener) => events.on(event, listener),
  };
};
