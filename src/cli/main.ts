/**
 * `ctlens`: the command line over the core.
 *   ctlens verify <cert> [--issuer <file>] [--sct <file>]... [--log-list <file>]... [--log-key <file>]... [--at <time>] [--json]
 *   ctlens loglist [--update] [--url <json url>] [--json]
 * Exit codes: 0 all SCTs valid and Chrome policy compliant (and, for a live host, its chain trusted
 * and its name matched); 1 otherwise; 2 bad usage or unreadable input (one line on stderr);
 * 3 (audit) a log misbehaved: a split view, or a proof that does not verify (3 wins over 1).
 * Everything is written through one Terminal (./terminal.ts), which escapes control characters.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { decide } from '../check.js';
import { buildReport } from '../report.js';
import { proveInclusion } from '../inclusion/prove-inclusion.js';
import { FileHeadStore } from './head-store.js';
import { parseHostArgument, readLiveChain } from './live-host.js';
import { join } from 'node:path';
import { configDir } from './config.js';
import { InputError, UsageError } from './errors.js';
import { readCertificates, readInputFile, readLogKey, readLogList } from './inputs.js';
import { buildRegistry, updateLogList } from './log-lists.js';
import { renderAudit, renderHost, renderLogLists, renderReport } from './render-text.js';
import { terminal, type Terminal } from './terminal.js';
import type { DeliveredSct } from '../verify/verify-scts.js';
import { samplePem } from './sample.js';
import { decodePem } from '../pem.js';
import { parseRfc3339 } from '../time.js';

export const USAGE = `usage:
  ctlens verify <cert> [--issuer <file>] [--sct <file>]... [--log-list <file>]...
                [--log-key <file>]... [--at <ISO time>] [--json]
  ctlens audit <cert | https://host[:port]> [--issuer <file>] [--log-list <file>]...
               [--log-key <file>]... [--state-dir <dir>] [--at <ISO time>] [--json]
  ctlens loglist [--update] [--url <all_logs_list.json URL>] [--json]
  ctlens sample [--at <time>] [--json]   verify an embedded sample (exits 0)
  ctlens help | --version`;

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly isTty: boolean;
}

/** What a command works with: the terminal (the only way out) and the environment. */
interface Cli {
  readonly term: Terminal;
  readonly env: NodeJS.ProcessEnv;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const cli: Cli = { term: terminal(io, io.isTty && !io.env.NO_COLOR), env: io.env };
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'verify':
        return await verifyCommand(rest, cli);
      case 'audit':
        return await verifyCommand(rest, cli, undefined, 'audit');
      case 'loglist':
        return await loglistCommand(rest, cli);
      case 'sample':
        // A demonstration: it exits 0 once it has run, whatever the sample's verdicts.
        await verifyCommand(['-', ...rest], cli, samplePem);
        return 0;
      case 'help':
      case '--help':
      case '-h':
        cli.term.lines(USAGE.split('\n'));
        return 0;
      case '--version':
        cli.term.lines([`ctlens ${VERSION}`]);
        return 0;
      case undefined:
        throw new UsageError('no command given (try `ctlens help`)');
      default:
        throw new UsageError(`unknown command "${command}" (try \`ctlens help\`)`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError) {
      cli.term.error(`ctlens: ${e.message}`);
      return 2;
    }
    cli.term.error(`ctlens: internal error: ${(e as Error).message ?? String(e)}`);
    if (io.env.CTLENS_DEBUG) for (const line of String((e as Error).stack).split('\n')) cli.term.error(line);
    return 2;
  }
}

declare const __CTLENS_VERSION__: string | undefined;
const VERSION = typeof __CTLENS_VERSION__ === 'string' ? __CTLENS_VERSION__ : 'dev';

function parse<T extends ParseArgsConfig['options']>(args: readonly string[], options: T, positionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]!.replace(/\. To specify.*$/, ''));
  }
  if (parsed.positionals.length !== positionals) {
    throw new UsageError(positionals === 0 ? `unexpected argument "${parsed.positionals[0]}"` : parsed.positionals.length < positionals ? 'missing the certificate file' : `unexpected argument "${parsed.positionals[positionals]}"`);
  }
  return parsed;
}

