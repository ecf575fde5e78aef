/**
 * No memory kept per client: 5 000 clients created (with a channel) and closed, with forced GC,
 * in a fresh process, compiled as the published build compiles them (tsup.config.ts's target).
 * A build that lowered `#private` to WeakMaps (the es2020 target) kept about 1 KB per closed
 * client (the WeakMaps' tables keep their size after the instances die); this test fails then.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runHeapProbe } from '@lifeline/testkit/heap';
import config from '../tsup.config';

const target = (config as { target: string | string[] }).target;

describe('heap per created-and-closed client', () => {
  it('stays under 200 B (as a plain socket.io-client does), compiled for the published target', async () => {
    const { lifeline, plain } = await runHeapProbe(fileURLToPath(new URL('./heap/clients.probe.ts', import.meta.url)), target);
    console.log(`[heap] per created-and-closed client: lifeline ${lifeline!.toFixed(0)} B, plain socket.io-client ${plain!.toFixed(0)} B`);
    expect(lifeline).toBeLessThan(200);
    expect(plain).toBeLessThan(200);
  });
});
