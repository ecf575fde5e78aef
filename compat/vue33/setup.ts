import { version } from 'vue';
import { ssrUtils } from 'vue';
import * as server from '@vue/server-renderer';

if (!version.startsWith('3.3.')) throw new Error(`compat/vue33 must run on Vue 3.3, got ${version}`);
if (typeof server.renderToString !== 'function' || !ssrUtils) throw new Error('compat/vue33: @vue/server-renderer did not load');
