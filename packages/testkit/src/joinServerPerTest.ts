/**
 * `startJoinServer()` for a test file whose every test wants a fresh one: vitest hooks start it
 * before each test and close it (with the clients it made) after. Imported from
 * `@lifeline/testkit/vitest` so the main entry, which the benchmarks load, never pulls in vitest.
 */
import { afterEach, beforeEach } from 'vitest';
import type { ClientOptions, EventSchemas, LifelineClient } from '@lifeline/core';
import { startJoinServer, type JoinServer } from './joinServer';

export interface JoinServerPerTestOptions {
  /** Runs after each test, before its server closes (e.g. testing-library's `cleanup` unmounts first). */
  beforeClose?: () => void;
}

/**
 * Registers `beforeEach`/`afterEach` hooks and returns the join server of the running test: every
 * member reads the current one, so the file keeps one `const srv` at the top.
 *
 * @example
 * ```ts
 * const srv = joinServerPerTest({ beforeClose: cleanup });
 * it('joins once', async () => { const client = srv.client(); … expect(srv.joins['ticket:1']).toBe(1); });
 * ```
 */
export function joinServerPerTest({ beforeClose }: JoinServerPerTestOptions = {}): JoinServer {
  let current: JoinServer | undefined;
  beforeEach(async () => {
    current = await startJoinServer();
  });
  afterEach(async () => {
    const closing = current;
    current = undefined;
    try {
      beforeClose?.();
    } finally {
      await closing?.close();
    }
  });
  const now = (): JoinServer => {
    if (!current) throw new Error('joinServerPerTest: the server exists only while a test runs (it starts in beforeEach); use it inside it() or a hook');
    return current;
  };
  return {
    get server() {
      return now().server;
    },
    get joins() {
      return now().joins;
    },
    get leaves() {
      return now().leaves;
    },
    get seen() {
      return now().seen;
    },
    publish: (channel, event, data) => now().publish(channel, event, data),
    broadcast: (event, data) => now().broadcast(event, data),
    dropAll: () => now().dropAll(),
    client: <E extends EventSchemas = EventSchemas>(options?: Partial<ClientOptions<E>>): LifelineClient<E> => now().client<E>(options),
    close: () => now().close(),
  };
}
