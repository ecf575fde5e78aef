/**
 * The TLS layer and --insecure against real HTTPS Socket.IO servers on 127.0.0.1 serving
 * certificates made by `openssl` for this run (test/tls-fixtures.ts): self-signed, a valid one from
 * a test CA, one for another host name, an expired one. The CA is trusted only in child processes
 * started with NODE_EXTRA_CA_CERTS, the way a user trusts a private CA.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, formatReport, type Diagnosis, type LayerName, type LayerResult } from '@lifeline/doctor';
import { startServer, waitFor, type TestServer } from '@lifeline/testkit';
import { makeCertificates, startHttpsServer, type Certificates, type HttpsSocketServer } from './tls-fixtures';

const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

let certs: Certificates;
let selfSigned: HttpsSocketServer;
let valid: HttpsSocketServer;
let otherHost: HttpsSocketServer;
let expired: HttpsSocketServer;
let plain: TestServer;

const layer = (d: Diagnosis, name: LayerName): LayerResult => d.layers.find((l) => l.layer === name)!;
const statuses = (d: Diagnosis) => Object.fromEntries(d.layers.map((l) => [l.layer, l.status]));

function run(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(tsx, [cli, ...args], { timeout: 20_000, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  certs = makeCertificates();
  [selfSigned, valid, otherHost, expired, plain] = await Promise.all([
    startHttpsServer(certs.selfSigned),
    startHttpsServer(certs.valid),
    startHttpsServer(certs.otherHost),
    startHttpsServer(certs.expired),
    startServer(),
  ]);
});

afterAll(async () => {
  await Promise.all([selfSigned, valid, otherHost, expired].map((s) => s?.close()));
  await plain?.close();
  certs?.remove();
});

describe('tls layer', () => {
  it('reports a self-signed certificate on the TLS layer with its code and a fix, and checks nothing behind it', async () => {
    const d = await diagnose({ url: selfSigned.url, timeoutMs: 3000 });
    expect(statuses(d)).toMatchObject({ dns: 'ok', tcp: 'ok', tls: 'broken', http: 'skipped', websocket: 'skipped', namespace: 'skipped' });
    const tls = layer(d, 'tls');
    expect(tls.finding).toMatch(/is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
    expect(tls.hint).toMatch(/Let's Encrypt/);
    expect(tls.hint).toMatch(/NODE_EXTRA_CA_CERTS/);
    expect(tls.hint).toMatch(/--insecure/);
    expect(layer(d, 'http').finding).toMatch(/^not checked: TLS failed \(run again with --insecure/);
    expect(d).toMatchObject({ ok: false, insecure: false, summary: { transport: null, broken: ['tls'] } });
    expect(d.summary.lifeline).toMatch(/refuses the server's certificate/);
  });

  it('with insecure, still reports the certificate but checks every layer behind it, saying it was not verified', async () => {
    const d = await diagnose({ url: selfSigned.url, http: '/lifeline', timeoutMs: 3000, insecure: true });
    expect(statuses(d)).toMatchObject({ tls: 'broken', http: 'ok', websocket: 'ok', namespace: 'ok' });
    // The companion's request got through TLS too: the server itself answered (it has no companion).
    expect(layer(d, 'companion').finding).toMatch(/answered 404.*not mounted/);
    expect(layer(d, 'tls').finding).toMatch(/self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\); not verified \(--insecure\): the layers below were checked anyway/);
    expect(layer(d, 'websocket').finding).toMatch(/upgrade to wss:\/\/127\.0\.0\.1:\d+\/socket\.io\/.* answered 101/);
    expect(d).toMatchObject({ ok: false, insecure: true, summary: { transport: null } });
    expect(d.summary.lifeline).toMatch(/Behind the certificate \(checked with --insecure\): Everything works/);
    expect(formatReport(d).split('\n')[0]).toMatch(/certificates not verified: --insecure\)$/);
    await waitFor(() => selfSigned.io.engine.clientsCount === 0, { timeoutMs: 3000, message: 'server has no Engine.IO client left' });
  });

  it('tells a port that speaks plain HTTP from a certificate problem', async () => {
    const d = await diagnose({ url: `https://127.0.0.1:${plain.port}`, timeoutMs: 3000, insecure: true });
    expect(layer(d, 'tls')).toMatchObject({ status: 'broken', finding: expect.stringMatching(/does not speak TLS .*plain HTTP/), hint: expect.stringMatching(/Use http:\/\//) });
    // --insecure skips verification, not the handshake: nothing behind a failed handshake is checked.
    expect(statuses(d)).toMatchObject({ http: 'skipped', websocket: 'skipped', namespace: 'skipped' });
  });
});

describe('lifeline-doctor over TLS', () => {
  it('exits 1 on a self-signed certificate, with or without --insecure, and --insecure checks the rest', async () => {
    const [strict, insecure] = await Promise.all([run({}, selfSigned.url, '--timeout', '3000'), run({}, selfSigned.url, '--insecure', '--json', '--timeout', '3000')]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/BROKEN\s+TLS\s+certificate of 127\.0\.0\.1:\d+ for "localhost" is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
    expect(strict.stdout).toMatch(/skipped\s+HTTP\s+not checked: TLS failed/);
    expect(insecure.code).toBe(1);
    const d = JSON.parse(insecure.stdout) as Diagnosis;
    expect(d.insecure).toBe(true);
    expect(statuses(d)).toMatchObject({ tls: 'broken', http: 'ok', websocket: 'ok', namespace: 'ok' });
  });

  it('with the CA trusted (NODE_EXTRA_CA_CERTS): verifies a valid certificate, names a host name mismatch and an expired one', async () => {
    const env = { NODE_EXTRA_CA_CERTS: certs.caFile };
    const [ok, mismatch, old] = await Promise.all([valid, otherHost, expired].map((s) => run(env, s.url, '--json', '--timeout', '3000')));
    expect(ok!.stderr).toBe('');
    expect(ok!.code).toBe(0);
    const good = JSON.parse(ok!.stdout) as Diagnosis;
    expect(layer(good, 'tls')).toMatchObject({ status: 'ok', finding: expect.stringMatching(/certificate for "127\.0\.0\.1" issued by "Lifeline Doctor Test CA", valid until .*: verified$/) });
    expect(statuses(good)).toMatchObject({ http: 'ok', websocket: 'ok', namespace: 'ok' });

    expect(mismatch!.code).toBe(1);
    const wrong = layer(JSON.parse(mismatch!.stdout) as Diagnosis, 'tls');
    expect(wrong.finding).toMatch(/is for other\.example, not for "127\.0\.0\.1" \(host name mismatch\) \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
    expect(wrong.hint).toMatch(/subjectAltName includes "127\.0\.0\.1"/);

    expect(old!.code).toBe(1);
    const stale = layer(JSON.parse(old!.stdout) as Diagnosis, 'tls');
    expect(stale.finding).toMatch(/expired on .* \(CERT_HAS_EXPIRED\)/);
    expect(stale.hint).toMatch(/Renew it/);
  });
});
