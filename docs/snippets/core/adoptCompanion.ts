// docs/snippets/core/adoptCompanion.ts — the same app, before and after the backend adopts @lifeline/server.
import { createClient, type ChannelProtocol, type ClientOptions, type PollAdapter, type SendAdapter } from '@lifeline/core';

declare const subscribeProtocol: ChannelProtocol; // your server's `subscribe` event
declare const restPoll: PollAdapter; // GET /api/v1/notifications?since=N
declare const restSend: SendAdapter; // POST /api/v1/comments
declare function getToken(): Promise<string>;

const common = { url: 'https://api.example.com', namespace: '/api/v1/ws', auth: async () => ({ token: await getToken() }) } satisfies ClientOptions;

// Today: an unmodified backend.
export const before = createClient({
  ...common,
  channels: subscribeProtocol,
  http: { poll: restPoll, send: restSend },
  cursorOf: (_event, data) => (data as { seq?: number } | null)?.seq,
});

// Later: createLifeline(io.of('/api/v1/ws')) on the server, its HTTP endpoint on /lifeline.
export const after = createClient({ ...common, http: { url: 'https://api.example.com/lifeline' } });

// The app code is the same for both: handlers, channels, emits and acks.
for (const client of [before, after]) {
  client.on('notification', (n, meta) => console.log(meta.transport, n));
  const room = client.channel('alerts');
  void client.emit('comment:add', { text: 'hi' }, { ack: true }).finally(() => room.leave());
}
