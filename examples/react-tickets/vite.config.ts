import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

export default defineConfig({
  root: __dirname,
  plugins: [react()],
  // Run the workspace packages from source (STYLE.md §11), keeping Vite's default conditions.
  resolve: { conditions: ['@lifeline/source', ...defaultClientConditions] },
  server: { proxy: { '/socket.io': { target: 'http://127.0.0.1:3000', ws: true }, '/lifeline': 'http://127.0.0.1:3000' } },
});
