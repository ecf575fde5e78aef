import { describe, expect, it } from 'vitest';
import { formatJson, formatReport } from '../report';
import { summarize } from '../summary';
import type { Diagnosis, LayerResult } from '../types';

const target = { url: 'https://app.example.com', origin: 'https://app.example.com', host: 'app.example.com', port: 443, secure: true, path: '/socket.io', namespace: '/' };

function diagnosis(layers: LayerResult[]): Diagnosis {
  return { ok: layers.every((l) => l.status !== 'broken'), target, layers, summary: summarize(layers) };
}

const nginxWithoutUpgrade: LayerResult[] = [
  { layer: 'url', status: 'ok', finding: 'origin https://app.example.com, path /socket.io, namespace /' },
  { layer: 'tcp', status: 'ok', finding: 'app.example.com:443 accepts connections', ms: 12 },
  { layer: 'http', status: 'ok', finding: 'Engine.IO polling handshake answered 200 (sid abc)', ms: 40 },
  { layer: 'websocket', status: 'broken', code: 'UPGRADE_BLOCKED', finding: 'upgrade answered 400', hint: 'add the Upgrade headers', ms: 30 },
  { layer: 'namespace', status: 'ok', finding: 'connected to namespace "/" over polling', ms: 50 },
  { layer: 'companion', status: 'skipped', finding: 'not checked: pass --http' },
];

describe('formatReport', () => {
  it('prints one aligned line per layer, a fix line under a broken one, then the summary', () => {
    expect(formatReport(diagnosis(nginxWithoutUpgrade)).split('\n')).toEqual([
      'lifeline-doctor https://app.example.com  (path /socket.io, namespace /)',
      '',
      '  ok       URL            origin https://app.example.com, path /socket.io, namespace /',
      '  ok       TCP            app.example.com:443 accepts connections  (12 ms)',
      '  ok       HTTP           Engine.IO polling handshake answered 200 (sid abc)  (40 ms)',
      '  BROKEN   WebSocket      upgrade answered 400  (30 ms)',
      '                          fix: add the Upgrade headers',
      '  ok       Namespace      connected to namespace "/" over polling  (50 ms)',
      '  skipped  Lifeline HTTP  not checked: pass --http',
      '',
      'Works: URL, TCP, HTTP, Namespace. Broken: WebSocket.',
      'WebSocket is blocked but polling works: Lifeline will run on polling and probe WebSocket every 30 s.',
    ]);
  });

  it('says "nothing" when no layer is broken and names the http endpoint in the header', () => {
    const layers = nginxWithoutUpgrade.map((l): LayerResult => (l.layer === 'websocket' ? { layer: 'websocket', status: 'ok', finding: '101' } : l));
    const text = formatReport({ ...diagnosis(layers), target: { ...target, http: 'https://app.example.com/lifeline' } });
    expect(text).toContain('(path /socket.io, namespace /, http https://app.example.com/lifeline)');
    expect(text).toContain('Broken: nothing.');
    expect(text).not.toContain('fix:');
  });

  it('prints a header without a target when the URL could not be parsed', () => {
    const layers: LayerResult[] = [{ layer: 'url', status: 'broken', finding: '"x" is not an absolute URL', hint: 'pass an origin' }];
    expect(formatReport({ ...diagnosis(layers), target: undefined }).split('\n')[0]).toBe('lifeline-doctor');
  });
});

describe('formatJson', () => {
  it('round-trips the diagnosis', () => {
    const d = diagnosis(nginxWithoutUpgrade);
    expect(JSON.parse(formatJson(d))).toEqual(d);
  });
});

describe('formatReport wrapping', () => {
  it('wraps fix lines at the width with a hanging indent, keeping every word', () => {
    const hint = 'In nginx, add to the Socket.IO location: proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"; Lifeline falls back to polling meanwhile.';
    const layers = nginxWithoutUpgrade.map((l): LayerResult => (l.layer === 'websocket' ? { ...l, hint } : l));
    const lines = formatReport(diagnosis(layers), { width: 80 }).split('\n');
    const fix = lines.slice(lines.findIndex((l) => l.includes('fix:')), lines.findIndex((l) => l.includes('Namespace')));
    expect(fix.length).toBeGreaterThan(1);
    for (const line of fix) expect(line.length).toBeLessThanOrEqual(80);
    expect(fix.slice(1).every((line) => line.startsWith(' '.repeat(31)))).toBe(true);
    expect(fix.map((l) => l.trim()).join(' ')).toBe(`fix: ${hint}`);
  });
});
