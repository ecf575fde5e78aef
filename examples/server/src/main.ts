import { startTicketDesk } from './ticketDesk';

const port = Number(process.env.PORT ?? 3000);
const desk = await startTicketDesk({ port, ...(process.env.STATIC_DIR ? { staticDir: process.env.STATIC_DIR } : {}) });
console.log(`ticket desk on ${desk.url} (namespace /notifications, token "demo-token")`);
const statuses = ['open', 'pending', 'closed'] as const;
let i = 0;
setInterval(() => void desk.update('42', statuses[i++ % 3]!), 2000);
