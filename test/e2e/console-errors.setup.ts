/**
 * Every e2e test fails on a console error from the extension's pages (browsers.ts collects them):
 * checked after each test, and once more after a file's last test (a browser closed in afterAll).
 */
import { afterAll, afterEach } from 'vitest';
import { takeConsoleErrors } from './browsers.js';

async function expectNone(when: string): Promise<void> {
  const errors = await takeConsoleErrors();
  if (errors.length) throw new Error(`console errors from the extension ${when}:\n  ${errors.join('\n  ')}`);
}

afterEach(() => expectNone('during this test'));
afterAll(() => expectNone('after the last test'));
