/**
 * Child process of the latency benchmark: a Socket.IO server that emits `lat` messages to one
 * named client at a time, stamped with the shared monotonic clock (ns).
 * IPC: `{ cmd: 'emit', who, seq }`, `{ cmd: 'invalid', who }`, `{ cmd: 'burst', who, count }`, `{ cmd: 'stamped', who, count }`, `{ cmd: 'connected', who }`.
 */
import type { Socket } from 'socket.io';
import { startServer } from '@lifeline/testkit';
import { nowNs } from '../lib/child';

const BODY = 'x'.repeat(64);
const sockets = new Map<string, Socket>();
const server = await startServer({
  setup: (io) => {
    io.on('connection', (s) => sockets.set(String((s.handshake.auth as { who?: string }).who), s));
  },
});

type Msg = { id?: number; cmd: string; who?: string; seq?: number; count?: number };
process.on('message', async (m: Msg) => {
  const s = sockets.get(m.who ?? '');
  switch (m.cmd) {
    case 'connected':
      return process.send!({ id: m.id, connected: [...sockets.entries()].filter(([, v]) => v.connected).map(([k]) => k) });
    case 'emit':
      s?.emit('lat', { seq: m.seq, t: nowNs(), body: BODY });
      return;
    case 'invalid':
      // Fails the client's schema (seq is not a number): proves validation runs.
      s?.emit('lat', { seq: 'not a number', t: nowNs(), body: BODY });
      return;
    case 'stamped': {
      // A burst whose every message carries its own send time: per-event latency under load.
      for (let i = 0; i < (m.count ?? 0); i++) s?.emit('lat', { seq: i, t: nowNs(), body: BODY });
      return;
    }
    case 'burst': {
      const t = nowNs();
      for (let i = 0; i < (m.count ?? 0); i++) s?.emit('lat', { seq: i, t, body: BODY });
      return;
    }
    case 'exit':
      await server.close();
      process.exit(0);
  }
});
// The parent went away without saying `exit` (crash, timeout): do not outlive it.
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true, url: server.url });
