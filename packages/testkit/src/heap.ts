/**
 * Heap kept per create-and-release cycle, measured in a fresh Node process with forced GC, on
 * code compiled the way a package's tsup build compiles it (its `target`): how a published build
 * lowers `#private` fields (to WeakMaps, whose tables keep their size after their keys die) is
 * part of what is measured.
 *
 * `runHeapProbe(entry, target)` bundles `entry` (a probe script that imports `@lifeline/*`
 * sources and calls `probe`) with esbuild for `target` and runs it with `--expose-gc`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCES: Record<string, string> = {
  '@lifeline/core': 'core/src/index.ts',
  '@lifeline/react': 'react/src/index.ts',
  '@lifeline/vue': 'vue/src/index.ts',
  '@lifeline/testkit/heap': 'testkit/src/heap.ts',
};

/** Bundles the probe `entry` for `target` and runs it with forced GC; resolves with what it reported (bytes per cycle, by label). */
export async function runHeapProbe(entry: string, target: string | string[], timeoutMs = 120_000): Promise<Record<string, number>> {
  const { build } = await import('esbuild');
  const packages = fileURLToPath(new URL('../../', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-heap-'));
  try {
    const outfile = join(dir, 'probe.cjs');
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target,
      alias: Object.fromEntries(Object.entries(SOURCES).map(([name, file]) => [name, join(packages, file)])),
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'error',
      jsx: 'automatic',
    });
    const run = spawnSync(process.execPath, ['--expose-gc', outfile], { encoding: 'utf8', timeout: timeoutMs });
    const line = run.stdout.split('\n').find((l) => l.startsWith('HEAP '));
    if (run.status !== 0 || !line) throw new Error(`heap probe ${entry} failed (${run.status}): ${run.stderr.slice(0, 2000)}`);
    return JSON.parse(line.slice(5)) as Record<string, number>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const gc = () => (globalThis as { gc?: () => void }).gc!();

async function settle(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return process.memoryUsage().heapUsed;
}

/** In a probe: heap bytes kept per call of `cycle` over `n` calls, after `warmup` calls, with forced GC. */
export async function heapPerCycle(cycle: () => unknown, n: number, warmup = 200): Promise<number> {
  for (let i = 0; i < warmup; i++) await cycle();
  const before = await settle();
  for (let i = 0; i < n; i++) await cycle();
  return ((await settle()) - before) / n;
}

/** A probe's body: runs `measure` and prints its result for `runHeapProbe` (a failure exits 1). */
export function probe(measure: () => Promise<Record<string, number>>): void {
  measure().then(
    (result) => console.log(`HEAP ${JSON.stringify(result)}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
