import { describe, expect, it } from 'vitest';
import { summarize } from '../summary';
import type { LayerName, LayerResult, LayerStatus } from '../types';

type Row = Partial<Record<LayerName, LayerStatus | [LayerStatus, LayerResult['code']]>>;

function layers(row: Row): LayerResult[] {
  const order: LayerName[] = ['url', 'dns', 'tcp', 'tls', 'http', 'websocket', 'namespace', 'companion'];
  return order.map((layer) => {
    const v = row[layer] ?? 'ok';
    const [status, code] = Array.isArray(v) ? v : [v, undefined];
    return { layer, status, finding: layer, ...(code ? { code } : {}) };
  });
}

describe('summarize', () => {
  it.each<[string, Row, string | null, RegExp]>([
    ['everything works', { companion: 'skipped' }, 'websocket', /^Everything works: Lifeline will connect over WebSocket\.$/],
    ['WebSocket blocked, polling works', { websocket: 'broken' }, 'polling', /^WebSocket is blocked but polling works: Lifeline will run on polling and probe WebSocket every 30 s\.$/],
    ['polling refused by the server, WebSocket works', { http: 'broken' }, 'websocket', /no polling fallback/],
    ['only the companion answers', { http: 'broken', websocket: 'broken', namespace: 'skipped' }, 'http', /run on the http rung/],
    ['everything down', { tcp: 'broken', http: 'skipped', websocket: 'skipped', namespace: 'skipped', companion: 'skipped' }, null, /keeps retrying with backoff/],
    ['unknown namespace', { namespace: ['broken', 'INVALID_NAMESPACE'] }, null, /stop with INVALID_NAMESPACE/],
    ['credentials refused', { namespace: ['broken', 'UNAUTHORIZED'] }, null, /reports UNAUTHORIZED and stops/],
    ['a path in the URL', { url: 'broken', companion: 'skipped' }, 'websocket', /^First give createClient the origin only/],
    ['companion broken while Socket.IO works', { companion: 'broken' }, 'websocket', /The http rung would fail too/],
    ['unparseable URL', { url: 'broken', dns: 'skipped', tcp: 'skipped', tls: 'skipped', http: 'skipped', websocket: 'skipped', namespace: 'skipped', companion: 'skipped' }, null, /^Lifeline cannot start/],
    ['a host that does not resolve', { dns: 'broken', tcp: 'skipped', tls: 'skipped', http: 'skipped', websocket: 'skipped', namespace: 'skipped', companion: 'skipped' }, null, /keeps retrying with backoff/],
    ['a path in the URL and a host that does not resolve', { url: 'broken', dns: 'broken', tcp: 'skipped', tls: 'skipped', http: 'skipped', websocket: 'skipped', namespace: 'skipped', companion: 'skipped' }, null, /^First give createClient the origin only.*keeps retrying/],
    ['a refused certificate', { tls: 'broken', http: 'skipped', websocket: 'skipped', namespace: 'skipped', companion: 'skipped' }, null, /^Lifeline cannot connect: the client \(like a browser\) refuses the server's certificate[^]*fixed\.$/],
    ['a refused certificate, the rest checked with --insecure', { tls: 'broken', companion: 'skipped' }, null, /refuses the server's certificate.* Behind the certificate \(checked with --insecure\): Everything works/],
  ])('%s', (_name, row, transport, sentence) => {
    const s = summarize(layers(row));
    expect(s.transport).toBe(transport);
    expect(s.lifeline).toMatch(sentence);
  });

  it('lists what works and what is broken, in layer order', () => {
    expect(summarize(layers({ websocket: 'broken', companion: 'skipped' }))).toMatchObject({ works: ['url', 'dns', 'tcp', 'tls', 'http', 'namespace'], broken: ['websocket'] });
  });

  it('still reads diagnoses made before the dns and tls layers existed', () => {
    const old = (['url', 'tcp', 'http', 'websocket', 'namespace', 'companion'] as const).map((layer): LayerResult => ({ layer, status: layer === 'url' ? 'broken' : 'skipped', finding: layer }));
    expect(summarize(old).lifeline).toBe('Lifeline cannot start: createClient rejects this URL.');
  });
});
