// @vitest-environment node
/**
 * A server that renders every request with the plugin (Nuxt: one app and one owned client per
 * request, never unmounted) keeps no memory per render: the client the plugin creates there holds
 * no socket, timer or listener (ssr.test.ts), so it needs no close() and is collected with the
 * app. Measured in a fresh process with forced GC, compiled for the published target.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runHeapProbe } from '@lifeline/testkit/heap';
import config from '../../tsup.config';

const target = (config as { target: string | string[] }).target;

describe('server rendering with the plugin', () => {
  it('keeps under 300 B per render more than rendering without it', async () => {
    const { withPlugin, without } = await runHeapProbe(fileURLToPath(new URL('./ssrHeap.probe.ts', import.meta.url)), target);
    console.log(`[heap] per server render: with the plugin ${withPlugin!.toFixed(0)} B, without ${without!.toFixed(0)} B`);
    expect(withPlugin! - without!).toBeLessThan(300);
  });
});
