import { readFile } from 'node:fs/promises';
import type { Plugin } from 'vite';

/**
 * Vite plugin: `import data from './file.sig?base64'` yields the file's exact bytes as a base64
 * string. Used to embed binary files (log-list signatures) byte for byte; `?raw` would decode
 * them as UTF-8 and damage them.
 */
export function base64Import(): Plugin {
  const SUFFIX = '?base64';
  return {
    name: 'ctlens:base64-import',
    enforce: 'pre',
    async load(id) {
      if (!id.endsWith(SUFFIX)) return null;
      const file = id.slice(0, -SUFFIX.length);
      this.addWatchFile(file);
      const base64 = (await readFile(file)).toString('base64');
      return `export default ${JSON.stringify(base64)};`;
    },
  };
}
