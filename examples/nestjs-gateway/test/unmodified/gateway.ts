/**
 * A NestJS gateway as teams have it before adopting Lifeline (issue #12), with no companion:
 * namespace with a path (`/api/v1/ws`), its own `subscribe { channels, logFilters }` answered
 * `{ success, channels }`, `unsubscribe`, per-channel events through `server.to(room).emit` (no
 * channel on the wire), and socket-wide log filters that every `subscribe` overwrites.
 *
 * Its REST side, a plain Nest controller over the same notification log, `Authorization: Bearer`:
 * `GET /api/v1/notifications?since=N` → `{ items, latest }` (the token's user's notifications with
 * `seq > N`; without `since` no items, just `latest`), `POST /api/v1/notifications/read { id }` →
 * `{ ok, id }` (the same reply the socket's `notification:read` acks). 401 without a known token.
 */
import 'reflect-metadata';
import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Inject, Module, Post, Query, UnauthorizedException, type INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly text: string;
}
const RANK = { debug: 0, info: 1, warn: 2, error: 3 } as const;

/** One notification; `seq` increases by one per notification (the REST endpoint's `since`). */
export interface Notification {
  readonly seq: number;
  readonly id: string;
  readonly userId: string;
  readonly text: string;
}

/** Tokens the app accepts (token → user id); delete one to revoke it. */
export const TOKENS = Symbol('tokens');

interface SubscribeBody {
  readonly channels?: unknown;
  readonly logFilters?: { readonly level?: LogEntry['level'] };
}

@WebSocketGateway({ namespace: '/api/v1/ws' })
export class PlainGateway {
  @WebSocketServer() server!: Namespace;
  /** Every `subscribe` payload received, in order. */
  readonly subscribes: SubscribeBody[] = [];

  @SubscribeMessage('subscribe')
  subscribe(@ConnectedSocket() socket: Socket, @MessageBody() body: SubscribeBody): { success: boolean; channels: string[] } {
    this.subscribes.push(body);
    const channels = Array.isArray(body?.channels) ? body.channels.filter((c): c is string => typeof c === 'string') : [];
    const allowed = channels.filter((c) => c === 'logs' || /^user:\d+$/.test(c));
    socket.data.logFilters = body?.logFilters ?? {}; // socket-wide: each subscribe replaces it
    for (const c of allowed) void socket.join(c);
    return { success: allowed.length === channels.length, channels: allowed };
  }

  @SubscribeMessage('unsubscribe')
  unsubscribe(@ConnectedSocket() socket: Socket, @MessageBody() body: { channels?: string[] }): { success: boolean } {
    for (const c of body?.channels ?? []) void socket.leave(c);
    return { success: true };
  }

  @SubscribeMessage('notification:read')
  read(@MessageBody() body: { id?: string }): { ok: boolean; id: string | undefined } {
    return { ok: true, id: body?.id };
  }

  /** The notification log the REST endpoint reads (the last 10 000). */
  readonly notifications: Notification[] = [];
  seq = 0;

  /** Appends to the log, then `io.to(room).emit`: what reaches the client carries no channel. */
  notify(userId: string, notification: { id: string; userId: string; text: string }): Notification {
    const n: Notification = { ...notification, seq: ++this.seq };
    this.notifications.push(n);
    if (this.notifications.length > 10_000) this.notifications.shift();
    this.server.to(`user:${userId}`).emit('notification', n);
    return n;
  }

  /** Sends `entry` to each socket of room `logs` whose socket-wide filter lets it through. */
  async log(entry: LogEntry): Promise<void> {
    for (const socket of await this.server.in('logs').fetchSockets()) {
      const level = (socket.data as { logFilters?: { level?: LogEntry['level'] } }).logFilters?.level ?? 'debug';
      if (RANK[entry.level] >= RANK[level]) socket.emit('log', entry);
    }
  }
}

@Controller('api/v1/notifications')
export class PlainNotificationsController {
  // Explicit tokens: tsx and esbuild emit no decorator metadata.
  constructor(
    @Inject(PlainGateway) private readonly gateway: PlainGateway,
    @Inject(TOKENS) private readonly tokens: Map<string, string>,
  ) {}

  private userOf(authorization: string | undefined): string {
    const m = /^Bearer (.+)$/.exec(authorization ?? '');
    const user = m ? this.tokens.get(m[1]!) : undefined;
    if (!user) throw new UnauthorizedException();
    return user;
  }

  @Get()
  list(@Headers('authorization') authorization: string | undefined, @Query('since') since: string | undefined): { items: Notification[]; latest: number } {
    const user = this.userOf(authorization);
    if (since === undefined) return { items: [], latest: this.gateway.seq };
    const after = Number(since);
    if (!Number.isInteger(after)) throw new BadRequestException('`since` must be an integer');
    const items = this.gateway.notifications.filter((n) => n.seq > after && n.userId === user).slice(0, 500);
    // A full page continues after its last item; otherwise everything up to `seq` was looked at.
    return { items, latest: items.length === 500 ? items.at(-1)!.seq : this.gateway.seq };
  }

  @Post('read')
  @HttpCode(200)
  read(@Headers('authorization') authorization: string | undefined, @Body() body: { id?: unknown } | undefined): { ok: boolean; id: string | undefined } {
    this.userOf(authorization);
    if (body?.id !== undefined && typeof body.id !== 'string') throw new BadRequestException('`id` must be a string');
    return this.gateway.read({ id: body?.id });
  }
}

export interface PlainApp {
  readonly app: INestApplication;
  readonly gateway: PlainGateway;
  readonly port: number;
  /** Tokens the REST endpoints accept (token → user id); delete one to revoke it. */
  readonly tokens: Map<string, string>;
  /** Every request target the HTTP server saw (REST, Engine.IO polling, WebSocket upgrades). */
  readonly urls: string[];
  close(): Promise<void>;
}

export async function startPlainGateway({ tokens = { 'ada-token': '1' } }: { tokens?: Record<string, string> } = {}): Promise<PlainApp> {
  const accepted = new Map(Object.entries(tokens));
  @Module({ providers: [PlainGateway, { provide: TOKENS, useValue: accepted }], controllers: [PlainNotificationsController] })
  class PlainModule {}
  const app = await NestFactory.create(PlainModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  // After listen: Engine.IO, attached by then, takes over the `request` listeners it finds and
  // calls them for non-Socket.IO requests only; prepended now, this one sees every request.
  const urls: string[] = [];
  const server = app.getHttpServer() as HttpServer;
  server.prependListener('request', (req: IncomingMessage) => void urls.push(req.url ?? ''));
  server.prependListener('upgrade', (req: IncomingMessage) => void urls.push(req.url ?? ''));
  const port = (server.address() as { port: number }).port;
  return { app, gateway: app.get(PlainGateway), port, tokens: accepted, urls, close: () => app.close() };
}
