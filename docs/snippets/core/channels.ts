// docs/snippets/core/channels.ts — channels on a server with its own subscribe event.
import { createClient } from '@lifeline/core';
import { batchedChannelProtocol } from '@lifeline/core/protocols';

interface SubscribeAck {
  success?: boolean;
  channels?: string[];
}

// The server: `socket.on('subscribe', ({ channels, logFilters }, ack) => …)` answering
// `{ success, channels }`, and `io.to('logs').emit('log', entry)`, `io.to('user:42').emit('notification', n)`.
const channels = batchedChannelProtocol({
  // Every join of one tick in ONE request: on connect, reconnect and transport switch.
  async joinMany(emit, joins) {
    const logFilters = joins.find((j) => j.channel === 'logs')?.params;
    const ack = (await emit('subscribe', { channels: joins.map((j) => j.channel), ...(logFilters ? { logFilters } : {}) }, 5000)) as SubscribeAck;
    return joins.map((j) => (ack.success === true && (ack.channels ?? []).includes(j.channel) ? { ok: true } : { ok: false, code: 'FORBIDDEN' }));
  },
  leave: async (emit, channel) => void (await emit('unsubscribe', { channels: [channel] }, 5000)),
  // The server's `io.to(room).emit` carries no channel: say which one an event belongs to.
  channelOf: (event, [data]) => {
    if (event === 'log') return 'logs';
    if (event === 'notification') return `user:${(data as { userId: string }).userId}`;
    return undefined; // not a channel's event: client.on only
  },
});

const client = createClient({ url: 'https://api.example.com', namespace: '/api/v1/ws', channels });

// Params go to the protocol on every join and re-join; new params re-subscribe.
const logs = client.channel('logs', { params: { level: 'error' } });
logs.on('log', (entry, meta) => console.log(entry, meta.channel)); // 'logs', on every rung
client.channel('logs', { params: { level: 'warn' } }); // re-subscribes with the new filters
logs.leave();
