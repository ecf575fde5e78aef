/**
 * Runs a benchmark server in its own Node process (so client and server do not share one event
 * loop, as in production) and talks to it over IPC: `request(msg)` sends `{ id, ...msg }` and
 * resolves with the child's `{ id, ...reply }`.
 */
import { fork, type ChildProcess } from 'node:child_process';

export interface Child {
  readonly process: ChildProcess;
  request<T = Record<string, unknown>>(message: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** Fire and forget. */
  send(message: Record<string, unknown>): void;
  close(): Promise<void>;
}

/** Forks `script` (a .ts file, run through the same tsx loader) and waits for its `{ ready }` message. */
export async function forkChild(script: string, nodeArgs: readonly string[] = [], args: readonly string[] = []): Promise<Child & { ready: Record<string, unknown> }> {
  const child = fork(script, [...args], { execArgv: [...process.execArgv, ...nodeArgs], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 0;
  const pending = new Map<number, (reply: Record<string, unknown>) => void>();
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 20 s`)), 20_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    child.on('message', (m: Record<string, unknown>) => {
      if (m.ready) {
        clearTimeout(timer);
        resolve(m);
      } else if (typeof m.id === 'number') {
        pending.get(m.id)?.(m);
        pending.delete(m.id);
      }
    });
  });
  child.removeAllListeners('exit');
  return {
    process: child,
    ready,
    request: <T>(message: Record<string, unknown>, timeoutMs = 60_000) =>
      new Promise<T>((resolve, reject) => {
        const id = ++next;
        const timer = setTimeout(() => reject(new Error(`child did not answer ${JSON.stringify(message).slice(0, 80)} within ${timeoutMs} ms`)), timeoutMs);
        pending.set(id, (reply) => {
          clearTimeout(timer);
          resolve(reply as T);
        });
        child.send({ id, ...message });
      }),
    send: (message) => child.send(message),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ cmd: 'exit' });
      }),
  };
}

/** Nanosecond monotonic clock as a number: shared by every process on the machine (Linux). */
export function nowNs(): number {
  return Number(process.hrtime.bigint());
}
