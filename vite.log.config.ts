/** Builds the test CT log (log/main.ts) for Node: dist/log/log.mjs, run by `npm run log`. */
import { defineConfig } from 'vite';
import { base64Import } from './build/base64-import.js';

export default defineConfig({
  plugins: [base64Import()],
  logLevel: 'warn',
  publicDir: false,
  build: {
    ssr: 'log/main.ts',
    outDir: 'dist/log',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: { output: { entryFileNames: 'log.mjs' } },
  },
  ssr: { noExternal: true },
});
