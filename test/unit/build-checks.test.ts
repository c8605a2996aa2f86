/** The build refuses to ship a bundled log list whose signature fails. */
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { verifyBundledLogListSignatures } from '../../build/verify-log-lists.js';

it('the bundled lists verify', () => {
  expect(verifyBundledLogListSignatures().sort()).toEqual(['all_logs_list.v83.1.json', 'all_logs_list.v89.25.json']);
});

it('a list with one byte added fails the build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctlens-lists-'));
  cpSync(new URL('../../src/loglist/data/', import.meta.url).pathname, dir, { recursive: true });
  try {
    appendFileSync(join(dir, 'all_logs_list.v83.1.json'), ' ');
    expect(() => verifyBundledLogListSignatures(dir)).toThrow(
      'bundled log list all_logs_list.v83.1.json: signature all_logs_list.v83.1.sig does not verify',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
