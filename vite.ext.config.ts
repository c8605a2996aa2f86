/**
 * Builds the extension for one browser: `vite build --config vite.ext.config.ts --mode firefox`
 * (or `--mode chrome`) → dist/firefox/ or dist/chrome/.
 */
import { crx } from '@crxjs/vite-plugin';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { base64Import } from './build/base64-import.js';
import { manifestFor, type TargetBrowser } from './build/manifest.js';
import { verifyLogLists } from './build/verify-log-lists.js';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig(({ mode }) => {
  if (mode !== 'firefox' && mode !== 'chrome') throw new Error(`--mode must be firefox or chrome, not "${mode}"`);
  const browser = mode as TargetBrowser;
  return {
    plugins: [base64Import(), verifyLogLists(), crx({ manifest: manifestFor(browser, version) as never, browser })],
    build: {
      outDir: `dist/${browser}`,
      emptyOutDir: true,
      target: browser === 'firefox' ? 'firefox140' : 'chrome120',
      minify: true,
      sourcemap: false,
      rollupOptions: { input: { audit: 'popup/audit.html' } },
    },
    server: { cors: { origin: [/chrome-extension:\/\//, /moz-extension:\/\//] } },
  };
});
