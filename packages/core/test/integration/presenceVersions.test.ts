/**
 * Presence versions (docs/protocol.md, "Presence"), the client's side, against a real Socket.IO
 * server that plays the companion's part frame by frame: a change whose `prev` is not the version
 * the client holds follows a change it never got, so it asks for a snapshot (once) and ends with
 * the true members; chained changes and frames without versions (an older server) ask nothing.
 */
import { createClient, type LifelineClient, type PresenceMember } from '@lifeline/core';
import { serveJoins, startServer, waitFor, delay, type TestServer } from '@lifeline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST } from './setup';

let server: TestServer | undefined;
const clients: LifelineClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = undefined;
});

const member = (id: string) => ({ id, data: null, connections: 1 });
const ids = (members: readonly PresenceMember[]) => members.map((m) => m.id).sort().join(',');

/** A server whose joins are answered; `asked` gets each `lifeline:presence` request, `answer` replies to it. */
async function scripted(answer: (channel: string) => unknown) {
  const asked: string[] = [];
  server = await startServer({
    setup: (io) => {
      serveJoins(io);
      io.on('connection', (socket) => {
        socket.on('lifeline:presence', ({ channel }: { channel: string }) => {
          asked.push(channel);
          socket.emit('lifeline:presence', answer(channel));
        });
      });
    },
  });
  const client = createClient({ url: `http://127.0.0.1:${server.port}`, transports: ['websocket'], reconnect: FAST });
  clients.push(client);
  const room = client.channel('room');
  await waitFor(() => server!.io.sockets.adapter.rooms.get('room')?.size === 1, { message: 'joined' });
  const send = (frame: object) => server!.io.to('room').emit('lifeline:presence', { channel: 'room', ...frame });
  return { asked, room, send };
}

describe('presence versions', () => {
  it('a change that does not follow the version held (one was missed) asks for a snapshot, once; the list ends true', async () => {
    const { asked, room, send } = await scripted(() => ({ channel: 'room', members: [member('bob'), member('cy')], v: 'h.4' }));
    const leaves: string[] = [];
    room.presence.on('leave', (m) => leaves.push(m.id));
    send({ members: [member('ann')], v: 'h.1' });
    send({ set: [member('bob')], del: [], v: 'h.2', prev: 'h.1' });
    await waitFor(() => ids(room.presence.get()) === 'ann,bob', { message: 'snapshot and change applied' });
    expect(asked).toEqual([]);
    // h.3 (ann left) never arrives: h.4 (cy joined) does not follow h.2.
    send({ set: [member('cy')], del: [], v: 'h.4', prev: 'h.3' });
    await waitFor(() => ids(room.presence.get()) === 'bob,cy', { message: 'the snapshot asked for replaced the list' });
    expect(asked).toEqual(['room']);
    expect(leaves).toEqual(['ann']);
    // Back in the chain: nothing more to ask.
    send({ set: [member('dan')], del: [], v: 'h.5', prev: 'h.4' });
    await waitFor(() => ids(room.presence.get()) === 'bob,cy,dan', { message: 'next change applied' });
    await delay(100);
    expect(asked).toEqual(['room']);
  });

  it('frames without versions (a server that has none) are applied as they come and ask nothing', async () => {
    const { asked, room, send } = await scripted(() => ({ channel: 'room', members: [] }));
    send({ members: [member('ann')] });
    send({ set: [member('bob')], del: ['ann'] });
    await waitFor(() => ids(room.presence.get()) === 'bob', { message: 'applied' });
    await delay(100);
    expect(asked).toEqual([]);
  });
});
