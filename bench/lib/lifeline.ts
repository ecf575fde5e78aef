/**
 * Loads `@lifeline/core` and `@lifeline/server` lazily, so every benchmark still runs (and says
 * "not measured: <reason>") while a package is broken at run time. Types come from the
 * packages' public API (shared/design/ARCHITECTURE.md).
 */
import type { createClient } from '@lifeline/core';
import type { createLifeline, memoryStore } from '@lifeline/server';

/** The slice of `@lifeline/core` the benchmarks use. */
export interface CoreModule {
  readonly createClient: typeof createClient;
}

/** The slice of `@lifeline/server` the benchmarks use. */
export interface ServerModule {
  readonly createLifeline: typeof createLifeline;
  readonly memoryStore: typeof memoryStore;
}

/** A companion instance. */
export type BenchLifeline = ReturnType<typeof createLifeline>;

async function load<T>(specifier: string, names: readonly string[]): Promise<T | string> {
  try {
    const mod = (await import(specifier)) as Record<string, unknown>;
    const missing = names.filter((n) => typeof mod[n] !== 'function');
    return missing.length ? `${specifier} does not export ${missing.join(', ')} yet` : (mod as T);
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
    if (code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes(specifier.slice(1))) return `${specifier} has no src/index.ts yet`;
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    return `${specifier} failed to load (${msg.slice(0, 100)})`;
  }
}

// Variable specifiers: a package that fails to load becomes a reason, not a crash.
const CORE = '@lifeline/core';
const SERVER = '@lifeline/server';

/** `@lifeline/core`, or the reason it cannot be used. */
export function loadCore(): Promise<CoreModule | string> {
  return load<CoreModule>(CORE, ['createClient']);
}

/** `@lifeline/server`, or the reason it cannot be used. */
export function loadServer(): Promise<ServerModule | string> {
  return load<ServerModule>(SERVER, ['createLifeline', 'memoryStore']);
}
