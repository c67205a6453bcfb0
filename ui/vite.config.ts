import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The desktop shell serves ui/dist; `npm run dev` serves the same UI on port 5173.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  // The picture cards live in ../assets/cards, shared with the printed sheet.
  server: { port: 5173, strictPort: true, fs: { allow: ['..'] } },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
});
