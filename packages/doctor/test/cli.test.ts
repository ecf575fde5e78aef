/**
 * The `lifeline-doctor` bin in a child process (from source through tsx, as `node dist/cli.js`
 * runs it once built): exit codes 0 / 1 / 2, `--json` is parseable, usage errors are one sentence.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxy, startServer, type FaultProxy, type TestServer } from '@lifeline/testkit';

const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking this process's event loop (the server under test lives here). */
function run(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(tsx, [cli, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let server: TestServer;
let proxy: FaultProxy;

beforeAll(async () => {
  server = await startServer();
  proxy = await startProxy(server.port, 'reject-upgrade');
});

afterAll(async () => {
  await proxy.close();
  await server.close();
});

describe('lifeline-doctor', () => {
  it('exits 0 and prints every layer ok for a healthy server', async () => {
    const r = await run(server.url, '--timeout', '3000');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ok\s+WebSocket\s+upgrade to .* answered 101/);
    expect(r.stdout).toMatch(/Everything works: Lifeline will connect over WebSocket\./);
  });

  it('exits 1 with parseable --json when a layer is broken', async () => {
    const r = await run(proxy.url, '--json', '--timeout', '3000');
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout) as { ok: boolean; layers: { layer: string; status: string; hint?: string }[]; summary: { transport: string } };
    expect(d.ok).toBe(false);
    expect(d.layers.find((l) => l.layer === 'websocket')).toMatchObject({ status: 'broken', hint: expect.stringContaining('proxy_set_header Upgrade $http_upgrade') });
    expect(d.summary.transport).toBe('polling');
  });

  it('exits 0 for --help, which lists --insecure and every exit code', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+--insecure\s+check the layers after TLS even when the certificate does not verify/m);
    expect(r.stdout).toMatch(/Exit codes: 0 every layer works, 1 a layer is broken, 2 bad usage, 3 the doctor crashed/);
  });

  it('exits 1 with the DNS layer broken for a host that cannot resolve (--json keeps its shape, with the new layers in order)', async () => {
    const r = await run('http://nonexistent.invalid:3000', '--json', '--timeout', '3000');
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout) as { ok: boolean; insecure: boolean; layers: { layer: string; status: string; finding: string }[]; summary: { broken: string[] } };
    expect(d.layers.map((l) => `${l.layer}:${l.status}`)).toEqual(['url:ok', 'dns:broken', 'tcp:skipped', 'tls:skipped', 'http:skipped', 'websocket:skipped', 'namespace:skipped', 'companion:skipped']);
    expect(d.layers[2]!.finding).toMatch(/^not checked: DNS failed/);
    expect(d).toMatchObject({ ok: false, insecure: false, summary: { broken: ['dns'] } });
  });

  it('exits 2 with one clear sentence and the usage, never a stack trace, for bad usage', async () => {
    const cases = [[], ['not a url'], [server.url, '--timeout', 'soon'], [server.url, '--bogus']];
    const runs = await Promise.all(cases.map((args) => run(...args)));
    for (const [i, r] of runs.entries()) {
      expect(r.code, cases[i]!.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^lifeline-doctor: .+\n\nUsage: lifeline-doctor <url>/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
