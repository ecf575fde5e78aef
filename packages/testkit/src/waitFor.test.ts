import { createServer, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './waitFor';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

/** A connected pair of TCP sockets on 127.0.0.1. */
async function pair(): Promise<[Socket, Socket]> {
  const server = createServer();
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const client = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => client.once('connect', resolve));
  const peer = await accepted;
  cleanup.push(() => {
    client.destroy();
    peer.destroy();
    server.close();
  });
  return [client, peer];
}

describe('waitFor', () => {
  it('a stall past the deadline does not fail a condition whose data already sits in a socket', async () => {
    const [a, b] = await pair();
    let received = false;
    b.on('data', () => (received = true));
    const waiting = waitFor(() => received, { timeoutMs: 50, message: 'data' });
    a.write('x');
    const until = Date.now() + 200; // the event loop is blocked: the poll timer fires first when it resumes
    while (Date.now() < until);
    await expect(waiting).resolves.toBe(true);
  });

  it('still fails, with the message and the last value, when the condition never holds', async () => {
    await expect(waitFor(() => 0, { timeoutMs: 30, message: 'never' })).rejects.toThrow('waitFor timed out after 30 ms: never (last: 0)');
  });
});
