/**
 * The DNS layer against the machine's real resolver (getaddrinfo). `nonexistent.invalid` can
 * never resolve (RFC 2606 reserves .invalid), so this holds offline too: without a network the
 * lookup fails (or times out) as well, and either way the layer is broken and says what to check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis, type LayerName, type LayerResult } from '@lifeline/doctor';
import { startServer, waitFor, type TestServer } from '@lifeline/testkit';

let server: TestServer;
const layer = (d: Diagnosis, name: LayerName): LayerResult => d.layers.find((l) => l.layer === name)!;
const statuses = (d: Diagnosis) => Object.fromEntries(d.layers.map((l) => [l.layer, l.status]));

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
});

describe('dns layer', () => {
  it('reports a host that does not resolve on the DNS layer, with what to check, and checks nothing below it', async () => {
    const d = await diagnose({ url: 'https://nonexistent.invalid:8443', timeoutMs: 3000 });
    expect(d.layers.map((l) => l.layer)).toEqual(['url', 'dns', 'tcp', 'tls', 'http', 'websocket', 'namespace', 'companion']);
    const dns = layer(d, 'dns');
    expect(dns.status).toBe('broken');
    expect(['UNREACHABLE', 'TIMEOUT']).toContain(dns.code);
    expect(dns.finding).toContain('"nonexistent.invalid"');
    expect(dns.hint).toMatch(/typo/);
    expect(dns.hint).toMatch(/VPN/);
    expect(dns.hint).toMatch(/\/etc\/hosts/);
    for (const below of ['tcp', 'tls', 'http', 'websocket', 'namespace'] as const) {
      expect(layer(d, below), below).toMatchObject({ status: 'skipped', finding: expect.stringMatching(/^not checked: DNS failed/) });
    }
    expect(d.ok).toBe(false);
    expect(d.summary).toMatchObject({ broken: ['dns'], transport: null });
  });

  it('passes an IP address without a lookup and resolves localhost, then checks every layer', async () => {
    const ip = await diagnose({ url: server.url, timeoutMs: 3000 });
    expect(layer(ip, 'dns')).toMatchObject({ status: 'ok', finding: '127.0.0.1 is an IP address: nothing to resolve' });
    expect(statuses(ip)).toMatchObject({ dns: 'ok', tcp: 'ok', tls: 'skipped', http: 'ok', websocket: 'ok', namespace: 'ok' });
    expect(layer(ip, 'tls').finding).toMatch(/http:\/\/ or ws:\/\/, without TLS/);
    expect(ip.ok).toBe(true);

    const named = await diagnose({ url: `http://localhost:${server.port}`, timeoutMs: 3000 });
    expect(layer(named, 'dns').status).toBe('ok');
    expect(layer(named, 'dns').finding).toMatch(/^localhost resolves to .*127\.0\.0\.1/);
    expect(statuses(named)).toMatchObject({ tcp: 'ok', http: 'ok', websocket: 'ok', namespace: 'ok' });
    await waitFor(() => server.io.engine.clientsCount === 0, { timeoutMs: 3000, message: 'server has no Engine.IO client left' });
  });
});
