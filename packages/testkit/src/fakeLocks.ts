/**
 * An in-process Web Locks `LockManager` (exclusive mode, FIFO per name, `signal`, `ifAvailable`,
 * `steal`, `query()`) for Node tests of `share`, where each "tab" is a client in the same process and
 * Node's own BroadcastChannel carries their messages. The browser behaviour that matters — a
 * lock is held until the callback's promise settles, the next waiter gets it then — is the same.
 */

type Callback = (lock: Lock | null) => unknown;

interface Waiter {
  readonly name: string;
  readonly callback: Callback;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

export interface FakeLockManager extends LockManager {
  /** Locks held now, by name. */
  readonly heldNames: () => string[];
}

/**
 * @example
 * ```ts
 * vi.stubGlobal('navigator', { locks: fakeLocks() });
 * ```
 */
export function fakeLocks(): FakeLockManager {
  const held = new Map<string, Waiter>();
  const queues = new Map<string, Waiter[]>();

  const grant = (w: Waiter) => {
    let result: unknown;
    try {
      result = w.callback({ name: w.name, mode: 'exclusive' } as Lock);
    } catch (e) {
      result = Promise.reject(e);
    }
    Promise.resolve(result).then(
      (v) => {
        release(w);
        w.resolve(v);
      },
      (e: unknown) => {
        release(w);
        w.reject(e);
      },
    );
  };
  const release = (w: Waiter) => {
    if (held.get(w.name) !== w) return;
    held.delete(w.name);
    const next = queues.get(w.name)?.shift();
    if (!next) return;
    held.set(next.name, next);
    queueMicrotask(() => grant(next));
  };

  const manager = {
    request(name: string, a: LockOptions | Callback, b?: Callback): Promise<unknown> {
      const options: LockOptions = typeof a === 'function' ? {} : a;
      const callback = (typeof a === 'function' ? a : b) as Callback;
      return new Promise((resolve, reject) => {
        const signal = options.signal;
        if (signal?.aborted) return reject(signal.reason ?? new DOMException('aborted', 'AbortError'));
        const w: Waiter = { name, callback, resolve, reject };
        if (options.steal) {
          // As a browser does: the holder's request rejects with AbortError (its callback runs on), this one is granted now.
          const holder = held.get(name);
          held.set(name, w);
          holder?.reject(new DOMException('The lock was stolen.', 'AbortError'));
          return queueMicrotask(() => grant(w));
        }
        if (!held.has(name)) {
          held.set(name, w); // taken now: a request made before the grant runs must wait
          return queueMicrotask(() => grant(w));
        }
        if (options.ifAvailable) return queueMicrotask(() => Promise.resolve(callback(null)).then(resolve, reject));
        const q = queues.get(name) ?? [];
        q.push(w);
        queues.set(name, q);
        signal?.addEventListener('abort', () => {
          const i = q.indexOf(w);
          if (i < 0) return;
          q.splice(i, 1);
          reject(signal.reason ?? new DOMException('aborted', 'AbortError'));
        });
      });
    },
    async query(): Promise<LockManagerSnapshot> {
      return {
        held: [...held.keys()].map((name) => ({ name, mode: 'exclusive' as const, clientId: 'node' })),
        pending: [...queues.entries()].flatMap(([name, q]) => q.map(() => ({ name, mode: 'exclusive' as const, clientId: 'node' }))),
      };
    },
    heldNames: () => [...held.keys()],
  };
  return manager as unknown as FakeLockManager;
}
