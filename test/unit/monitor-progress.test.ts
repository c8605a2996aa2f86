/** The monitor's progress line (src/cli/monitor/progress.ts): counts, a rate and an estimate, erased when done. */
import { expect, it } from 'vitest';
import { Progress } from '../../src/cli/monitor/progress.js';

it('shows logs and entries behind with an estimate, redraws in place, and erases itself', async () => {
  let out = '';
  const progress = new Progress((text) => (out += text));
  progress.update('a', 0, 10_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  progress.update('b', 500, 1_500);
  progress.update('a', 4_000, 10_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  progress.update('a', 6_000, 10_000);
  const lines = out.split('\r\u001b[K').filter(Boolean);
  expect(lines[0]).toBe('ctlens monitor: 1 log behind by 10,000 entries, 0 entries/s, about ? left');
  expect(lines.at(-1)).toMatch(/^ctlens monitor: 2 logs behind by 5,000 entries, [\d,]+ entries\/s, about \d+ s left$/);
  progress.done();
  expect(out.endsWith('\r\u001b[K')).toBe(true);
  // Without a terminal nothing is written.
  const silent = new Progress(undefined);
  silent.update('a', 0, 10);
  silent.done();
});
