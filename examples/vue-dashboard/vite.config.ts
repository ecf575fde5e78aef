import vue from '@vitejs/plugin-vue';
import { defaultClientConditions, defineConfig } from 'vite';

export default defineConfig({
  root: __dirname,
  plugins: [vue()],
  // Run the workspace packages from source (STYLE.md §11), keeping Vite's default conditions.
  resolve: { conditions: ['@lifeline/source', ...defaultClientConditions] },
  // The ticket desk (examples/server) on :3000 serves Socket.IO, the companion's /lifeline and /api.
  server: {
    proxy: {
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
      '/lifeline': 'http://127.0.0.1:3000',
      '/api': 'http://127.0.0.1:3000',
    },
  },
});
