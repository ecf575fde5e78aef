import { version } from 'vue';
import { renderToString } from '@vue/server-renderer';

if (!version.startsWith('3.3.')) throw new Error(`compat/vue33 must run on Vue 3.3, got ${version}`);
if (typeof renderToString !== 'function') throw new Error('compat/vue33: @vue/server-renderer did not load');
