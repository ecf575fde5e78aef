/** The deadline and settle-once bookkeeping every probe's I/O half shares. */

/**
 * Runs one I/O attempt with a deadline and resolves with its first outcome; never rejects on its
 * own. `start` begins the attempt, reports outcomes through `done` (only the first counts) and
 * returns how to release the attempt (destroy the socket, drop the listeners). When `timeoutMs`
 * passes first, the outcome is `timedOut`. The timer is cleared and the attempt released before
 * the promise resolves.
 *
 * @example
 * ```ts
 * const outcome = await settleOnce<TlsOutcome>(timeoutMs, { kind: 'timeout' }, (done) => {
 *   const socket = tls.connect({ host, port });
 *   socket.once('secureConnect', () => done({ kind: 'secure', … }));
 *   socket.once('error', (e) => done({ kind: 'error', … }));
 *   return () => socket.destroy();
 * });
 * ```
 */
export function settleOnce<T>(timeoutMs: number, timedOut: T, start: (done: (outcome: T) => void) => () => void): Promise<T> {
  return new Promise((resolve) => {
    let settled = false;
    let release: (() => void) | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (outcome: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      release?.();
      resolve(outcome);
    };
    release = start(done);
    if (settled) release(); // `start` reported an outcome before it could hand back its release
    else timer = setTimeout(() => done(timedOut), timeoutMs);
  });
}
