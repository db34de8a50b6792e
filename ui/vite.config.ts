import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';

// Svelte's runtime errors carry documentation links; keep them as plain text without a
// scheme so the bundle holds no web address at all (nothing is ever fetched).
function stripDocLinks(): Plugin {
  return {
    name: 'pustaka-strip-doc-links',
    apply: 'build',
    renderChunk(code) {
      return code.includes('https://svelte.dev/') ? { code: code.replaceAll('https://svelte.dev/', 'svelte.dev/'), map: null } : null;
    },
  };
}

export default defineConfig({
  base: './',
  // Tests run components in happy-dom: use Svelte's browser build there.
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  plugins: [svelte(), stripDocLinks()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'safari16',
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
  },
});
