#!/usr/bin/env node
// Issue 8's size rules, checked by `npm run lint`: no source file in src/, background/ or popup/
// over 300 lines, and no line of a tracked TypeScript or JavaScript file over 120 characters
// (Biome's formatter wraps code at 120 but leaves long strings and comments as they are).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX_LINES = 300;
const MAX_WIDTH = 120;
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.mjs'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter(Boolean);
const problems = [];
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (/^(src|background|popup)\//.test(file) && lines.length > MAX_LINES)
    problems.push(`${file}: ${lines.length} lines (at most ${MAX_LINES})`);
  lines.forEach((line, i) => {
    // Characters, not UTF-16 units: "≥" and "…" count once.
    const width = [...line].length;
    if (width > MAX_WIDTH) problems.push(`${file}:${i + 1}: ${width} characters (at most ${MAX_WIDTH})`);
  });
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
