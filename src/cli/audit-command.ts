/**
 * `ctlens audit <cert | https://host[:port]> [--issuer <file>] [--log-list <file>]...
 *               [--log-key <file>]... [--witness-policy <file>] [--state-dir <dir>] [--at <time>] [--json]`
 * Everything `verify` does for one chain, then each valid SCT's inclusion proven by its log.
 * Exit codes are verify's, plus 3 when a log misbehaved (a split view, a proof that does not
 * verify); 3 wins over 1.
 */
import { join } from 'node:path';
import { proveInclusion } from '../inclusion/prove-inclusion.js';
import { parse, parseTime } from './args.js';
import type { Cli } from './command.js';
import { configDir } from './config.js';
import { FileHeadStore } from './head-store.js';
import { readCertificates, readLogKey, readLogList } from './inputs.js';
import { judgeChain } from './judge.js';
import { parseHostArgument, readLiveChain } from './live-host.js';
import { LogLists } from './log-lists.js';
import { renderAudit, renderHost, renderReport } from './render-text.js';
import { readWitnessPolicy } from './witness-policy-file.js';

export async function auditCommand(args: readonly string[], { term, env }: Cli): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      'state-dir': { type: 'string' },
      issuer: { type: 'string' },
      'log-list': { type: 'string', multiple: true },
      'log-key': { type: 'string', multiple: true },
      'witness-policy': { type: 'string' },
      at: { type: 'string' },
      json: { type: 'boolean' },
    },
    1,
  );
  const at = values.at === undefined ? Date.now() : parseTime(values.at);
  const target = positionals[0]!;
  const live = parseHostArgument(target);
  const liveChain = live ? await readLiveChain(live.host, live.port) : undefined;
  const chain = liveChain ? liveChain.chain : await readCertificates(target);
  if (values.issuer !== undefined) {
    const issuer = await readCertificates(values.issuer, 'issuer certificate');
    chain.splice(1, chain.length - 1, ...issuer);
  }
  const [logListFiles, extraLogs, witnessPolicy] = await Promise.all([
    Promise.all((values['log-list'] ?? []).map(readLogList)),
    Promise.all((values['log-key'] ?? []).map(readLogKey)),
    values['witness-policy'] === undefined ? undefined : readWitnessPolicy(values['witness-policy']),
  ]);
  const warn = (line: string) => term.error(`ctlens: warning: ${line}`);
  const lists = LogLists.forRun({ env, logListFiles, extraLogs, warn });
  const host = liveChain?.host;
  const issuerGivenBy = values.issuer !== undefined ? '--issuer' : undefined;
  const input = { chain, delivered: liveChain?.delivered ?? [], at, issuerGivenBy };
  const { verification, report, code } = await judgeChain(input, lists, host);
  const stateDir = values['state-dir'] ?? join(configDir(env), 'state');
  const store = new FileHeadStore(stateDir);
  const audit0 = await proveInclusion(verification, { store, at, ...(witnessPolicy ? { witnessPolicy } : {}) });
  const audit = { ...audit0, notes: [...(liveChain?.notes ?? []), ...audit0.notes] };
  if (values.json) {
    const scts = report.scts.map((sct, i) => ({ ...sct, inclusion: audit.inclusion[i] }));
    term.json({ ...(host ? { host } : {}), ...report, scts, alerts: audit.alerts, auditNotes: audit.notes });
  } else {
    const hostLines = host ? renderHost(host, live!.port) : [];
    term.lines([...hostLines, ...renderReport(report), ...renderAudit(report, audit, stateDir)]);
  }
  return audit.misbehaved ? 3 : code;
}
