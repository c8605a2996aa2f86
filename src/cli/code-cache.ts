/**
 * Running the CLI's core (main.ts and all it loads, built as CommonJS: ctlens-core.cjs and its
 * chunks) with a V8 code cache: compiling the core and then each function on its first call cost
 * a `verify` run more than its work. The first run of a command compiles as usual and keeps, for
 * each script it loaded, V8's cached data (vm.Script#createCachedData, taken after the run, so it
 * holds every function the run compiled); later runs of that command start from it.
 *
 * Compiled code is code: the cache is kept where only the user can write (private-files.ts), in
 * files named for this build (`__CTLENS_BUILD__`), Node's version, the command and the script,
 * and V8 itself refuses data made by another V8, with other flags or for another source
 * (cachedDataRejected), after which it is written again. Without user ids (Windows) nothing is
 * kept and the scripts are compiled as usual.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { Script } from 'node:vm';
import type { main as Main } from './main.js';
import { pruneOtherBuilds, readOwnFile, userId, writeOwnFile } from './private-files.js';

declare const __CTLENS_BUILD__: string | undefined;

/** The commands with a cache of their own (each runs other code); anything else shares one. */
const COMMANDS = new Set(['verify', 'audit', 'loglist', 'sample']);

interface Loaded {
  readonly script: Script;
  readonly cachePath: string | undefined;
  readonly served: boolean;
}

export interface Core {
  readonly main: typeof Main;
  /** Keeps the code compiled so far for the next run: each script's, unless its cache served this run. */
  save(): Promise<void>;
}

/**
 * Loads the core at `corePath` (a CommonJS script exporting `main`) and, as it asks for them, its
 * chunks (relative requires), each through the cache for `command` in `dir` when one is kept.
 */
export function loadCore(
  corePath: string,
  dir: string,
  command: string | undefined,
  warn: (line: string) => void,
): Core {
  const uid = userId();
  const build = typeof __CTLENS_BUILD__ === 'string' ? __CTLENS_BUILD__.slice(0, 16) : undefined;
  const kind = COMMANDS.has(command ?? '') ? command : 'other';
  const keep = uid !== undefined && build !== undefined;
  const modules = new Map<string, { exports: unknown }>();
  const loaded: Loaded[] = [];

  function load(path: string): unknown {
    const known = modules.get(path);
    if (known) return known.exports; // a cycle, or a second require: Node's semantics
    const name = `${build}-code-${kind}-node${process.version}-${basename(path)}.bin`;
    const cachePath = keep ? join(dir, name) : undefined;
    const cachedData = cachePath ? readOwnFile(cachePath, uid!, warn) : undefined;
    // The wrapper Node gives a CommonJS module (modules.md, "The module wrapper").
    const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(path, 'utf8')}\n})`;
    const script = new Script(source, { filename: path, cachedData });
    loaded.push({ script, cachePath, served: cachedData !== undefined && !script.cachedDataRejected });
    const module = { exports: {} };
    modules.set(path, module);
    const nodeRequire = createRequire(path);
    const chunkRequire = (id: string) => (id.startsWith('.') ? load(resolve(dirname(path), id)) : nodeRequire(id));
    script.runInThisContext()(module.exports, chunkRequire, module, path, dirname(path));
    return module.exports;
  }

  const { main } = load(corePath) as { main?: typeof Main };
  if (typeof main !== 'function') throw new Error(`${corePath}: not the ctlens core (no main)`);
  return {
    main,
    save: async () => {
      const stale = loaded.filter((l) => l.cachePath && !l.served);
      for (const { script, cachePath } of stale) await writeOwnFile(cachePath!, script.createCachedData());
      if (stale.length) await pruneOtherBuilds(dir, `${build}-`);
    },
  };
}
