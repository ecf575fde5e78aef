/**
 * The gateway from the production notes (shared/seeds): `namespace: 'notifications'` makes it
 * listen on the Socket.IO namespace "/notifications", not on "/" and not on "/api/…". Lifeline's
 * companion is attached to that namespace in `afterInit`, which Nest calls with the Namespace.
 */
import type { OnModuleDestroy } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayInit } from '@nestjs/websockets';
import type { Namespace } from 'socket.io';
import { createLifeline, memoryStore, type Lifeline, type LifelineHttpHandler, type StoredEvent } from '@lifeline/server';
import { userFor, type User } from './users';

@WebSocketGateway({ namespace: 'notifications' })
export class NotificationsGateway implements OnGatewayInit<Namespace>, OnModuleDestroy {
  #lifeline: Lifeline<User> | null = null;

  afterInit(namespace: Namespace): void {
    this.#lifeline = createLifeline<User>(namespace, {
      store: memoryStore({ maxEvents: 10_000 }),
      authenticate: (auth) => userFor(auth),
      authorize: (_user, channel) => channel === 'broadcast' || /^user:[\w-]+$/.test(channel),
      // Who is online: presence of the `broadcast` channel, one member per user (however many tabs);
      // clients read it with channel.presence / usePresence(channel).
      presence: (channel) => channel === 'broadcast',
      presenceOf: (user) => ({ id: user.name, data: { name: user.name } }),
    });
  }

  /** Logs `event` on `channel` with a cursor and fans it out to every transport. */
  publish(channel: string, event: string, data: unknown): Promise<StoredEvent> {
    return this.#ready().publish(channel, event, data);
  }

  /** The companion's HTTP endpoint (the `http` rung), for `app.use('/lifeline', …)`. */
  readonly http: LifelineHttpHandler = (req, res, next) => this.#ready().http(req, res, next);

  async onModuleDestroy(): Promise<void> {
    await this.#lifeline?.close();
    this.#lifeline = null;
  }

  #ready(): Lifeline<User> {
    if (!this.#lifeline) throw new Error('NotificationsGateway is not initialised yet: call app.init() or app.listen() first.');
    return this.#lifeline;
  }
}
