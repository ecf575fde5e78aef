/**
 * An existing backend, as teams have them before they adopt Lifeline's companion: Express +
 * Socket.IO with its own subscribe protocol and its own REST endpoints. Nothing in here knows
 * about Lifeline.
 *
 * - Socket.IO namespace `/api/v1/ws`, token in the handshake `auth`, `connectionStateRecovery` on.
 * - `subscribe { channels, logFilters? }` → ack `{ success, channels }`; `unsubscribe { channels }`.
 * - Every notification goes to its channel's room as `notification { seq, channel, level, text }`.
 * - `comment:add { text }` → ack `{ id, text }`.
 * - REST with `Authorization: Bearer <token>`:
 *   `GET /api/v1/notifications?since=N&channels=a,b` → `{ items: Notification[], latest }`
 *   (without `since`: no items, just `latest`); `POST /api/v1/comments { text }` → `{ id, text }`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Server } from 'socket.io';

/** One notification; `seq` increases by one per notification, across channels. */
export interface Notification {
  readonly seq: number;
  readonly channel: string;
  readonly level: 'info' | 'error';
  readonly text: string;
}

export interface Comment {
  readonly id: number;
  readonly text: string;
  readonly by: string;
}

export interface Backend {
  readonly url: string;
  readonly io: Server;
  /** Tokens the server accepts (token → user name); delete one to revoke it. */
  readonly tokens: Map<string, string>;
  /** Every request target the HTTP server saw (REST, Engine.IO polling, WebSocket upgrades). */
  readonly urls: string[];
  readonly comments: Comment[];
  /** Appends a notification to the log and sends it to the channel's room. */
  publish(channel: string, text: string, level?: Notification['level']): Notification;
  close(): Promise<void>;
}

export const NAMESPACE = '/api/v1/ws';
/** How many notifications the REST endpoint keeps. */
const KEEP = 10_000;

export async function startBackend({ port = 0, tokens = { 'ada-token': 'ada' } }: { port?: number; tokens?: Record<string, string> } = {}): Promise<Backend> {
  const accepted = new Map(Object.entries(tokens));
  const log: Notification[] = [];
  const comments: Comment[] = [];
  const urls: string[] = [];
  let seq = 0;

  const app = express();
  app.use(express.json({ limit: '16kb' }));
  const userOf = (req: express.Request): string | undefined => {
    const m = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    return m ? accepted.get(m[1]!) : undefined;
  };
  const requireUser: express.RequestHandler = (req, res, next) => {
    const user = userOf(req);
    if (!user) return void res.status(401).json({ message: 'unauthorized' });
    res.locals.user = user;
    next();
  };
  app.get('/api/v1/notifications', requireUser, (req, res) => {
    const since = req.query.since === undefined ? undefined : Number(req.query.since);
    if (since !== undefined && !Number.isInteger(since)) return void res.status(400).json({ message: '`since` must be an integer' });
    const channels = typeof req.query.channels === 'string' && req.query.channels !== '' ? new Set(req.query.channels.split(',')) : undefined;
    const items = since === undefined ? [] : log.filter((n) => n.seq > since && (!channels || channels.has(n.channel))).slice(0, 500);
    // A full page continues after its last item; otherwise everything up to `seq` was looked at.
    res.json({ items, latest: items.length === 500 ? items.at(-1)!.seq : seq });
  });
  app.post('/api/v1/comments', requireUser, (req, res) => {
    const text = (req.body as { text?: unknown } | undefined)?.text;
    if (typeof text !== 'string' || text === '') return void res.status(400).json({ message: '`text` must be a non-empty string' });
    const comment = { id: comments.length + 1, text, by: String(res.locals.user) };
    comments.push(comment);
    res.status(201).json({ id: comment.id, text });
  });

  const server = http.createServer(app);
  const io = new Server(server, { connectionStateRecovery: { maxDisconnectionDuration: 60_000 } });
  // After Socket.IO attached: it takes over the server's 'request' listeners and passes only what
  // is not its own to them, so one added before it never saw an Engine.IO polling request.
  server.prependListener('request', (req: http.IncomingMessage) => void urls.push(req.url ?? ''));
  server.prependListener('upgrade', (req: http.IncomingMessage) => void urls.push(req.url ?? ''));
  const nsp = io.of(NAMESPACE);
  nsp.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    const user = typeof token === 'string' ? accepted.get(token) : undefined;
    if (!user) return next(new Error('unauthorized'));
    socket.data.user = user;
    next();
  });
  nsp.on('connection', (socket) => {
    socket.on('subscribe', (body: { channels?: unknown }, ack?: (reply: unknown) => void) => {
      const channels = Array.isArray(body?.channels) ? body.channels.filter((c): c is string => typeof c === 'string') : [];
      void socket.join(channels);
      ack?.({ success: channels.length > 0, channels });
    });
    socket.on('unsubscribe', (body: { channels?: unknown }, ack?: (reply: unknown) => void) => {
      for (const c of Array.isArray(body?.channels) ? body.channels : []) if (typeof c === 'string') void socket.leave(c);
      ack?.({ success: true });
    });
    socket.on('comment:add', (body: { text?: unknown }, ack?: (reply: unknown) => void) => {
      if (typeof body?.text !== 'string' || body.text === '') return ack?.({ error: '`text` must be a non-empty string' });
      const comment = { id: comments.length + 1, text: body.text, by: String(socket.data.user) };
      comments.push(comment);
      ack?.({ id: comment.id, text: comment.text });
    });
  });

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    io,
    tokens: accepted,
    urls,
    comments,
    publish(channel, text, level = 'info') {
      const n: Notification = { seq: ++seq, channel, level, text };
      log.push(n);
      if (log.length > KEEP) log.shift();
      nsp.to(channel).emit('notification', n);
      return n;
    },
    async close() {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
