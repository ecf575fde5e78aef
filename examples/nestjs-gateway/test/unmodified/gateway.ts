/**
 * A NestJS gateway as teams have it before adopting Lifeline (issue #12), with no companion:
 * namespace with a path (`/api/v1/ws`), its own `subscribe { channels, logFilters }` answered
 * `{ success, channels }`, `unsubscribe`, per-channel events through `server.to(room).emit` (no
 * channel on the wire), and socket-wide log filters that every `subscribe` overwrites.
 */
import 'reflect-metadata';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly text: string;
}
const RANK = { debug: 0, info: 1, warn: 2, error: 3 } as const;

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

  /** `io.to(room).emit`: what reaches the client carries no channel. */
  notify(userId: string, notification: { id: string; userId: string; text: string }): void {
    this.server.to(`user:${userId}`).emit('notification', notification);
  }

  /** Sends `entry` to each socket of room `logs` whose socket-wide filter lets it through. */
  async log(entry: LogEntry): Promise<void> {
    for (const socket of await this.server.in('logs').fetchSockets()) {
      const level = (socket.data as { logFilters?: { level?: LogEntry['level'] } }).logFilters?.level ?? 'debug';
      if (RANK[entry.level] >= RANK[level]) socket.emit('log', entry);
    }
  }
}

@Module({ providers: [PlainGateway] })
class PlainModule {}

export interface PlainApp {
  readonly app: INestApplication;
  readonly gateway: PlainGateway;
  readonly port: number;
  close(): Promise<void>;
}

export async function startPlainGateway(): Promise<PlainApp> {
  const app = await NestFactory.create(PlainModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  return { app, gateway: app.get(PlainGateway), port, close: () => app.close() };
}
