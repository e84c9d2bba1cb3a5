import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Served to the Tauri window: http://localhost:5173 in development (tauri.conf.json `build.devUrl`),
// ui/dist embedded in the binary otherwise (`build.frontendDist`).
export default defineConfig({
  plugins: [svelte()],
  // Keep the Tauri CLI's output visible when it runs `npm run dev` for us.
  clearScreen: false,
  // Must match devUrl in tauri.conf.json; fail rather than move to another port.
  server: {
    port: 5173,
    strictPort: true,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Never inline assets as data: URIs; the app's CSP only allows files served by the app itself.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  // Vitest runs the rune classes through Svelte's client runtime.
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
