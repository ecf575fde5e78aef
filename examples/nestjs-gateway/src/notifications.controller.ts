import { BadRequestException, Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { NotificationsGateway } from './notifications.gateway';

/** `POST /notifications/:channel` `{ event, data }`: publish from any backend code over plain HTTP. */
@Controller('notifications')
export class NotificationsController {
  // An explicit token: tsx and esbuild emit no decorator metadata, so Nest cannot read the type.
  constructor(@Inject(NotificationsGateway) private readonly gateway: NotificationsGateway) {}

  @Post(':channel')
  async publish(@Param('channel') channel: string, @Body() body: unknown): Promise<{ id: string }> {
    const { event, data } = (body ?? {}) as { event?: unknown; data?: unknown };
    if (typeof event !== 'string' || !event) throw new BadRequestException('Send JSON { "event": string, "data": any }.');
    const stored = await this.gateway.publish(channel, event, data);
    return { id: stored.id };
  }
}
