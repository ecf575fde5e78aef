import { startGatewayApp } from './app';

const { app, url, gateway } = await startGatewayApp({ port: Number(process.env.PORT ?? 3000), logger: true });
app.enableShutdownHooks();
console.log(`NestJS gateway on ${url}: Socket.IO namespace /notifications, HTTP rung on /lifeline, token "demo-token"`);
let n = 0;
setInterval(() => void gateway.publish('broadcast', 'notification:created', { id: String(++n), text: `Notification ${n}` }), 2000);
