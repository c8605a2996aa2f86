import { build, type Plugin, type UserConfig } from 'vite';

/**
 * Vite plugin for the CLI build: once the core is written, builds the launcher `entry`
 * (src/cli/bin.ts) as the CommonJS script ctlens.cjs in the same directory, with the same
 * `define`s, so that one `vite build --config vite.cli.config.ts` makes both.
 */
export function cliLauncher(entry: string, define: UserConfig['define']): Plugin {
  let outDir = 'dist/cli';
  return {
    name: 'ctlens:cli-launcher',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: 'warn',
        publicDir: false,
        define,
        build: {
          ssr: entry,
          outDir,
          emptyOutDir: false,
          target: 'node20',
          minify: false,
          rollupOptions: { output: { format: 'cjs', entryFileNames: 'ctlens.cjs' } },
        },
        ssr: { noExternal: true },
      });
    },
  };
}
