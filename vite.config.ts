import { defineConfig } from 'vitest/config';
import { base64Import } from './build/base64-import.js';

export default defineConfig({
  plugins: [base64Import()],
  test: {
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 30_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
