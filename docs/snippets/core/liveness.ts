// docs/snippets/core/liveness.ts — heartbeat settings, a round trip on demand, the last RTT.
import { createClient } from '@lifeline/core';

const client = createClient({
  url: 'https://api.example.com',
  // The defaults: a heartbeat after 2 s without any incoming frame, dead after 2 s more.
  heartbeat: { intervalMs: 2000, timeoutMs: 2000 },
  // A server without the companion that acks its own event: heartbeat: { event: 'ping' }.
  // heartbeat: false relies on Engine.IO's ping alone (pingInterval + pingTimeout, 45 s by default).
});

export async function showLatency(label: { textContent: string | null }): Promise<void> {
  const ms = await client.ping({ timeoutMs: 3000 }); // rejects with TIMEOUT when unanswered
  label.textContent = `${ms} ms`;
}

// client.rtt is the last round trip measured (ping or heartbeat), outside the state snapshot:
// read it when you draw, so heartbeats never re-render a component bound to subscribeState.
setInterval(() => console.log('rtt', client.rtt ?? '—'), 10_000);
