/** A throwaway redis-server for multi-node tests and benchmarks: 127.0.0.1 only, nothing saved to disk. */
import { spawn, type ChildProcess } from 'node:child_process';

/** Where Debian's `redis-server` lives (`.ci/run` installs it when `CI=true`). */
export const REDIS_BIN = '/usr/bin/redis-server';

/**
 * Starts redis-server on `port` of 127.0.0.1 with no RDB snapshots and no AOF; the caller kills
 * the returned process and waits for the port itself (its own client's connect).
 *
 * @example
 * ```ts
 * const port = await freePort();
 * const proc = spawnRedis(port);
 * ```
 */
export function spawnRedis(port: number): ChildProcess {
  return spawn(REDIS_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
}
