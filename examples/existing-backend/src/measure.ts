/**
 * `pnpm measure`: notifications lost / duplicated across three falls to the REST rung and three
 * climbs back (publishing every 15 ms), with and without `cursorOf`, five runs each.
 */
import { fallsAndClimbs } from './switches';

for (const cursorOf of [true, false]) {
  const runs: Array<{ lost: number; duplicated: number; received: number }> = [];
  for (let i = 0; i < 5; i++) runs.push(await fallsAndClimbs({ cursorOf }));
  const sum = (k: 'lost' | 'duplicated' | 'received') => runs.reduce((a, r) => a + r[k], 0);
  console.log(`${cursorOf ? 'with   ' : 'without'} cursorOf: ${runs.map((r) => `${r.lost} lost / ${r.duplicated} dup of ${r.received}`).join(', ')} — mean ${(sum('lost') / runs.length).toFixed(1)} lost, ${(sum('duplicated') / runs.length).toFixed(1)} duplicated per 3 falls + 3 climbs`);
}
