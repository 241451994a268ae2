import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.HOM_API_URL ?? 'http://localhost:3000';
const apiPaths = [
  '/auth',
  '/sites',
  '/api-keys',
  '/settings',
  '/audit',
  '/notifications',
  '/lines',
  '/machines',
  '/downtimes',
  '/catalog',
  '/kpis',
  '/repairs',
  '/plant',
  '/workorders',
  '/stages',
  '/issues',
  '/issue-types',
  '/production',
  '/quality',
  '/results',
  '/units',
  '/ingest',
  '/health',
  '/metrics',
  '/docs',
];

export default defineConfig({
  root: webRoot,
  base: '/app/',
  plugins: [react(), tailwindcss()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    port: 5173,
    proxy: {
      ...Object.fromEntries(apiPaths.map((path) => [path, { target: apiTarget, changeOrigin: true }])),
      '/graphql': { target: apiTarget, changeOrigin: true, ws: true },
      '/ws/live': { target: apiTarget, changeOrigin: true, ws: true },
    },
  },
});
