/**
 * Real certificates made with the `openssl` CLI for the TLS tests (a CA, a self-signed leaf, and
 * leaves the CA signs: valid, for another host name, expired), and HTTPS Socket.IO servers on
 * 127.0.0.1 that serve them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from 'socket.io';

export interface KeyPair {
  readonly key: string;
  readonly cert: string;
}

export interface Certificates {
  /** Directory holding the files (ca.pem for NODE_EXTRA_CA_CERTS). */
  readonly dir: string;
  readonly caFile: string;
  readonly selfSigned: KeyPair;
  /** Signed by the CA for 127.0.0.1 and localhost. */
  readonly valid: KeyPair;
  /** Signed by the CA for other.example only. */
  readonly otherHost: KeyPair;
  /** Signed by the CA, expired yesterday. */
  readonly expired: KeyPair;
  remove(): void;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Generates every certificate the tests use (EC keys: fast). Needs `openssl` on PATH. */
export function makeCertificates(): Certificates {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-doctor-tls-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const read = (name: string): KeyPair => ({ key: readFileSync(file(`${name}.key`), 'utf8'), cert: readFileSync(file(`${name}.pem`), 'utf8') });

  openssl('req', '-x509', ...EC, '-keyout', 'self.key', '-out', 'self.pem', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1');
  openssl('req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Lifeline Doctor Test CA');
  const leaf = (name: string, cn: string, san: string, days: string) => {
    writeFileSync(file(`${name}.ext`), `subjectAltName=${san}\n`);
    openssl('req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', days, '-extfile', `${name}.ext`);
  };
  leaf('valid', '127.0.0.1', 'IP:127.0.0.1,DNS:localhost', '2');
  leaf('other', 'other.example', 'DNS:other.example', '2');
  // -days -1: not after = a day before now.
  leaf('expired', '127.0.0.1', 'IP:127.0.0.1,DNS:localhost', '-1');

  return {
    dir,
    caFile: file('ca.pem'),
    selfSigned: read('self'),
    valid: read('valid'),
    otherHost: read('other'),
    expired: read('expired'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface HttpsSocketServer {
  readonly io: Server;
  readonly port: number;
  /** https://127.0.0.1:port */
  readonly url: string;
  close(): Promise<void>;
}

/** A Socket.IO server over HTTPS on 127.0.0.1 with the given certificate. */
export async function startHttpsServer(pair: KeyPair): Promise<HttpsSocketServer> {
  const server = https.createServer({ key: pair.key, cert: pair.cert }, (req, res) => {
    // Socket.IO answers its own path; anything else is a 404, as a server without the companion would.
    if (req.url?.startsWith('/socket.io')) return;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not found"}');
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const io = new Server(server, { pingInterval: 2000, pingTimeout: 2000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    io,
    port,
    url: `https://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
