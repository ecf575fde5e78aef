/** Server side of hydration.test.ts, run in plain Node (no window): prints the page's HTML. */
import { renderToString } from '@vue/server-renderer';
import { makeApp } from './App';

process.stdout.write(await renderToString(makeApp(process.argv[2] ?? 'http://127.0.0.1:9')));
