/** Builds the `ctlens` command line into one ES module for Node: dist/cli/ctlens.mjs. */
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { base64Import } from './build/base64-import.js';
import { verifyLogLists } from './build/verify-log-lists.js';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  plugins: [base64Import(), verifyLogLists()],
  define: { __CTLENS_VERSION__: JSON.stringify(version) },
  build: {
    ssr: 'src/cli/bin.ts',
    outDir: 'dist/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      output: { entryFileNames: 'ctlens.mjs' },
    },
  },
  ssr: { noExternal: true },
});
