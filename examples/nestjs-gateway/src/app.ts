import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { NotificationsGateway } from './notifications.gateway';

/** The running app: Nest's HTTP server, Socket.IO on the same port, the gateway. */
export interface GatewayApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly gateway: NotificationsGateway;
  close(): Promise<void>;
}

/** Boots the app on 127.0.0.1 (`port` 0: any free port); the gateway shares the HTTP port. */
export async function startGatewayApp({ port = 0, logger = false }: { port?: number; logger?: boolean } = {}): Promise<GatewayApp> {
  const app = await NestFactory.create(AppModule, { logger: logger ? undefined : false });
  const gateway = app.get(NotificationsGateway);
  // Before init, so it runs ahead of Nest's router: the companion's poll and emit endpoints.
  app.use('/lifeline', gateway.http);
  await app.listen(port, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, gateway, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
