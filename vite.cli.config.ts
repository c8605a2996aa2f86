/**
 * Builds the `ctlens` command line for Node into dist/cli/:
 *   ctlens.cjs       the executable (src/cli/bin.ts): runs the core through a V8 code cache
 *   ctlens-core.cjs  the core (src/cli/main.ts with `verify`), CommonJS, as vm.Script needs for
 *                    cached data (src/cli/code-cache.ts)
 *   chunks/          loaded only when needed: the other commands (pkijs and node:tls with
 *                    `audit`), each bundled log list
 * The core's SHA-256 comes from Node's OpenSSL here (build/native-sha256.ts). __CTLENS_BUILD__
 * names the build for the CLI's caches: a digest of the version and of every file under src/;
 * __CTLENS_SNAPSHOT_SHA256__ is the digest of each bundled log list (src/cli/bundled-snapshots.ts).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defineConfig } from 'vite';
import { base64Import } from './build/base64-import.js';
import { cliLauncher } from './build/cli-launcher.js';
import { nativeSha256 } from './build/native-sha256.js';
import { verifyLogLists } from './build/verify-log-lists.js';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const src = new URL('./src/', import.meta.url).pathname;

/** Hex SHA-256 of each bundled log list file, by version (all_logs_list.v<version>.json). */
function snapshotDigests(): Record<string, string> {
  const dir = join(src, 'loglist', 'data');
  const digests: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const listVersion = /^all_logs_list\.v(.+)\.json$/.exec(name)?.[1];
    if (listVersion)
      digests[listVersion] = createHash('sha256')
        .update(readFileSync(join(dir, name)))
        .digest('hex');
  }
  return digests;
}

function buildId(): string {
  const files = readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => join(f.parentPath, f.name))
    .sort();
  const hash = createHash('sha256').update(version);
  for (const file of files) hash.update(`\0${relative(src, file)}\0`).update(readFileSync(file));
  return hash.digest('hex');
}

const define = {
  __CTLENS_VERSION__: JSON.stringify(version),
  __CTLENS_BUILD__: JSON.stringify(buildId()),
  __CTLENS_SNAPSHOT_SHA256__: JSON.stringify(snapshotDigests()),
};

export default defineConfig({
  plugins: [base64Import(), nativeSha256(), verifyLogLists(), cliLauncher('src/cli/bin.ts', define)],
  define,
  publicDir: false,
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'dist/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      output: { format: 'cjs', entryFileNames: 'ctlens-core.cjs', chunkFileNames: 'chunks/[name]-[hash].cjs' },
    },
  },
  // better-sqlite3 (ctlens monitor) loads its native module beside its own files: required at run time.
  ssr: { noExternal: true, external: ['better-sqlite3'] },
});
