/**
 * Issue 7 §1: an unsigned extra log list must not override what Google's signed lists say. The
 * attack as reported: the real mail.google.com chain, the clock 200 days past the bundled list,
 * and an extra list dated 2099 that restates the chain's two logs (rejected in the signed v83.1)
 * as usable at an attacker's address. Through the real ExtensionLogLists (in-memory storage) and
 * through LogRegistry, which the CLI uses too.
 */
import { describe, expect, it } from 'vitest';
import { ExtensionLogLists } from '../../background/log-lists.js';
import { DEFAULT_SETTINGS, type Settings } from '../../background/settings.js';
import { toBase64 } from '../../src/bytes.js';
import { check } from '../../src/check.js';
import { bundledLogLists } from '../../src/loglist/bundled.js';
import { LogRegistry } from '../../src/loglist/registry.js';
import { parseLogList } from '../../src/loglist/schema.js';
import { summarize } from '../../src/summary.js';
import { pemCert } from '../support/fixtures.js';
import { MemoryBrowser } from '../support/memory-browser.js';

const DAY = 86_400_000;
const BUNDLED_AT = Date.parse('2026-08-20T13:34:57Z'); // log_list_timestamp of the bundled v89.25
const AT = BUNDLED_AT + 200 * DAY;
const chain = [pemCert('real/google-mail-leaf.pem'), pemCert('real/google-mail-issuer.pem')];
const ARGON = 'sh4FzIuizYogTodm+Su5iiUgZ2va+nDnsklTLe+LkF4='; // Google 'Argon2020' log
const NIMBUS = 'Xqdz+d9WwOe1Nkh90EngMnqRmgyEoRIShBh1loFxRVg='; // Cloudflare 'Nimbus2020' Log
const MAMMOTH = 'lLHBirDQV8R74KwEDh8svI3DdXJ7yVHyClJhJoY7pzw='; // Sectigo 'Mammoth2026h2', ReadOnly in v89.25
const signedLog = async (id: string) =>
  (await bundledLogLists()).flatMap((l) => l.list.logs).find((log) => log.logId === id)!;

/** A log's entry restated by the attacker: same id and key, another state, interval and address. */
async function restated(id: string, url: string, state: Record<string, unknown>): Promise<Record<string, unknown>> {
  const log = await signedLog(id);
  const interval = { start_inclusive: '2019-01-01T00:00:00Z', end_exclusive: '2099-01-01T00:00:00Z' };
  const key = toBase64(log.key);
  return { description: log.description, log_id: id, key, url, mmd: 86400, state, temporal_interval: interval };
}

/** The attacker's list: the chain's two logs usable at `url`, dated 2099. */
async function attackList(url: string): Promise<string> {
  const usable = { usable: { timestamp: '2019-06-01T00:00:00Z' } };
  return JSON.stringify({
    version: '66.6',
    log_list_timestamp: '2099-01-01T00:00:00Z',
    operators: [
      { name: 'Google', email: ['x@attacker.example'], logs: [await restated(ARGON, url, usable)] },
      { name: 'Cloudflare', email: ['y@attacker.example'], logs: [await restated(NIMBUS, url, usable)] },
    ],
  });
}

function extensionLists(settings: Partial<Settings>, api = new MemoryBrowser()): ExtensionLogLists {
  api.time = AT;
  return new ExtensionLogLists(api.local, async () => ({ ...DEFAULT_SETTINGS, ...settings }), api.now);
}

const GOOGLE_URLS = ['https://ct.googleapis.com/logs/argon2020/', 'https://ct.cloudflare.com/logs/nimbus2020/'];
const ATTACKER = 'https://ct.attacker.example/';
const V83 = 'Google log list v83.1 (bundled)';

