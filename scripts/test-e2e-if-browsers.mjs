// Part of `npm test`: runs the real-browser end-to-end tests when Firefox ESR and Chromium are
// installed; otherwise says so and skips them. With CTLENS_E2E=required (CI), missing browsers fail.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const needed = {
  'firefox-esr': '/usr/bin/firefox-esr',
  chromium: '/usr/lib/chromium/chromium',
  certutil: '/usr/bin/certutil',
};
const missing = Object.entries(needed)
  .filter(([, path]) => !existsSync(path))
  .map(([name]) => name);
if (missing.length) {
  const line =
    `end-to-end tests skipped: ${missing.join(', ')} not installed ` +
    '(apt-get install firefox-esr chromium libnss3-tools)';
  if (process.env.CTLENS_E2E === 'required') {
    console.error(line);
    process.exit(1);
  }
  console.log(line);
  process.exit(0);
}
execFileSync('npm', ['run', '--silent', 'test:e2e'], { stdio: 'inherit' });
