/**
 * @lifeline/testkit/vitest (private): helpers that register vitest hooks. Kept apart from the main
 * entry, which the benchmarks load outside vitest.
 */
export { joinServerPerTest } from './joinServerPerTest';
export type { JoinServerPerTestOptions } from './joinServerPerTest';
export { appInChromium } from './appInChromium';
export type { AppBackend, AppInChromium } from './appInChromium';
