/**
 * Process plumbing shared by every benchmark entry point: make sure `@lifeline/*` resolve to
 * their TypeScript sources (the `@lifeline/source` export condition) even when the script is
 * started as plain `pnpm exec tsx bench/…`, and describe the machine for the report.
 */
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const CONDITION = '--conditions=@lifeline/source';

function hasCondition(): boolean {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => a === CONDITION || a === '-C=@lifeline/source');
}

/**
 * Re-runs the current script with the `@lifeline/source` condition when it is missing, and
 * exits with the child's code. Call first thing in a standalone entry point.
 */
export function ensureSourceCondition(): void {
  if (hasCondition()) return;
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${CONDITION}`.trim() };
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  process.exit(child.status ?? 1);
}

/** One line about the machine, for the table's header. */
export function machine(): string {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.type()} ${os.release()}, Node ${process.versions.node}, load avg ${load}`;
}

/** True when the module at `metaUrl` is the script node was started with (standalone run). */
export function isMain(metaUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(fileURLToPath(metaUrl)) === realpathSync(entry);
  } catch {
    return false;
  }
}
