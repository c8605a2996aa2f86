import { createPublicKey, verify } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

const DATA = new URL('../src/loglist/data/', import.meta.url);

/** Verifies every bundled `<list>.json` against its `<list>.sig` with Google's key; throws naming the file. */
export function verifyBundledLogListSignatures(dir = DATA.pathname): string[] {
  const key = createPublicKey(readFileSync(join(dir, 'log_list_pubkey.pem')));
  const lists = readdirSync(dir).filter((f) => f.endsWith('.json'));
  for (const list of lists) {
    const sig = list.replace(/\.json$/, '.sig');
    if (!verify('sha256', readFileSync(join(dir, list)), key, readFileSync(join(dir, sig)))) {
      throw new Error(`bundled log list ${list}: signature ${sig} does not verify with log_list_pubkey.pem`);
    }
  }
  return lists;
}

/** Vite plugin: a build that would ship a log list whose signature fails, fails. */
export function verifyLogLists(): Plugin {
  return {
    name: 'ctlens:verify-log-lists',
    buildStart() {
      const lists = verifyBundledLogListSignatures();
      if (lists.length === 0) this.error('no bundled log lists found');
    },
  };
}
