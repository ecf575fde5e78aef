// docs/snippets/vue/ssr.ts — server rendering: static refs, nothing subscribes or connects.
import { createSSRApp } from 'vue';
import { renderToString } from '@vue/server-renderer';
import { createLifeline } from '@lifeline/vue';
import { Indicator } from './useConnectionState';

export function render(): Promise<string> {
  return renderToString(createSSRApp(Indicator).use(createLifeline({ url: 'https://api.example.com' })));
}
