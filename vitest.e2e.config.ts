/**
 * Real-browser end-to-end tests (test/e2e/*.e2e.ts): headless Firefox ESR and Chromium with the
 * built extension (dist/firefox, dist/chrome). `npm run test:e2e` builds the extension first.
 * Files run one after another: each starts a browser, and the machine has few cores.
 */
import { defineConfig } from 'vitest/config';
import { base64Import } from './build/base64-import.js';

export default defineConfig({
  plugins: [base64Import()],
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    setupFiles: ['test/e2e/console-errors.setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
