/**
 * `npm run log`: runs the test CT log on loopback until interrupted and prints what clients need
 * to trust it: URL, log id, public key and a v3 log list.
 *
 *   npm run log -- [--port 6962] [--host 127.0.0.1] [--merge-delay-ms 0] [--tiled] [--log-list-out FILE]
 *
 * --tiled: SCTs carry the static-ct-api leaf_index and the list names the log under tiled_logs
 * (the checkpoint and tiles are served either way).
 * The static-ct-api read path is served as real v1.1.0 logs serve it (serving.ts): checkpoints with
 * the log's Ed25519 cosignature and GREASE lines in random order (--plain-checkpoints: the log's
 * line alone), gzip-encoded tiles (--no-gzip: none), partial tiles omitted once full
 * (--keep-partial-tiles: kept); --refuse-precert-signing-ca refuses add-pre-chain through a PreCA.
 * A witness (tlog-witness) runs beside the log under <url>witness/, with a fresh Ed25519 key or
 * --witness-key FILE (PKCS#8 PEM); --split-witness shows it one tree and clients another.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LocalCtLog } from './log.js';
import { logListJson } from './log-list.js';
import { startLocalLog } from './server.js';
import { SERVING_OPTIONS, SERVING_USAGE, servingFromArgs } from './serving.js';
import { logVkey, LocalWitness } from './witness.js';

const USAGE =
  'usage: npm run log -- [--port 6962] [--host 127.0.0.1] [--merge-delay-ms MS] [--tiled] [--log-list-out FILE]' +
  ' [--witness-key FILE] [--split-witness]' +
  SERVING_USAGE;

function wholeNumber(text: string | undefined, fallback: number, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > max) throw new Error(`--${what}: "${text}" is not a whole number up to ${max}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'merge-delay-ms': { type: 'string' },
      'log-list-out': { type: 'string' },
      tiled: { type: 'boolean' },
      'witness-key': { type: 'string' },
      'split-witness': { type: 'boolean' },
      ...SERVING_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = wholeNumber(values.port, 6962, 'port', 65535);
  const log = new LocalCtLog({
    mergeDelayMs: wholeNumber(values['merge-delay-ms'], 0, 'merge-delay-ms'),
    tiled: values.tiled === true,
  });
  log.serving = servingFromArgs(values);
  const witnessKey =
    values['witness-key'] === undefined ? undefined : createPrivateKey(readFileSync(values['witness-key']));
  const witness = new LocalWitness(witnessKey ? { privateKey: witnessKey } : {});
  if (values['split-witness']) log.misbehave.splitWitness = true;
  const server = await startLocalLog(log, { port, host: values.host ?? '127.0.0.1', witness });
  const list = logListJson(log, { url: server.url });
  if (values['log-list-out']) writeFileSync(values['log-list-out'], `${list}\n`);
  console.log(
    `ctlens test CT log (RFC 6962, static-ct-api and RFC 9162${log.tiled ? ', tiled SCTs' : ''}, in memory)` +
      ` at ${server.url}  (APIs under ${server.url}ct/v1/ ` +
      `and ${server.url}ct/v2/, checkpoint at ${server.url}checkpoint)`,
  );
  console.log(`log id: ${log.logIdBase64}`);
  console.log(`public key:\n${log.publicKeyPem().trimEnd()}`);
  console.log(
    values['log-list-out']
      ? `v3 log list written to ${values['log-list-out']}: ctlens verify CERT --log-list ${values['log-list-out']}`
      : 'v3 log list (save it as a file for ctlens verify --log-list):',
  );
  if (!values['log-list-out']) console.log(list);
  const origin = new URL(server.url).host;
  console.log(`witness ${witness.name} at ${server.witnessUrl}/ (add-checkpoint, <origin hash>/checkpoint)`);
  console.log(`witness vkey: ${witness.vkey()}${values['split-witness'] ? '  (split: it sees another tree)' : ''}`);
  console.log('tlog-policy file (save it for a witness policy):');
  console.log(`log ${logVkey(origin, log)}\nwitness w1 ${witness.vkey()} ${server.witnessUrl}\nquorum w1`);
  console.log('Ctrl-C stops the log (its tree is lost).');
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(`ctlens test log: ${(e as Error).message}`);
  console.error(USAGE);
  process.exit(2);
});
