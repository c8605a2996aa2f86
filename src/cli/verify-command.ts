/**
 * `ctlens verify <cert>... [--files-from <file | ->] [--issuer <file> | --fetch-issuer] [--sct <file>]...
 *                [--log-list <file>]... [--log-key <file>]... [--at <time>] [--json]`
 *
 * One certificate: its report (text, or one indented JSON object) and exit 0, 1 or 2 (main.ts).
 * `-` as <cert> reads it from standard input.
 *
 * Several (more than one <cert>, or a list of file names with --files-from, `-` for standard
 * input): judged in input order in one process, the log lists read once, with --issuer (when
 * given) the issuer of each. With --json, one JSON object a line (JSON Lines), each
 * `{"file", "exitCode", ...the report}`, or for a certificate that cannot be read
 * `{"file", "exitCode": 2, "error"}` (the error also on stderr, and the batch goes on). The batch
 * exits with the worst (highest) of its certificates' codes: 2 if any could not be read, else 1 if
 * any is not valid and compliant, else 0.
 */
import { parse, parseTime } from './args.js';
import type { Cli } from './command.js';
import { InputError, UsageError } from './errors.js';
import { fileList, type ListedFile } from './file-list.js';
import { certificatesIn, readCertificates, readInputFile, readLogKey, readLogList, readStdin } from './inputs.js';
import { judgeChain, type ChainInput, type Judged } from './judge.js';
import { LogLists } from './log-lists.js';
import { renderReport } from './render-text.js';
import type { Bytes } from '../bytes.js';
import type { DeliveredSct } from '../verify/verify-scts.js';

/** Certificates judged at once in a batch (file reads and signature checks overlap). */
const IN_FLIGHT = 8;

const OPTIONS = {
  'files-from': { type: 'string' },
  issuer: { type: 'string' },
  'fetch-issuer': { type: 'boolean' },
  sct: { type: 'string', multiple: true },
  'log-list': { type: 'string', multiple: true },
  'log-key': { type: 'string', multiple: true },
  at: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** What a batch shares: the time, the issuer, the log lists. */
interface Setting {
  readonly at: number;
  readonly issuer?: readonly Bytes[];
  /** --fetch-issuer: a leaf given alone gets its issuer from its caIssuers URL (fetch-issuer.ts). */
  readonly fetchIssuer?: boolean;
  readonly lists: LogLists;
  readonly cli: Cli;
}

export async function verifyCommand(args: readonly string[], cli: Cli): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS, 'any');
  const filesFrom = values['files-from'];
  if (positionals.length === 0 && filesFrom === undefined) throw new UsageError('missing the certificate file');
  if (positionals.filter((p) => p === '-').length + (filesFrom === '-' ? 1 : 0) > 1) {
    throw new UsageError('standard input (-) can be read only once');
  }
  const batch = positionals.length > 1 || filesFrom !== undefined;
  if (batch && values.sct?.length) throw new UsageError('--sct goes with a single certificate');
  const at = values.at === undefined ? Date.now() : parseTime(values.at);
  const delivered: DeliveredSct[] = [];
  for (const path of values.sct ?? []) {
    const bytes = await readInputFile(path, 'SCT');
    if (bytes.length === 0) throw new InputError(`${path}: SCT file is empty`);
    delivered.push({ bytes, source: 'tls-extension' });
  }
  const [issuer, logListFiles, extraLogs] = await Promise.all([
    values.issuer === undefined ? undefined : readCertificates(values.issuer, 'issuer certificate'),
    Promise.all((values['log-list'] ?? []).map(readLogList)),
    Promise.all((values['log-key'] ?? []).map(readLogKey)),
  ]);
  const warn = (line: string) => cli.term.error(`ctlens: warning: ${line}`);
  const lists = LogLists.forRun({ env: cli.env, logListFiles, extraLogs, warn });
  if (issuer && values['fetch-issuer']) throw new UsageError('--issuer and --fetch-issuer do not go together');
  const setting: Setting = { at, issuer, fetchIssuer: values['fetch-issuer'] === true, lists, cli };
  if (!batch) {
    const judged = await judgeChain({ ...(await readChain(positionals[0]!, setting)), delivered }, lists);
    if (values.json) cli.term.json(judged.report);
    else cli.term.lines(renderReport(judged.report));
    return judged.code;
  }
  const files = listed(positionals, filesFrom, cli);
  return runBatch(files, setting, values.json === true);
}

/** The certificate (or chain) in `path`, with the issuer the command gives, if any. */
async function readChain(path: string, setting: Setting): Promise<Omit<ChainInput, 'delivered'>> {
  const { at, issuer, fetchIssuer, cli } = setting;
  const chain =
    path === '-' ? certificatesIn(await readStdin(cli.stdin, 'certificate'), '-') : await readCertificates(path);
  if (fetchIssuer && chain.length === 1) {
    return { at, ...(await (await import('./fetch-issuer.js')).withFetchedIssuer(chain[0]!)) };
  }
  if (issuer) chain.splice(1, chain.length - 1, ...issuer);
  return { chain, at, ...(issuer ? { issuerGivenBy: '--issuer' } : {}) };
}

/** The batch's files in order: the operands, then the --files-from list. */
async function* listed(
  operands: readonly string[],
  filesFrom: string | undefined,
  cli: Cli,
): AsyncGenerator<ListedFile> {
  for (const file of operands) yield { file };
  if (filesFrom !== undefined) yield* fileList(filesFrom, cli.stdin);
}

type Outcome = { readonly file: string } & ({ readonly judged: Judged } | { readonly error: string });

async function runBatch(files: AsyncIterable<ListedFile>, setting: Setting, json: boolean): Promise<number> {
  let worst = 0;
  const report = (outcome: Outcome) => {
    worst = Math.max(worst, 'judged' in outcome ? outcome.judged.code : 2);
    write(outcome, setting.cli, json);
  };
  // Up to IN_FLIGHT certificates are judged at once; their outcomes are written in input order.
  const window: Promise<Outcome>[] = [];
  for await (const entry of files) {
    window.push(judgeFile(entry, setting));
    if (window.length >= IN_FLIGHT) report(await window.shift()!);
  }
  for (const outcome of window) report(await outcome);
  return worst;
}

/** Never rejects: whatever goes wrong with one file is that file's outcome. */
async function judgeFile({ file, error }: ListedFile, setting: Setting): Promise<Outcome> {
  if (error) return { file, error };
  try {
    return { file, judged: await judgeChain({ ...(await readChain(file, setting)), delivered: [] }, setting.lists) };
  } catch (e) {
    if (e instanceof InputError) return { file, error: e.message };
    return { file, error: `${file}: internal error: ${(e as Error).message ?? String(e)}` };
  }
}

function write(outcome: Outcome, { term }: Cli, json: boolean): void {
  if ('error' in outcome) {
    term.error(`ctlens: ${outcome.error}`);
    if (json) term.jsonLine({ file: outcome.file, exitCode: 2, error: outcome.error });
    return;
  }
  const { report, code } = outcome.judged;
  if (json) term.jsonLine({ file: outcome.file, exitCode: code, ...report });
  else term.lines([`==> ${outcome.file} <==`, ...renderReport(report), '']);
}