describe('an extra list restating logs of the signed lists (the reported attack)', () => {
  it('without it, the chain is unknown: the bundled list is 200 days old', async () => {
    const { registry } = await extensionLists({}).registry();
    const report = await check({ chain, registry, at: AT });
    expect(report.scts.map((s) => s.status)).toEqual(['valid', 'valid']);
    expect(report.policies.chrome.verdict).toBe('unknown');
  });

  it('changes nothing: the verdict stays unknown, the logs stay rejected at their own addresses', async () => {
    const lists = extensionLists({ extraLogList: await attackList(ATTACKER) });
    const { registry, extraLogProblems } = await lists.registry();
    const report = await check({ chain, registry, at: AT });
    expect(report.policies.chrome.verdict).toBe('unknown');
    expect(report.policies.chrome.wouldBe).toBe('not-compliant');
    expect(summarize(report, 'chrome').level).toBe('unknown');
    expect(report.scts.map((s) => s.log?.url)).toEqual(GOOGLE_URLS);
    expect(report.scts.map((s) => s.log?.listedState?.name)).toEqual(['rejected', 'rejected']);
    expect(report.scts.map((s) => s.log?.source)).toEqual([V83, V83]);
    // Options names what was not used, and why.
    const held = `${V83}, a signed list, holds this log; its entry is used, not this`;
    expect(extraLogProblems).toEqual([
      `extra log list: Google 'Argon2020' log (log id ${ARGON}): ${held}`,
      `extra log list: Cloudflare 'Nimbus2020' Log (log id ${NIMBUS}): ${held}`,
      'extra log list: log_list_timestamp 2099-01-01T00:00:00.000Z is in the future',
    ]);
  });

  it('a "https://*/" address is refused by the parser, for every list', async () => {
    const text = await attackList('https://*/');
    const parsed = parseLogList(text, 'attack');
    expect(parsed.logs).toEqual([]);
    expect(parsed.skipped).toEqual([
      'operators[0].logs[0].url: "https://*/": the host "*" is not a plain DNS name or IP address',
      'operators[1].logs[0].url: "https://*/": the host "*" is not a plain DNS name or IP address',
    ]);
    const { registry, extraLogProblems } = await extensionLists({ extraLogList: text }).registry();
    expect(extraLogProblems[0]).toBe(`extra log list: ${parsed.skipped[0]}`);
    expect([registry.get(ARGON)!.url, registry.get(NIMBUS)!.url]).toEqual(GOOGLE_URLS);
  });

  it('every log address must have a plain host: a DNS name or an IP address', async () => {
    const parse = async (url: string) => parseLogList(await attackList(url), 'urls');
    const usable = ['https://ct.example/log/', 'http://127.0.0.1:6962/', 'https://[::1]:8443/'];
    usable.push('https://bücher.example/'); // an IDN: the URL parser gives its punycode, all LDH
    for (const url of usable) expect((await parse(url)).skipped).toEqual([]);
    const refused = {
      'https://a_b.example/': 'the host "a_b.example" is not a plain DNS name or IP address',
      'https://ct.example./': 'the host "ct.example." is not a plain DNS name or IP address',
      'https://u:p@ct.example/': 'carries a user name or password',
      'ftp://ct.example/': 'not an https: (or http:) URL',
      '/ct/v1/': 'not an absolute URL',
    };
    for (const [url, why] of Object.entries(refused)) {
      expect((await parse(url)).skipped[0]).toBe(`operators[0].logs[0].url: "${url}": ${why}`);
    }
  });

  it('LogRegistry: signed lists win whatever the order; the unsigned list vouches only for its own logs', async () => {
    const bundled = await bundledLogLists();
    const extra = parseLogList(await attackList(ATTACKER), 'extra list');
    for (const lists of [
      [{ list: extra, signed: false }, ...bundled],
      [...bundled, { list: extra, signed: false }],
    ]) {
      const registry = new LogRegistry(lists);
      const argon = registry.get(ARGON)!;
      expect(argon).toMatchObject({ url: GOOGLE_URLS[0], state: { name: 'rejected' }, source: V83 });
      const [start, end] = [Date.parse('2020-01-01T00:00:00Z'), Date.parse('2021-01-01T00:00:00Z')];
      expect(argon.temporalInterval).toEqual({ startInclusive: start, endExclusive: end });
      expect(registry.primaryTimestamp).toBe(BUNDLED_AT);
      expect(registry.currentAsOf(argon)).toBe(BUNDLED_AT); // never 2099
      expect(registry.lists.find((l) => l.source === 'extra list')!.skipped).toHaveLength(2);
    }
  });

  it('an unsigned list may still add a log no signed list holds; its date is how current that log is', async () => {
    const bundled = await bundledLogLists();
    const extra = parseLogList(await attackList(ATTACKER), 'extra list');
    // Without the signed v83.1 (which holds both), the extra list's logs are its own.
    const registry = new LogRegistry([{ list: extra, signed: false }, bundled[0]!]);
    const argon = registry.get(ARGON)!;
    expect(argon).toMatchObject({ url: ATTACKER, state: { name: 'usable' }, source: 'extra list' });
    expect(registry.currentAsOf(argon)).toBe(Date.parse('2099-01-01T00:00:00Z'));
    expect(registry.primaryTimestamp).toBe(BUNDLED_AT);
  });
});

describe('final_tree_head only from a signed list', () => {
  const madeUp = (size: number) => ({ tree_size: size, sha256_root_hash: toBase64(new Uint8Array(32)) });
  const frozen = (size: number) => ({ readonly: { timestamp: '2025-09-18T17:20:00Z', final_tree_head: madeUp(size) } });
  const listOf = async (id: string, size: number) => {
    const logs = [await restated(id, ATTACKER, frozen(size))];
    const operators = [{ name: 'Sectigo', logs }];
    return JSON.stringify({ version: '1', log_list_timestamp: '2026-09-01T00:00:00Z', operators });
  };

  it("a signed list's ReadOnly log keeps its final_tree_head; an extra list cannot replace it", async () => {
    const { registry, extraLogProblems } = await extensionLists({ extraLogList: await listOf(MAMMOTH, 1) }).registry();
    const signedHead = { treeSize: 57634084, rootHash: 'vJHecZC18lG3qp9lV2jZoi+7nkPHQx2SmM4VWglNsIk=' };
    expect(registry.get(MAMMOTH)!.state).toMatchObject({ name: 'readonly', finalTreeHead: signedHead });
    expect(extraLogProblems).toEqual([expect.stringMatching(/^extra log list: Sectigo 'Mammoth2026h2' .*, a signed/)]);
  });

  it("an unsigned list's is dropped, and why is recorded (the CLI's --log-list files)", async () => {
    const text = await listOf(MAMMOTH, 1);
    const cli = new LogRegistry([{ list: parseLogList(text, 'mylist.json'), signed: false }]);
    expect(cli.get(MAMMOTH)!.state).toEqual({ name: 'readonly', since: Date.parse('2025-09-18T17:20:00Z') });
    expect(cli.lists[0]!.skipped).toEqual([
      `Sectigo 'Mammoth2026h2' (log id ${MAMMOTH}): ` +
        'final_tree_head not used, the list is unsigned; a tree head the log signs is used',
    ]);
  });
});
