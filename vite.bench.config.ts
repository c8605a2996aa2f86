/** Builds scripts/bench.ts for Node (the core imports ?raw and ?base64 assets). */
import { defineConfig } from 'vite';
import { base64Import } from './build/base64-import.js';

export default defineConfig({
  plugins: [base64Import()],
  logLevel: 'warn',
  build: {
    ssr: 'scripts/bench.ts',
    outDir: 'dist/bench',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: { output: { entryFileNames: 'bench.mjs' }, external: [/^puppeteer-core/] },
  },
  ssr: { noExternal: true },
});
