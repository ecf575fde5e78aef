/**
 * Size: min+gzip of each package as npm installs it and an app's bundler ships it, against the
 * budgets; each capability's own row (FEATURES in measure.ts); what a React app pays in total
 * against socket.io-client alone.
 *
 * Standalone: `pnpm exec tsx bench/size/run.ts` (or `pnpm size`, which exits 1 over budget).
 */
import { ensureSourceCondition, isMain } from '../lib/env';
import { formatTable, met, notMeasured, type Row } from '../lib/row';
import { kb, ratio } from '../lib/stats';
import { APP_TOTAL, CORE, CORE_LEGACY, ENTRIES, measure, sizeOf, SOCKET_IO_CLIENT, type SizeResult } from './measure';

/** Capabilities that are lazy chunks of core: what, the chunk's name, the source file only it may hold. */
const CAPABILITIES: ReadonlyArray<readonly [string, string, string]> = [
  ['presence (`channel.presence`)', 'presence', 'packages/core/src/presence.ts'],
  ['history (`channel.history()`, `rewind`)', 'history', 'packages/core/src/history.ts'],
  ['share (`share: true`)', 'engine', 'packages/core/src/share/engine.ts'],
];

/** Measures every entry; one row each, plus the React-app total against socket.io-client. */
export async function run(): Promise<Row[]> {
  const results = new Map<string, SizeResult | string>();
  for (const entry of ENTRIES) {
    try {
      results.set(entry.name, await sizeOf(entry));
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const unresolved = /Could not resolve "(@lifeline\/[a-z/]+)"/.exec(msg)?.[1];
      results.set(entry.name, unresolved ? `${unresolved} is not built or not exported` : msg.split('\n').slice(0, 2).join(' ').slice(0, 140));
    }
  }
  const bench = 'size';
  const rows: Row[] = [];
  for (const entry of ENTRIES.filter((e) => e.budget !== undefined)) {
    const r = results.get(entry.name)!;
    const target = `${entry.over ? '+' : ''}≤ ${kb(entry.budget!)} min+gzip` + (entry.ceiling ? ` (CI ceiling ${kb(entry.ceiling)})` : '');
    if (typeof r === 'string') {
      rows.push(notMeasured(bench, entry.name, r, target));
      continue;
    }
    const lazy = r.lazyGzip ? ` + ${kb(r.lazyGzip)} lazy` : '';
    const value = entry.over ? `+${kb(r.gzip)} (+${kb(r.minified)} min)${lazy}` : `${kb(r.gzip)} (${kb(r.minified)} min)${lazy}`;
    rows.push({ bench, metric: `${entry.name}, up front`, lifeline: value, baselines: entry.over ? `over ${entry.over.name}` : '—', ratio: ratio(r.gzip, entry.budget!) + ' of target', target, met: met(r.gzip <= entry.budget!) });
  }
  const legacy = results.get(CORE_LEGACY.name)!;
  const core = results.get(CORE.name)!;
  // Presence, history and `share` are part of core's API (`channel.presence`, `channel.history()`,
  // `rewind`, the `share` option), not imports: each is a lazy chunk of its own, loaded on first
  // use, and its row checks that its code is not in what core loads up front (measured from the
  // sources, which name each input file). The glue that stays up front (the loaders, `role`, the
  // option checks) is in core's row: docs/benchmarks.md gives its bytes.
  const fromSources = await measure(CORE, { source: true }).catch(() => undefined);
  for (const [what, chunk, file] of CAPABILITIES) {
    const lazy = typeof core === 'string' ? undefined : core.lazyChunks.find((c) => c.name.startsWith(`${chunk}-`));
    const upFront = fromSources?.inputs.some((i) => i.path.endsWith(file));
    rows.push({ bench, metric: `${what}, lazy chunk`, lifeline: lazy ? `${kb(lazy.gzip)} lazy${upFront ? `, but ${file} is up front` : ''}` : `no ${chunk}-*.js chunk found`, baselines: '—', ratio: '—', target: 'lazy, not up front', met: met(lazy !== undefined && upFront === false) });
  }
  if (typeof legacy === 'string') rows.push(notMeasured(bench, CORE_LEGACY.name, legacy, '—'));
  else rows.push({ bench, metric: CORE_LEGACY.name, lifeline: `${kb(legacy.gzip)} (${kb(legacy.minified)} min) + ${kb(legacy.lazyGzip)} lazy`, baselines: '—', ratio: typeof core === 'string' ? '—' : `${ratio(legacy.gzip, core.gzip)} of the default target`, target: '—', met: '—' });
  const total = results.get(APP_TOTAL.name)!;
  const sio = results.get(SOCKET_IO_CLIENT.name)!;
  const sioText = typeof sio === 'string' ? `socket.io-client: ${sio}` : `socket.io-client alone ${kb(sio.gzip)}`;
  if (typeof total === 'string') rows.push(notMeasured(bench, APP_TOTAL.name, total, '—', sioText));
  else rows.push({ bench, metric: APP_TOTAL.name, lifeline: `${kb(total.gzip)}${total.lazyGzip ? ` + ${kb(total.lazyGzip)} lazy` : ''}`, baselines: sioText, ratio: typeof sio === 'string' ? '—' : `${ratio(total.gzip, sio.gzip)} (+${kb(total.gzip - sio.gzip)})`, target: '—', met: '—' });
  return rows;
}

if (isMain(import.meta.url)) {
  ensureSourceCondition();
  console.log(formatTable(await run()));
  process.exit(0);
}
