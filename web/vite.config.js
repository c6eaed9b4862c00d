// Build of the xzzf web UI: one SPA with the public portal (/) and the console
// (/console). The C++ server serves the output directory web/dist: /assets/*
// with long-lived cache headers and index.html for every other non-API path.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const webDir = fileURLToPath(new URL('.', import.meta.url));
const repoDir = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: webDir,
  base: '/',
  // Keep Vite's cache in the root node_modules (ignored by git), not web/node_modules.
  cacheDir: `${repoDir}node_modules/.vite`,
  plugins: [vue()],
  resolve: {
    alias: { '@': `${webDir}src` },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Element Plus is imported as a whole; its chunk is large by design.
    chunkSizeWarningLimit: 1600,
    // The server's CSP forbids inline scripts: never inline anything but tiny images.
    assetsInlineLimit: 4096,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: their own chunk stays
        // cached across deployments that change only our code.
        codeSplitting: {
          groups: [{ name: 'vendor', test: /[\\/]node_modules[\\/]/ }],
        },
      },
    },
  },
  server: {
    // `vite --config web/vite.config.js` for development: API calls go to a
    // running xzzf server (XZZF_DEV_API, default the server's default address).
    proxy: {
      '/api': process.env.XZZF_DEV_API || 'http://127.0.0.1:8080',
    },
  },
});
