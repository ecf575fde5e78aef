// @vitest-environment node
/**
 * A server that renders every request with `<LifelineProvider options>` (one owned client per
 * render; effects, and so close(), never run on the server) keeps no memory per render: that
 * client holds no socket, timer or listener (ssr.test.tsx), so it needs no close() and is
 * collected with the tree. Measured in a fresh process with forced GC, compiled for the
 * published target.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runHeapProbe } from '@lifeline/testkit/heap';
import config from '../../tsup.config';

const target = (config as { target: string | string[] }).target;

describe('server rendering with the provider', () => {
  it('keeps under 300 B per render more than rendering without it', async () => {
    const { withProvider, without } = await runHeapProbe(fileURLToPath(new URL('./ssrHeap.probe.tsx', import.meta.url)), target);
    console.log(`[heap] per server render: with the provider ${withProvider!.toFixed(0)} B, without ${without!.toFixed(0)} B`);
    expect(withProvider! - without!).toBeLessThan(300);
  });
});
