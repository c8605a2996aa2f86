// Installable archives of the built extension: dist/ctlens-firefox-<version>.zip (an unsigned .xpi
// for about:debugging or a signing service) and dist/ctlens-chrome-<version>.zip (for the Chrome
// Web Store or "Load unpacked" after unzipping). Run after `npm run build:ext`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
for (const browser of ['firefox', 'chrome']) {
  const dir = `dist/${browser}`;
  if (!existsSync(`${dir}/manifest.json`)) throw new Error(`${dir} is not built: run npm run build:ext first`);
  const name = `ctlens-${browser}-${version}.zip`;
  execFileSync(
    'node_modules/.bin/web-ext',
    ['build', '--source-dir', dir, '--artifacts-dir', 'dist', '--filename', name, '--overwrite-dest'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  console.log(`dist/${name}`);
}
