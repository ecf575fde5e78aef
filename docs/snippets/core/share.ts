// docs/snippets/core/share.ts — one connection for every tab of the app, per signed-in user.
import { createClient } from '@lifeline/core';

declare const me: { id: string; token: () => Promise<string> };

const client = createClient({
  url: 'https://api.example.com',
  auth: async () => ({ token: await me.token() }), // runs in the leader tab, before every attempt
  share: { key: me.id }, // tabs of different users never share (a static `auth` object is in the key already)
});

client.subscribeState((s) => {
  // 'leader': this tab holds the connection; 'follower': another tab does and relays;
  // 'solo': no sharing here (no Web Locks or BroadcastChannel, e.g. SSR or an old Safari).
  console.log(s.role, s.status, s.transport);
});
const room = client.channel('ticket:42'); // joins are counted across tabs: left on the server when no tab holds it
room.on('comment:added', (comment, meta) => console.log(meta.id, comment));
export const save = (text: string) => client.emit('comment:add', { text }, { ack: true }); // resolves in any tab, also across a hand-off
