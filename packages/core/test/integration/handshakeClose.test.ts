/**
 * A polling attempt closed while its Engine.IO handshake is in flight (the loser of the
 * head-start race, a client closed mid-connect) leaves no session on the server. engine.io-client
 * forgets such a session (its close-once-open listener is removed with the others), so the
 * server kept it until its ping timeout: 45 s with Socket.IO's defaults, one extra session per
 * connect for every client whose websocket opened later than the head start.
 */
import { createClient } from '@lifeline/core';
import { startServer, waitFor, type TestServer } from '@lifeline/testkit';
import { afterEach, describe, expect, it } from 'vitest';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a polling handshake cut short by close()', () => {
  it('leaves no Engine.IO session behind (Socket.IO default pings: 25 s + 20 s)', async () => {
    let closeNow = () => {};
    let sessions = 0;
    server = await startServer({
      setup: (io) => {
        // The server has made the session and is sending the handshake answer: the client has not read it yet.
        io.engine.on('initial_headers', () => closeNow());
        io.engine.on('connection', () => sessions++);
      },
    });
    const client = createClient({ url: server.url, transports: ['polling'], autoConnect: false });
    closeNow = () => client.close();
    client.connect();
    await waitFor(() => sessions === 1, { timeoutMs: 5000, message: 'the server made a session' });
    expect(client.getState().status).toBe('closed');
    await waitFor(() => server!.io.engine.clientsCount === 0, { timeoutMs: 3000, message: 'the server dropped the session (it waits 45 s for a forgotten one)' });
  });
});
