/** `pnpm start [port]`: the existing backend on 127.0.0.1, publishing to `alerts` and `deploys` every second. */
import { startBackend } from './backend';

const backend = await startBackend({ port: Number(process.argv[2] ?? 3300) });
let n = 0;
const timer = setInterval(() => {
  n++;
  backend.publish('alerts', `alert ${n}`, n % 5 === 0 ? 'error' : 'info');
  if (n % 3 === 0) backend.publish('deploys', `deploy ${n / 3}`);
}, 1000);
console.log(`existing backend on ${backend.url} (namespace /api/v1/ws, REST /api/v1/notifications; token "ada-token")`);
process.on('SIGINT', () => {
  clearInterval(timer);
  void backend.close();
});
