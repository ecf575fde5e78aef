// docs/snippets/core/restAdapter.ts — an existing REST endpoint as the `http` rung, no companion.
import { createClient, type PollAdapter, type SendAdapter } from '@lifeline/core';

declare function getToken(): Promise<string>;

const API = 'https://api.example.com';
/** What the endpoint returns: `seq` increases by one per notification. */
type Notification = { seq: number; channel: string; text: string };

// GET /api/v1/notifications?since=N&channels=a,b  →  { items: Notification[], latest: number }
const poll: PollAdapter = async ({ cursor, channels, auth, signal }) => {
  const url = new URL('/api/v1/notifications', API);
  if (cursor !== undefined) url.searchParams.set('since', String(cursor)); // as returned last time
  if (channels.length > 0) url.searchParams.set('channels', channels.join(','));
  const res = await fetch(url, { headers: { authorization: `Bearer ${String(auth.token)}` }, signal });
  if (!res.ok) throw res; // by status: 401 → UNAUTHORIZED, 403 → FORBIDDEN, anything else retried
  const body = (await res.json()) as { items: Notification[]; latest: number };
  return { events: body.items.map((n) => ({ id: n.seq, event: 'notification', data: n })), cursor: body.latest };
};

// POST /api/v1/comments { text } → { id, text }: emits (and their acks) on the `http` rung.
const send: SendAdapter = async (event, data, { auth, signal }) => {
  if (event !== 'comment:add') throw new Error(`no REST route for "${event}"`);
  const res = await fetch(`${API}/api/v1/comments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${String(auth.token)}`, 'content-type': 'application/json' },
    body: JSON.stringify(data),
    signal,
  });
  if (!res.ok) throw res;
  return res.json(); // the ack reply
};

export const client = createClient({
  url: API,
  namespace: '/api/v1/ws',
  auth: async () => ({ token: await getToken() }), // the sockets' auth payload, and `auth` above
  http: { poll, send, intervalMs: 2000 },
  // Where each event sits in the endpoint's sequence: the REST rung resumes there after a fall,
  // and an event seen on both rungs around a switch is delivered once.
  cursorOf: (_event, data) => (data as Partial<Notification> | null)?.seq,
});

client.on('notification', (n) => console.log(n));
const reply = await client.emit('comment:add', { text: 'hi' }, { ack: true }); // on every rung
console.log(reply);
