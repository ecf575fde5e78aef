/**
 * One line of the benchmark table, and how the table is printed. Every benchmark returns
 * `Row[]`; `bench/run.ts` prints them all as one markdown table (readable in a terminal and
 * pasted as-is into docs/benchmarks.md).
 */
export interface Row {
  /** Which benchmark produced the row: failover, latency, http, size, server. */
  readonly bench: string;
  readonly metric: string;
  /** Lifeline's value, formatted; or `not measured: <reason>`. */
  readonly lifeline: string;
  /** Baselines measured in the same run, `name value` joined with `; `. */
  readonly baselines: string;
  /** Lifeline ÷ the baseline the target is stated against (or `—`). */
  readonly ratio: string;
  readonly target: string;
  /** `yes`, `no`, or `—` when the row is informational. */
  readonly met: 'yes' | 'no' | '—';
}

/** A row whose Lifeline value could not be measured (the package is missing or threw). */
export function notMeasured(bench: string, metric: string, reason: string, target = '—', baselines = ''): Row {
  return { bench, metric, lifeline: `not measured: ${reason}`, baselines, ratio: '—', target, met: target === '—' ? '—' : 'no' };
}

export function met(ok: boolean | undefined): Row['met'] {
  return ok === undefined ? '—' : ok ? 'yes' : 'no';
}

const HEAD = ['bench', 'metric', 'Lifeline', 'baseline(s)', 'ratio', 'target', 'met'] as const;

/** Markdown table, columns padded so it also reads well in a terminal. */
export function formatTable(rows: readonly Row[]): string {
  const cells = rows.map((r) => [r.bench, r.metric, r.lifeline, r.baselines || '—', r.ratio, r.target, r.met].map(escape));
  const widths = HEAD.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(HEAD), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function escape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
