/**
 * `ctlens sample [--at <time>] [--json]` (and `npm start` without a display): the real
 * mail.google.com certificate of 2020 and its issuer, GTS CA 1O1, with two embedded SCTs from
 * Google Argon2020 and Cloudflare Nimbus2020 (test/fixtures/real/PROVENANCE.md), judged at a time
 * its verdicts mean something, with the list that knows its logs. Exits 0 once it has run: it is a
 * demonstration, whatever the sample's verdicts.
 *
 * Which time and which list: the certificate was in service from 2020-04-01 to 2020-06-24; judged
 * now it is long expired and any list from now is either stale or no longer lists its logs, so
 * every verdict would be `unknown` or about logs it cannot see. So it is judged on 2020-05-01,
 * inside its validity, with the bundled v83.1: the newest signed list that still holds Argon2020
 * and Nimbus2020 (v89.25 dropped them), not older than 70 days at that time (it is dated after),
 * and the same on every machine (no updated list from the config directory). --at picks another
 * time. Its SCTs verify; the policies say not-compliant, with why: v83.1 records both logs as
 * rejected since 2021-04-21 and keeps no earlier state (log-state.ts), so no policy can count them.
 */
import type { Bytes } from '../bytes.js';
import { decodePem } from '../pem.js';
import { parse, parseTime } from './args.js';
import { bundledSnapshot } from './bundled-snapshots.js';
import type { Cli } from './command.js';
import { judgeChain } from './judge.js';
import { LogListCache } from './log-list-cache.js';
import { LogLists } from './log-lists.js';
import { renderReport } from './render-text.js';
import chainPem from './sample/mail.google.com-chain.pem?raw';

/** Inside the certificate's validity (2020-04-01T12:58:56Z to 2020-06-24T12:58:56Z). */
const SAMPLE_AT = Date.UTC(2020, 4, 1);
/** The bundled list the sample is judged with. */
const SAMPLE_LIST = '83.1';

export async function sampleCommand(args: readonly string[], { term, env }: Cli): Promise<number> {
  const { values } = parse(args, { at: { type: 'string' }, json: { type: 'boolean' } }, 0);
  const at = values.at === undefined ? SAMPLE_AT : parseTime(values.at);
  const chain: Bytes[] = decodePem(chainPem).map((block) => block.der);
  const cache = LogListCache.open(env, (line) => term.error(`ctlens: warning: ${line}`));
  const lists = new LogLists([async () => [await bundledSnapshot(SAMPLE_LIST, cache)]], []);
  const { report } = await judgeChain({ chain, delivered: [], at }, lists);
  const { notBefore, notAfter } = report.certificate;
  const when =
    at < Date.parse(notBefore)
      ? 'before it was issued'
      : at > Date.parse(notAfter)
        ? 'after it expired'
        : 'while it was in service';
  const line =
    "Sample: mail.google.com's real certificate of April 2020 " +
    '(GTS CA 1O1; SCTs from Google Argon2020 and Cloudflare Nimbus2020), ' +
    `judged at ${new Date(at).toISOString()}, ${when}, with Google's signed log list v${SAMPLE_LIST} (bundled), ` +
    'the newest that still lists its logs.';
  if (values.json) {
    term.error(line);
    term.json(report);
  } else term.lines([line, '', ...renderReport(report)]);
  return 0;
}
