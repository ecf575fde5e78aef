/**
 * Polls `fn` until it returns a truthy value without throwing; bounded, with a clear message.
 *
 * @example
 * ```ts
 * await waitFor(() => client.getState().status === 'connected', { message: 'client connects' });
 * ```
 */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  { timeoutMs = 5000, intervalMs = 10, message = 'condition' }: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  const holds = async (): Promise<boolean> => {
    try {
      last = await fn();
      return !!last;
    } catch (e) {
      last = e;
      return false;
    }
  };
  for (;;) {
    if (await holds()) return last as NonNullable<T>;
    if (Date.now() > deadline) {
      // Node runs due timers before it reads pending sockets in the same loop turn: after a stall
      // (a loaded machine, a GC pause) this timer can see the deadline passed while the awaited
      // packet already sits in the socket. Give pending I/O a few turns before failing.
      for (let turn = 0; turn < 20; turn++) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (await holds()) return last as NonNullable<T>;
      }
      const why = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`waitFor timed out after ${timeoutMs} ms: ${message} (last: ${why})`);
    }
    await delay(intervalMs);
  }
}

/** Resolves after `ms` real milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
