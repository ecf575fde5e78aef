/**
 * The ticket desk from the production notes (shared/seeds/003): per-ticket rooms, `ticket:updated`
 * and `comment:added` events, token auth — served by Socket.IO with the Lifeline companion, so
 * clients on any transport lose nothing. Also serves a static app folder when given.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { Server } from 'socket.io';
import { createLifeline, memoryStore } from '@lifeline/server';

export interface Ticket {
  id: string;
  title: string;
  status: 'open' | 'pending' | 'closed';
}

export interface Comment {
  ticketId: string;
  author: string;
  text: string;
}

export interface TicketDesk {
  readonly url: string;
  readonly port: number;
  readonly tickets: ReadonlyMap<string, Ticket>;
  /** Change a ticket's status and publish `ticket:updated` to `ticket:<id>` and `tickets`. */
  update(id: string, status: Ticket['status']): Promise<void>;
  /** Socket.IO connections on /notifications right now (tabs sharing one connection count once). */
  connections(): number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const USERS: Record<string, string> = { 'demo-token': 'ada', 'agent-token': 'grace' };

export async function startTicketDesk({ port = 0, staticDir }: { port?: number; staticDir?: string } = {}): Promise<TicketDesk> {
  const tickets = new Map<string, Ticket>([
    ['42', { id: '42', title: 'Printer on fire', status: 'open' }],
    ['43', { id: '43', title: 'VPN drops every hour', status: 'pending' }],
  ]);
  const server = http.createServer();
  const io = new Server(server);
  const lifeline = createLifeline(io.of('/notifications'), {
    store: memoryStore({ maxEvents: 10_000 }),
    authenticate: async (auth) => {
      const name = typeof auth.token === 'string' ? USERS[auth.token] : undefined;
      return name ? { name } : null;
    },
    authorize: async (_user, channel) => channel === 'tickets' || /^ticket:\d+$/.test(channel),
    // Who is viewing a ticket, and who has the dashboard (`tickets`) open: one member per agent, however many tabs.
    presence: (channel) => channel === 'tickets' || channel.startsWith('ticket:'),
    presenceOf: (user) => ({ id: (user as { name: string }).name, data: { name: (user as { name: string }).name } }),
  });

  // Typing signals: relayed to the ticket's room as a plain Socket.IO event, never logged, so
  // never replayed (clients send them with { volatile: true }: dropped while disconnected).
  lifeline.on('typing', (data, user) => {
    const { ticketId } = (data ?? {}) as { ticketId?: unknown };
    if (typeof ticketId !== 'string' || !tickets.has(ticketId)) return;
    io.of('/notifications').to(`ticket:${ticketId}`).emit('typing', { ticketId, author: (user as { name: string }).name });
  });

  lifeline.on('comment:add', async (data, user) => {
    const { ticketId, text } = (data ?? {}) as Partial<Comment>;
    if (typeof ticketId !== 'string' || !tickets.has(ticketId) || typeof text !== 'string' || !text.trim()) {
      return { ok: false, error: 'ticketId of an existing ticket and a non-empty text are required' };
    }
    const comment: Comment = { ticketId, text: text.slice(0, 2000), author: (user as { name: string }).name };
    await lifeline.publish(`ticket:${ticketId}`, 'comment:added', comment);
    return { ok: true, comment };
  });

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/socket.io')) return; // Socket.IO answers these
    if (url.pathname.startsWith('/lifeline')) {
      lifeline.http(req, res, () => notFound(res));
      return;
    }
    if (url.pathname === '/api/tickets') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify([...tickets.values()]));
      return;
    }
    if (!staticDir) return notFound(res);
    const file = normalize(join(staticDir, url.pathname === '/' ? 'index.html' : url.pathname));
    if (!file.startsWith(staticDir) || !existsSync(file) || !statSync(file).isFile()) return notFound(res);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    tickets,
    async update(id, status) {
      const ticket = tickets.get(id);
      if (!ticket) throw new Error(`no ticket ${id}`);
      ticket.status = status;
      await lifeline.publish(`ticket:${id}`, 'ticket:updated', { ...ticket });
      await lifeline.publish('tickets', 'ticket:updated', { ...ticket });
    },
    connections: () => io.of('/notifications').sockets.size,
    async close() {
      await lifeline.close?.();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

function notFound(res: http.ServerResponse) {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end('{"error":"not found"}');
}
