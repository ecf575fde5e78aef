import { DEFAULT_TIMEOUT_MS } from './constants';
import { probeCompanion } from './probes/companion';
import { probeHttp } from './probes/http';
import { probeNamespace } from './probes/namespace';
import { probeTcp } from './probes/tcp';
import { checkUrl } from './probes/url';
import { probeWebSocket } from './probes/websocket';
import { summarize } from './summary';
import type { DiagnoseOptions, Diagnosis, LayerName, LayerResult } from './types';

const skipped = (layer: LayerName, finding: string): LayerResult => ({ layer, status: 'skipped', finding });

/**
 * Probes a Socket.IO deployment layer by layer (URL, TCP, Engine.IO polling handshake, WebSocket
 * upgrade, namespace, and the Lifeline HTTP endpoint when `http` is given) and says which layer is
 * broken, how to fix it, and what the Lifeline client will do. Never rejects for a broken
 * deployment: that is what the result describes. Every connection it opens is closed before it
 * resolves.
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
  const layers: LayerResult[] = [];
  const { result: url, target: resolved } = checkUrl(options);
  layers.push(url);

  if (!resolved) {
    for (const layer of ['tcp', 'http', 'websocket', 'namespace', 'companion'] as const) layers.push(skipped(layer, 'not checked: the URL cannot be used'));
    return finish(layers, undefined);
  }

  let target = resolved;
  const tcp = await probeTcp(target, timeoutMs);
  layers.push(tcp);
  let httpOk = false;
  let wsOk = false;
  if (tcp.status !== 'ok') {
    for (const layer of ['http', 'websocket', 'namespace'] as const) layers.push(skipped(layer, 'not checked: TCP is broken'));
  } else {
    const http = await probeHttp(target, { timeoutMs, pathGiven: options.path !== undefined, namespaceGiven: options.namespace !== undefined });
    layers.push(http.result);
    if (http.path !== undefined) {
      // The URL's path turned out to be a proxy prefix, not a namespace.
      target = { ...target, path: http.path, namespace: options.namespace ?? '/' };
    }
    httpOk = http.result.status === 'ok';
    if (http.failure === 'unreachable') {
      layers.push(skipped('websocket', 'not checked: no server answers HTTP'));
    } else {
      const ws = await probeWebSocket(target, target.path, timeoutMs);
      layers.push(ws);
      wsOk = ws.status === 'ok';
    }
    if (httpOk || wsOk) {
      // The server's answer (namespace, auth) is the same on either carrier: use one that works.
      layers.push(await probeNamespace(target, { path: target.path, transport: httpOk ? 'polling' : 'websocket', token: options.token, timeoutMs }));
    } else {
      layers.push(skipped('namespace', 'not checked: neither polling nor WebSocket reaches Socket.IO'));
    }
  }

  layers.push(target.http === undefined ? skipped('companion', 'not checked: pass --http <url of the Lifeline endpoint> to check it') : await probeCompanion(target.http, { token: options.token, timeoutMs }));
  return finish(layers, target);
}

function finish(layers: readonly LayerResult[], target: Diagnosis['target']): Diagnosis {
  return { ok: layers.every((l) => l.status !== 'broken'), target, layers, summary: summarize(layers) };
}
