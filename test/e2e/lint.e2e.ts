/** The built Firefox extension passes Mozilla's linter (web-ext lint, offline) without errors or warnings. */
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { DIST_FIREFOX } from './browsers.js';

it('web-ext lint on dist/firefox: no errors, no warnings', () => {
  let out: string;
  try {
    out = execFileSync('node_modules/.bin/web-ext', ['lint', '--source-dir', DIST_FIREFOX, '--output', 'json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    out = (e as { stdout?: string }).stdout ?? ''; // web-ext exits 1 when it finds errors
  }
  const report = JSON.parse(out) as {
    summary: { errors: number; warnings: number };
    errors: { code: string; message: string }[];
    warnings: { code: string; message: string }[];
  };
  expect([...report.errors, ...report.warnings].map((m) => `${m.code}: ${m.message}`)).toEqual([]);
  expect(report.summary).toMatchObject({ errors: 0, warnings: 0 });
});
