/**
 * `pnpm app [url]`: a small app on the existing backend. Prints every notification of channel
 * `alerts` and each switch of transport, and adds a comment every 5 s (acked on every rung).
 */
import { createNotificationsClient } from './notifications';

const url = process.argv[2] ?? 'http://127.0.0.1:3300';
const client = createNotificationsClient({ url, getToken: () => process.env.TOKEN ?? 'ada-token' });
const alerts = client.channel('alerts');
alerts.on('notification', (n, meta) => console.log(`[${meta.transport}] ${meta.channel ?? '-'} #${String((n as { seq: number }).seq)} ${JSON.stringify(n)}`));
client.on('transport', ({ from, to, reason }) => console.log(`transport ${from ?? '-'} → ${to ?? '-'}: ${reason}`));
client.on('error', (e) => console.warn(`[${e.code}] ${e.message}\n  → ${e.hint}`));
const timer = setInterval(() => {
  client.emit('comment:add', { text: `hello at ${new Date().toISOString()}` }, { ack: true }).then(
    (reply) => console.log('comment acked', reply),
    (e: unknown) => console.warn('comment failed', e),
  );
}, 5000);
process.on('SIGINT', () => {
  clearInterval(timer);
  alerts.leave();
  client.close();
});
