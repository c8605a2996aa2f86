import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/**
 * Vite plugin for the Node build of the CLI: the core's `sha256` (src/bytes.ts re-exports
 * @noble/hashes, platform-free for the browsers) resolves to src/cli/native-sha256.ts (OpenSSL).
 * Only src/bytes.ts's import is redirected; a dependency that imports noble itself keeps it.
 */
export function nativeSha256(): Plugin {
  const bytes = fileURLToPath(new URL('../src/bytes.ts', import.meta.url));
  const native = fileURLToPath(new URL('../src/cli/native-sha256.ts', import.meta.url));
  return {
    name: 'ctlens:native-sha256',
    enforce: 'pre',
    resolveId(source, importer) {
      return source === '@noble/hashes/sha2.js' && importer === bytes ? native : null;
    },
  };
}
