/** A TCP port on 127.0.0.1 that nothing listens on, for "nothing is there" tests and child servers. */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * Listens on port 0 of 127.0.0.1, reads the port the OS gave, and closes again: the port is free
 * when this resolves (another process could still take it before the caller does).
 *
 * @example
 * ```ts
 * const port = await freePort();
 * spawn('redis-server', ['--port', String(port)]);
 * ```
 */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', resolve);
  });
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
