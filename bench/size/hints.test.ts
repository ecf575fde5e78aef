/**
 * The hints survive production: `@lifeline/core` as npm installs it (bench/size/build.ts),
 * bundled like an app's production build (esbuild, minified, code splitting,
 * NODE_ENV=production), and run. The hint texts are a chunk of their own that the app loads with
 * the first error, and every code still gets its full hint from it: through `error` events and
 * rejections without any preparation, and on any error once `loadHints()` resolved.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LifelineErrorCode, LifelineErrorFacts } from '../../packages/core/src/errors';
import { HINTS, SPECIFIC } from '../../packages/core/src/hints';
import { builtPackages } from './build';
import { BUNDLER_TARGET } from './measure';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DETAILS: LifelineErrorFacts = { url: 'https://api.example.com', namespace: '/api/chat', event: 'save', channel: 'room:1', timeoutMs: 5000, status: 502, transport: 'polling', serverMessage: 'nope', bodySnippet: '<html>' };

/** The app: reports what it sees as JSON on stdout. */
const APP = `
import { createClient, LifelineError, loadHints } from '@lifeline/core';
const codes = ${JSON.stringify(Object.keys(HINTS))};
const details = ${JSON.stringify(DETAILS)};
const out = { before: {}, after: {}, event: null, rejection: null, thrown: null };
// Bad options throw at once, before anything could load.
let thrown;
try { createClient({ url: 'https://api.example.com/api' }); } catch (e) { thrown = e; out.thrown = { code: e.code, message: e.message, hint: e.hint }; }
const early = codes.map((c) => new LifelineError(c, 'm', details));
for (const e of early) out.before[e.code] = e.hint;
// No loadHints() here: the error event and the rejection wait for the texts themselves.
const client = createClient({ url: 'http://127.0.0.1:9', autoConnect: false, outbox: { maxSize: 0 } });
const event = new Promise((resolve) => client.on('error', (e) => resolve({ code: e.code, hint: e.hint, message: e.message })));
client.emit('save', 1);
out.event = await event;
out.rejection = await client.emit('save', 10n, { ack: true }).then(() => null, (e) => ({ code: e.code, hint: e.hint }));
client.close();
out.loaded = await loadHints();
out.thrownAfter = thrown.hint;
for (const e of early) out.after[e.code] = e.hint;
console.log(JSON.stringify(out));
`;

interface Seen {
  before: Record<string, string>;
  after: Record<string, string>;
  event: { code: string; hint: string; message: string };
  rejection: { code: string; hint: string };
  thrown: { code: string; message: string; hint: string };
  thrownAfter: string;
  loaded: boolean;
}

describe('hints in a production bundle of the published package', () => {
  let seen: Seen;
  let upFront: string;
  let files: string[];
  let outdir: string;
  let entry: string;

  beforeAll(async () => {
    const dir = await builtPackages();
    outdir = join(dir, 'app');
    const result = await build({
      stdin: { contents: APP, resolveDir: dir, loader: 'js', sourcefile: 'app.js' },
      outdir,
      absWorkingDir: ROOT,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: [...BUNDLER_TARGET],
      external: ['socket.io-client'],
      define: { 'process.env.NODE_ENV': '"production"' },
      metafile: true,
      logLevel: 'silent',
    });
    files = readdirSync(outdir);
    entry = Object.keys(result.metafile.outputs).find((k) => result.metafile.outputs[k]!.entryPoint?.endsWith('app.js'))!;
    const eager = [entry, ...result.metafile.outputs[entry]!.imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => i.path)];
    upFront = eager.map((p) => readFileSync(join(ROOT, p), 'utf8')).join('\n');
    // Run as the app (in Node: socket.io-client resolves from the repository's node_modules).
    seen = JSON.parse(execFileSync(process.execPath, [join(ROOT, entry)], { encoding: 'utf8', timeout: 20_000 }));
  }, 120_000);

  it('the hint texts are not in the code loaded up front, but in a chunk of their own', () => {
    expect(upFront).not.toContain('proxy_set_header Upgrade');
    expect(upFront).not.toContain('need sticky sessions for polling');
    const withTexts = files.filter((f) => !entry.endsWith(f) && readFileSync(join(outdir, f), 'utf8').includes('proxy_set_header Upgrade'));
    expect(withTexts).toHaveLength(1);
  });

  it('before the texts loaded, an error made directly points to its section of docs/errors.md', () => {
    for (const code of Object.keys(HINTS)) expect(seen.before[code], code).toContain(`"${code}" in docs/errors.md`);
  });

  it.each(Object.keys(HINTS) as LifelineErrorCode[])('%s gets its full hint once the texts loaded', (code) => {
    expect(seen.loaded).toBe(true);
    expect(seen.after[code]).toBe((HINTS[code] as (d: LifelineErrorFacts) => string)(DETAILS));
  });

  it('the error event and a rejection carry the full hint without the app loading anything', () => {
    // The message of an error reported later is a text of the same chunk (hints.ts SAID): in full too.
    expect(seen.event).toEqual({ code: 'OUTBOX_FULL', hint: HINTS.OUTBOX_FULL({ event: 'save' }), message: 'The outbox is full: "save" was not queued.' });
    expect(seen.rejection).toEqual({ code: 'BAD_INPUT', hint: SPECIFIC.payload() });
  });

  it('an option error thrown synchronously names the option; its specific hint is there once loaded', () => {
    expect(seen.thrown.code).toBe('BAD_INPUT');
    expect(seen.thrown.message).toBe('Bad `url`: "https://api.example.com/api".');
    // Read at once, before the texts could load: the docs pointer. The same error once they have:
    expect(seen.thrown.hint).toContain('"BAD_INPUT" in docs/errors.md');
    expect(seen.thrownAfter).toBe(SPECIFIC.urlPath({ value: 'https://api.example.com/api', path: '/api', origin: 'https://api.example.com' }));
    expect(seen.thrownAfter).toContain('has a path ("/api")');
  });
});
