// `npm start`: build everything; with a display, open Firefox with the extension loaded (web-ext
// run, a temporary profile); without one, run the CLI on its embedded sample and say how to load
// the extension by hand.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
run('npm', ['run', '--silent', 'build']);

const display = process.env.DISPLAY || process.env.WAYLAND_DISPLAY;
const firefox = ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/usr/local/bin/firefox'].find((p) => existsSync(p));
if (display && firefox) {
  console.log(`\nOpening ${firefox} with ctlens loaded (close the browser to stop)…`);
  const child = spawn(
    'node_modules/.bin/web-ext',
    ['run', '--source-dir', 'dist/firefox', '--firefox', firefox, '--start-url', 'https://example.com/'],
    { stdio: 'inherit' },
  );
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    `\nNo display${display ? '' : ' (DISPLAY is not set)'}${firefox ? '' : ' and no Firefox'}: ` +
      'running the command line on its embedded sample.\n',
  );
  run('node', ['dist/cli/ctlens.cjs', 'sample']);
  console.log(`
To use the extension:
  Firefox:  about:debugging → This Firefox → Load Temporary Add-on… → dist/firefox/manifest.json
            (or install dist/ctlens-firefox-*.zip where unsigned add-ons are allowed)
  Chromium: chrome://extensions → Developer mode → Load unpacked → dist/chrome`);
}
