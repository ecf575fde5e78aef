/**
 * `pnpm bench`: runs every benchmark in one process, one after the other, and prints one table
 * (metric, Lifeline, baselines, ratio, target, met). Benchmarks print numbers; they never fail
 * the build (the size budgets do, as a vitest test: bench/size/size.test.ts).
 *
 *   pnpm bench                       everything, full length (a few minutes)
 *   pnpm bench --quick               shorter windows and fewer clients, for development
 *   pnpm bench --only=latency,size   a subset: size, latency, failover, http, server, presence, share
 *   pnpm bench --write-docs          also replace the results in docs/benchmarks.md
 *
 * Every benchmark has a time limit and the whole run a budget (under 10 minutes on 2 cores): a
 * benchmark that overruns becomes a `failed: did not finish within N s` row and the run goes on.
 */
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureSourceCondition, machine } from './lib/env';
import { formatTable, type Row } from './lib/row';

ensureSourceCondition();

type Bench = (options: { quick?: boolean }) => Promise<Row[]>;
/** Longest each benchmark may take, s (full runs take about a quarter of this on 2 cores). */
const LIMIT_S: Record<string, number> = { size: 60, latency: 120, failover: 200, http: 120, server: 180, presence: 120, share: 90 };
/** The whole run stops starting benchmarks past this, s: `pnpm bench` must end within 10 minutes. */
const BUDGET_S = 560;

const BENCHES: Record<string, () => Promise<Bench>> = {
  size: async () => (await import('./size/run')).run,
  latency: async () => (await import('./latency/run')).run,
  failover: async () => (await import('./failover/run')).run,
  http: async () => (await import('./http/run')).run,
  server: async () => (await import('./server/run')).run,
  presence: async () => (await import('./server/presence')).run,
  share: async () => (await import('./share/run')).run,
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const names = Object.keys(BENCHES).filter((n) => !only || only.includes(n));

const started = Date.now();
const header = [
  `date: ${new Date().toISOString()}`,
  `machine: ${machine()}`,
  `commit: ${gitCommit()}`,
  `command: pnpm bench${args.length ? ' ' + args.join(' ') : ''}`,
];
console.log(header.join('\n') + '\n');

const rows: Row[] = [];
for (const name of names) {
  const t = Date.now();
  process.stdout.write(`running ${name}… `);
  const limitS = Math.floor(Math.min(LIMIT_S[name] ?? 120, BUDGET_S - (Date.now() - started) / 1000));
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    if (limitS <= 0) throw new Error(`not started: the ${BUDGET_S} s budget of the whole run was used up`);
    const run = await BENCHES[name]!();
    const overrun = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not finish within ${limitS} s`)), limitS * 1000);
    });
    rows.push(...(await Promise.race([run({ quick }), overrun])));
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    rows.push({ bench: name, metric: 'benchmark run', lifeline: `failed: ${msg.slice(0, 160)}`, baselines: '—', ratio: '—', target: '—', met: 'no' });
  } finally {
    clearTimeout(timer);
  }
  console.log(`${((Date.now() - t) / 1000).toFixed(1)} s`);
}

const table = formatTable(rows);
const unmeasured = rows.filter((r) => r.met === 'no' && (r.lifeline.startsWith('not measured') || r.lifeline.startsWith('failed')));
const missed = rows.filter((r) => r.met === 'no' && !unmeasured.includes(r));
const list = (rs: Row[]) => (rs.length ? ': ' + rs.map((r) => `${r.bench} ${r.metric}`).join('; ') : '');
const summary = [
  `${rows.filter((r) => r.met === 'yes').length} targets met, ${missed.length} missed${list(missed)}.`,
  unmeasured.length ? `${unmeasured.length} targets not measured${list(unmeasured)}.` : '',
  `Total ${((Date.now() - started) / 1000).toFixed(0)} s.`,
].filter(Boolean).join(' ');
console.log('\n' + table + '\n\n' + summary);

if (args.includes('--write-docs')) {
  const path = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
  const doc = readFileSync(path, 'utf8');
  const block = `<!-- results:start -->\n\`\`\`\n${header.join('\n')}\n\`\`\`\n\n${table}\n\n${summary}\n<!-- results:end -->`;
  writeFileSync(path, doc.replace(/<!-- results:start -->[\s\S]*<!-- results:end -->/, block));
  console.log(`wrote ${path}`);
}
process.exit(0);

function gitCommit(): string {
  try {
    const sha = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execSync('git status --porcelain', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() ? ' (with uncommitted changes)' : '';
    return sha + dirty;
  } catch {
    return 'unknown';
  }
}
