import { DEFAULT_TIMEOUT_MS } from './constants';
import { probeCompanion } from './probes/companion';
import { probeDns } from './probes/dns';
import { probeHttp } from './probes/http';
import { probeNamespace } from './probes/namespace';
import { probeTcp } from './probes/tcp';
import { probeTls } from './probes/tls';
import { checkUrl } from './probes/url';
import { probeWebSocket } from './probes/websocket';
import { summarize } from './summary';
import type { DiagnoseOptions, Diagnosis, LayerName, LayerResult, Target } from './types';

const skipped = (layer: LayerName, finding: string): LayerResult => ({ layer, status: 'skipped', finding });

/**
 * Probes a Socket.IO deployment layer by layer (URL, DNS, TCP, TLS for https/wss, Engine.IO
 * polling handshake, WebSocket upgrade, namespace, and the Lifeline HTTP endpoint when `http` is
 * given) and says which layer is broken, how to fix it, and what the Lifeline client will do.
 * Never rejects for a broken deployment: that is what the result describes. Every connection it
 * opens is closed before it resolves.
 *
 * @example
 * ```ts
 * import { diagnose, formatReport } from '@lifeline/doctor';
 *
 * const d = await diagnose({ url: 'https://api.example.com', namespace: '/notifications', token: process.env.TOKEN });
 * console.log(formatReport(d));
 * if (!d.ok) process.exitCode = 1;
 * ```
 */
export async function diagnose(options: DiagnoseOptions): Promise<Diagnosis> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const insecure = options.insecure ?? false;
  const layers: LayerResult[] = [];
  const { result: url, target: resolved } = checkUrl(options);
  layers.push(url);

  if (!resolved) {
    for (const layer of ['dns', 'tcp', 'tls', 'http', 'websocket', 'namespace', 'companion'] as const) layers.push(skipped(layer, 'not checked: the URL cannot be used'));
    return finish(layers, undefined, insecure);
  }

  let target = resolved;
  const socketIo = await probeConnection(target, timeoutMs, insecure, layers);
  if (socketIo) {
    const http = await probeHttp(target, { timeoutMs, pathGiven: options.path !== undefined, namespaceGiven: options.namespace !== undefined, insecure });
    layers.push(http.result);
    if (http.path !== undefined) {
      // The URL's path turned out to be a proxy prefix, not a namespace.
      target = { ...target, path: http.path, namespace: options.namespace ?? '/' };
    }
    const httpOk = http.result.status === 'ok';
    let wsOk = false;
    if (http.failure === 'unreachable') {
      layers.push(skipped('websocket', 'not checked: no server answers HTTP'));
    } else {
      const ws = await probeWebSocket(target, target.path, timeoutMs, insecure);
      layers.push(ws);
      wsOk = ws.status === 'ok';
    }
    if (httpOk || wsOk) {
      // The server's answer (namespace, auth) is the same on either carrier: use one that works.
      layers.push(await probeNamespace(target, { path: target.path, transport: httpOk ? 'polling' : 'websocket', token: options.token, timeoutMs, insecure }));
    } else {
      layers.push(skipped('namespace', 'not checked: neither polling nor WebSocket reaches Socket.IO'));
    }
  }

  layers.push(target.http === undefined ? skipped('companion', 'not checked: pass --http <url of the Lifeline endpoint> to check it') : await probeCompanion(target.http, { token: options.token, timeoutMs, insecure }));
  return finish(layers, target, insecure);
}

/**
 * DNS, TCP and TLS, pushed onto `layers`; on the first that fails, the layers it carries are
 * pushed as skipped. True when the Socket.IO layers can be checked.
 */
async function probeConnection(target: Target, timeoutMs: number, insecure: boolean, layers: LayerResult[]): Promise<boolean> {
  const skipRest = (from: readonly LayerName[], why: string) => {
    for (const layer of from) layers.push(skipped(layer, `not checked: ${why}`));
    return false;
  };
  const dns = await probeDns(target, timeoutMs);
  layers.push(dns);
  if (dns.status !== 'ok') return skipRest(['tcp', 'tls', 'http', 'websocket', 'namespace'], `DNS failed (the host "${target.host}" does not resolve)`);
  const tcp = await probeTcp(target, timeoutMs);
  layers.push(tcp);
  if (tcp.status !== 'ok') return skipRest(['tls', 'http', 'websocket', 'namespace'], 'TCP is broken');
  if (!target.secure) {
    layers.push(skipped('tls', 'not checked: the URL is http:// or ws://, without TLS'));
    return true;
  }
  const tls = await probeTls(target, { timeoutMs, insecure });
  layers.push(tls.result);
  if (tls.result.status === 'ok' || (insecure && tls.handshake)) return true;
  return skipRest(['http', 'websocket', 'namespace'], insecure ? 'no TLS connection' : 'TLS failed (run again with --insecure to check them without verifying the certificate)');
}

function finish(layers: readonly LayerResult[], target: Diagnosis['target'], insecure: boolean): Diagnosis {
  return { ok: layers.every((l) => l.status !== 'broken'), target, layers, summary: summarize(layers), insecure };
}
