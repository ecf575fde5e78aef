/** Wiring for http transport tests: a TransportContext, a recording harness, a scriptable HTTP server and a stall-proof bound. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpTransportOptions, IncomingEvent, Transport, TransportContext, TransportFailure } from '../../src/transports/types';

export function contextFor(http: HttpTransportOptions, over: Partial<TransportContext> = {}): TransportContext {
  return {
    url: 'http://127.0.0.1:1',
    namespace: '/ns',
    path: '/socket.io',
    auth: { token: 'ada-token' },
    timeoutMs: 2000,
    channelProtocol: { join: async () => ({ ok: true }), leave: async () => {} },
    isAuthError: () => false,
    http,
    ...over,
  };
}

/** Records what a transport reports. */
export function watch(transport: Transport) {
  const seen = { open: 0, messages: [] as IncomingEvent[], closes: [] as TransportFailure[], expired: [] as Array<{ channel: string; message: string }> };
  transport.on('open', () => seen.open++);
  transport.on('message', (m) => seen.messages.push(m));
  transport.on('close', (f) => seen.closes.push(f));
  transport.on('expired', (channel, message) => seen.expired.push({ channel, message }));
  return seen;
}

export interface Scripted {
  url: string;
  requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; at: number; body: string }>;
  close(): Promise<void>;
}

/** A tiny HTTP server whose answers a test scripts: `answer(req, n)` → [status, headers, body]. */
export async function scriptedServer(answer: (req: http.IncomingMessage, n: number) => [number, Record<string, string>, string]): Promise<Scripted> {
  const requests: Scripted['requests'] = [];
  const server = http.createServer((req, res) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, at, body: Buffer.concat(chunks).toString('utf8') });
      const [status, headers, body] = answer(req, requests.length);
      res.writeHead(status, headers);
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): [number, Record<string, string>, string] => [
  status,
  { 'content-type': 'application/json', ...headers },
  JSON.stringify(body),
];