/** --at: an ISO 8601 date or date-time; a date is midnight UTC, a date-time without a zone is UTC. */
function parseTime(text: string): number {
  const m = /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d)(:\d\d(?:\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/i.exec(text);
  if (!m) throw new UsageError(`--at: "${text}" is not an ISO 8601 time (e.g. 2026-01-31 or 2026-01-31T12:00:00Z)`);
  const [, date, hm = '00:00', seconds = ':00', zone = 'Z'] = m;
  const ms = parseRfc3339(`${date}T${hm}${seconds}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  if (ms === undefined) throw new UsageError(`--at: "${text}" is not a valid time`);
  return ms;
}

async function verifyCommand(
  args: readonly string[],
  { term, env }: Cli,
  embeddedPem?: string,
  mode: 'verify' | 'audit' = 'verify',
): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      ...(mode === 'audit' ? { 'state-dir': { type: 'string' as const } } : {}),
      issuer: { type: 'string' },
      sct: { type: 'string', multiple: true },
      'log-list': { type: 'string', multiple: true },
      'log-key': { type: 'string', multiple: true },
      at: { type: 'string' },
      json: { type: 'boolean' },
    },
    1,
  );
  const at = values.at === undefined ? Date.now() : parseTime(values.at);
  const certPath = positionals[0]!;
  const live = mode === 'audit' && !embeddedPem ? parseHostArgument(certPath) : undefined;
  const liveChain = live ? await readLiveChain(live.host, live.port) : undefined;
  const chain = embeddedPem ? decodePem(embeddedPem).map((b) => b.der) : liveChain ? liveChain.chain : await readCertificates(certPath);
  if (values.issuer !== undefined) {
    const issuer = await readCertificates(values.issuer, 'issuer certificate');
    chain.splice(1, chain.length - 1, ...issuer);
  }
  const delivered: DeliveredSct[] = [...(liveChain?.delivered ?? [])];
  for (const path of values.sct ?? []) {
    const bytes = await readInputFile(path, 'SCT');
    if (bytes.length === 0) throw new InputError(`${path}: SCT file is empty`);
    delivered.push({ bytes, source: 'tls-extension' });
  }
  const [logListFiles, extraLogs] = await Promise.all([
    Promise.all((values['log-list'] ?? []).map(readLogList)),
    Promise.all((values['log-key'] ?? []).map(readLogKey)),
  ]);
  const warn = (line: string) => term.error(`ctlens: warning: ${line}`);
  const registry = await buildRegistry({ configDir: configDir(env), logListFiles, extraLogs, warn });
  const issuerGivenBy = values.issuer !== undefined ? '--issuer' : undefined;
  const { verification, policies } = await decide({ chain, delivered, registry, at, issuerGivenBy });
  const report = buildReport(verification, policies, registry);
  const allValid = report.scts.length > 0 && report.scts.every((s) => s.status === 'valid');
  // A live host's chain counts only when it is trusted and names the host: anyone on the path can
  // present a properly logged certificate of their own.
  const host = liveChain?.host;
  const hostOk = !host || (host.chainTrusted && host.nameMatches);
  const compliant = report.sctList !== 'malformed' && report.policies.chrome.verdict === 'compliant';
  const verifyCode = allValid && compliant && hostOk ? 0 : 1;
  if (mode === 'verify') {
    if (values.json) term.json(report);
    else term.lines(renderReport(report));
    return verifyCode;
  }
  const stateDir = (values as { 'state-dir'?: string })['state-dir'] ?? join(configDir(env), 'state');
  const audit0 = await proveInclusion(verification, { store: new FileHeadStore(stateDir), at });
  const audit = { ...audit0, notes: [...(liveChain?.notes ?? []), ...audit0.notes] };
  if (values.json) {
    const scts = report.scts.map((sct, i) => ({ ...sct, inclusion: audit.inclusion[i] }));
    term.json({ ...(host ? { host } : {}), ...report, scts, alerts: audit.alerts, auditNotes: audit.notes });
  } else {
    const hostLines = host ? renderHost(host, live!.port) : [];
    term.lines([...hostLines, ...renderReport(report), ...renderAudit(report, audit, stateDir)]);
  }
  return audit.misbehaved ? 3 : verifyCode;
}

async function loglistCommand(args: readonly string[], { term, env }: Cli): Promise<number> {
  const { values } = parse(args, { update: { type: 'boolean' }, url: { type: 'string' }, json: { type: 'boolean' } }, 0);
  const dir = configDir(env);
  const warn = (l: string) => term.error(`ctlens: warning: ${l}`);
  if (values.url !== undefined && !values.update) throw new UsageError('--url goes with --update');
  if (values.update) {
    const fetched = await updateLogList(dir, values.url, warn);
    const { version, logs } = fetched.list;
    term.error(`ctlens: stored log list v${version} (${logs.length} logs, signature verified) in ${dir}`);
  }
  const registry = await buildRegistry({ configDir: dir, logListFiles: [], extraLogs: [], warn });
  const at = Date.now();
  if (values.json) {
    const states: Record<string, number> = {};
    for (const log of registry.all()) states[log.state?.name ?? 'none'] = (states[log.state?.name ?? 'none'] ?? 0) + 1;
    const ts = registry.listTimestamp;
    term.json({
      lists: registry.lists.map((l) => ({ ...l, timestamp: l.timestamp === undefined ? null : new Date(l.timestamp).toISOString() })),
      timestamp: ts === undefined ? null : new Date(ts).toISOString(),
      ageDays: ts === undefined ? null : Math.floor((at - ts) / 86_400_000),
      stale: ts === undefined || at - ts > 70 * 86_400_000,
      logs: registry.size,
      states,
    });
  } else term.lines(renderLogLists(registry, at));
  return 0;
}
