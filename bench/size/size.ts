/**
 * `pnpm size`: prints the size rows and exits 1 when a budget is exceeded or cannot be measured.
 */
import { formatTable } from '../lib/row';
import { run } from './run';

const rows = await run();
console.log(formatTable(rows));
process.exit(rows.some((r) => r.met === 'no') ? 1 : 0);
