/**
 * Pure formatting of a {@link Diagnosis}: no I/O, so the CLI and tests print the same text.
 */
import type { Diagnosis, LayerName, LayerStatus } from './types';

/** How each layer is named in the report. */
export const LAYER_TITLES: Readonly<Record<LayerName, string>> = {
  url: 'URL',
  dns: 'DNS',
  tcp: 'TCP',
  tls: 'TLS',
  http: 'HTTP',
  websocket: 'WebSocket',
  namespace: 'Namespace',
  companion: 'Lifeline HTTP',
};

const MARKS: Readonly<Record<LayerStatus, string>> = { ok: 'ok', broken: 'BROKEN', skipped: 'skipped' };

/** Options of {@link formatReport}. */
export interface ReportOptions {
  /**
   * Column at which `fix:` lines wrap (findings stay on one line).
   * @default 100
   */
  readonly width?: number;
}

/**
 * The human-readable report: one line per layer (a `fix:` line under each broken one), then what
 * works, what is broken and what the Lifeline client will do.
 *
 * @example
 * ```ts
 * console.log(formatReport(await diagnose({ url: 'http://localhost:3000' })));
 * ```
 */
export function formatReport(d: Diagnosis, options: ReportOptions = {}): string {
  const width = options.width ?? 100;
  const t = d.target;
  const unverified = d.insecure ? ', certificates not verified: --insecure' : '';
  const head = t ? `lifeline-doctor ${t.url}  (path ${t.path}, namespace ${t.namespace}${t.http ? `, http ${t.http}` : ''}${unverified})` : 'lifeline-doctor';
  const markWidth = Math.max(...Object.values(MARKS).map((m) => m.length));
  const titleWidth = Math.max(...d.layers.map((l) => LAYER_TITLES[l.layer].length));
  const indent = ' '.repeat(2 + markWidth + 2 + titleWidth + 2);
  const lines = [head, ''];
  for (const l of d.layers) {
    const ms = l.ms !== undefined && l.status !== 'skipped' ? `  (${l.ms} ms)` : '';
    lines.push(`  ${MARKS[l.status].padEnd(markWidth)}  ${LAYER_TITLES[l.layer].padEnd(titleWidth)}  ${l.finding}${ms}`);
    if (l.status === 'broken' && l.hint) lines.push(...wrap(`fix: ${l.hint}`, width - indent.length - 5).map((line, i) => `${indent}${i ? '     ' : ''}${line}`));
  }
  const list = (names: readonly LayerName[]) => (names.length ? names.map((n) => LAYER_TITLES[n]).join(', ') : 'nothing');
  lines.push('', `Works: ${list(d.summary.works)}. Broken: ${list(d.summary.broken)}.`, d.summary.lifeline);
  return lines.join('\n');
}

/**
 * The diagnosis as JSON (what `--json` prints), stable for scripts.
 *
 * @example
 * ```ts
 * const d = JSON.parse(formatJson(diagnosis)); // d.ok, d.layers[i].status
 * ```
 */
export function formatJson(d: Diagnosis): string {
  return JSON.stringify(d, null, 2);
}

/** Greedy word wrap; a `code span` stays on one line, and a word or span longer than the width gets a line of its own. */
function wrap(text: string, width: number): string[] {
  const words: string[] = [];
  for (const part of text.split(' ')) {
    const last = words.at(-1);
    // Inside an open code span (odd number of backticks so far): glue to the previous word.
    if (last !== undefined && (last.split('`').length - 1) % 2 === 1) words[words.length - 1] = `${last} ${part}`;
    else words.push(part);
  }
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > Math.max(width, 20)) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
