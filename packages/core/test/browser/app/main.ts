/**
 * The page of crossOrigin.test.ts, served from one origin and talking to an API on another:
 * `?api=<origin>&transport=<rung>` logs in (a cookie session, set cross-origin), then asks the
 * server who it is over the rung, with no token anywhere: only `withCredentials`.
 */
import { createClient, type TransportName } from '@lifeline/core';

const params = new URLSearchParams(location.search);
const api = params.get('api') ?? '';
const transport = (params.get('transport') ?? 'websocket') as TransportName;
const out = document.getElementById('out')!;
const report = (result: Record<string, unknown>) => {
  (window as unknown as { result: unknown }).result = result;
  out.textContent = JSON.stringify(result);
};

async function main(): Promise<void> {
  if (params.has('login')) {
    const res = await fetch(`${api}/login`, { method: 'POST', credentials: 'include' });
    if (!res.ok) throw new Error(`login: ${res.status}`);
  }
  const client = createClient({
    // `?same`: no url at all, the page's own origin (as io() does).
    ...(params.has('same') ? {} : { url: api }),
    withCredentials: !params.has('noCredentials'),
    transports: [transport],
    ...(transport === 'http' ? { http: { url: `${api}/lifeline`, wait: 0, intervalMs: 200 } } : {}),
    reconnect: { attempts: 2, delayMs: 100, maxDelayMs: 300, timeoutMs: 3000 },
  });
  const errors: string[] = [];
  client.on('error', (e) => errors.push(e.code));
  // The server's answer, or the client stopping on a refusal (the queued emit waits for a rung otherwise).
  const stopped = new Promise<string>((resolve) => client.subscribeState((s) => s.status === 'idle' && s.lastError && resolve(`failed: ${s.lastError.code}`)));
  const who = await Promise.race([client.emit('whoami', null, { ack: true, timeoutMs: 8000 }).catch((e: { code?: string }) => `failed: ${e.code}`), stopped]);
  report({ who, transport: client.getState().transport, lastError: client.getState().lastError?.code ?? null, errors });
  client.close();
}

main().catch((e: unknown) => report({ fatal: String(e) }));
