/**
 * The CLI's log lists: read tier by tier (src/cli/log-lists.ts), with the verdict all the lists
 * would give; the bundled snapshots the CLI reads one by one are the extension's; and the cache of
 * verified, parsed lists (src/cli/log-list-cache.ts) serves only a list bound to its digest, kept
 * where only the user can write.
 */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../src/decide.js';
import { bundledSnapshot, SNAPSHOT_VERSIONS } from '../../src/cli/bundled-snapshots.js';
import { digest, LogListCache } from '../../src/cli/log-list-cache.js';
import { LogLists } from '../../src/cli/log-lists.js';
import { bundledLogLists, loadBundledSnapshot, type SignedLogList } from '../../src/loglist/bundled.js';
import { LogRegistry, type RegistryList } from '../../src/loglist/registry.js';
import { parseLogList } from '../../src/loglist/schema.js';
import { createTestCa, createTestLog, issueWithEmbeddedScts, logListJson, type TestLog } from '../support/test-pki.js';

const DAY = 86_400_000;
const issued = Date.UTC(2026, 4, 1);
const at = Date.UTC(2026, 4, 2);
const since = Date.UTC(2025, 0, 1);
const tmp = mkdtempSync(join(tmpdir(), 'ctlens-lists-'));
const data = (name: string) => readFileSync(new URL(`../../src/loglist/data/${name}`, import.meta.url));
const json = data('all_logs_list.v89.25.json').toString('utf8');
const sig = data('all_logs_list.v89.25.sig').toString('base64');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const [a1, a2, b1] = [createTestLog('Alpha 1'), createTestLog('Alpha 2'), createTestLog('Beta 1')] as const;
const list = (name: string, logs: readonly TestLog[], timestamp: number) =>
  parseLogList(
    logListJson({
      timestamp,
      operators: logs.map((log) => ({
        name: `${log.name} operator`,
        logs: [{ log, state: 'usable', stateSince: since, type: 'rfc6962' }],
      })),
    }),
    name,
  );
// Two "signed" lists standing for the newest and an older snapshot: the newer has the Alpha logs.
const newer = list('newer', [a1, a2], issued);
const older = list('older', [a1, b1], issued - 30 * DAY);

let alphaOnly: Uint8Array[];
let withBeta: Uint8Array[];
beforeAll(async () => {
  const ca = await createTestCa('ctlens tiers Test CA');
  const issue = async (logs: TestLog[]) => [
    (
      await issueWithEmbeddedScts(ca, {
        notBefore: issued,
        notAfter: issued + 90 * DAY,
        logs: logs.map((log, i) => ({ log, timestamp: issued + i + 1 })),
      })
    ).der,
    ca.der,
  ];
  alphaOnly = await issue([a1, a2]);
  withBeta = await issue([a1, b1]);
});

/** Two tiers, counting how often each is read. */
function tiered() {
  const reads = [0, 0];
  const tier = (i: number, l: typeof newer) => async (): Promise<RegistryList[]> => {
    reads[i]!++;
    return [{ list: l, signed: true }];
  };
  return { lists: new LogLists([tier(0, newer), tier(1, older)], []), reads };
}

describe('LogLists: tiers read as needed, the verdict all lists give', () => {
  it('SCTs from logs of the first tier: the second is never read', async () => {
    const { lists, reads } = tiered();
    const { verification, policies, registry } = await lists.decide({ chain: alphaOnly, at });
    expect(reads).toEqual([1, 0]);
    expect(registry.lists.map((l) => l.source)).toEqual(['newer']);
    const both = new LogRegistry([
      { list: newer, signed: true },
      { list: older, signed: true },
    ]);
    const all = await decide({ chain: alphaOnly, at, registry: both });
    const seen = (scts: typeof verification.scts) => scts.map((s) => [s.status, s.log?.source]);
    expect(seen(verification.scts)).toEqual(seen(all.verification.scts));
    expect(policies).toEqual(all.policies);
  });

  it('an SCT from a log only the second tier holds: both read, the log taken from it', async () => {
    const { lists, reads } = tiered();
    const { verification, policies, registry } = await lists.decide({ chain: withBeta, at });
    expect(reads).toEqual([1, 1]);
    expect(registry.lists.map((l) => l.source)).toEqual(['newer', 'older']);
    expect(verification.scts.map((s) => [s.status, s.log?.source])).toEqual([
      ['valid', 'newer'],
      ['valid', 'older'],
    ]);
    expect(policies.chrome.verdict).toBe('compliant');
  });

  it("a log in both tiers is the first tier's; read once for many chains", async () => {
    const { lists, reads } = tiered();
    for (const chain of [alphaOnly, withBeta, alphaOnly, withBeta]) await lists.decide({ chain, at });
    expect(reads).toEqual([1, 1]);
    const { verification } = await lists.decide({ chain: withBeta, at });
    expect(verification.scts[0]!.log?.source).toBe('newer');
  });
});

describe('the bundled snapshots, one at a time', () => {
  it("are the extension's, newest first, each signature checked", async () => {
    const all = await bundledLogLists();
    expect(SNAPSHOT_VERSIONS).toEqual(all.map((l) => l.list.version));
    for (const [i, version] of SNAPSHOT_VERSIONS.entries()) {
      const one = await bundledSnapshot(version);
      expect(one.list).toEqual(all[i]!.list);
      expect(one.sha256).toEqual(all[i]!.sha256);
    }
  });

  it('a damaged snapshot is refused', async () => {
    const damaged = loadBundledSnapshot(json.replace('"Google"', '"Goggle"'), sig);
    await expect(damaged).rejects.toThrow(/signature does not verify/);
  });
});

describe('LogListCache', () => {
  let fresh: SignedLogList;
  beforeAll(async () => {
    fresh = await loadBundledSnapshot(json, sig);
  });
  const setup = (name: string, build = 'build-one') => {
    const env = { CTLENS_CONFIG_DIR: join(tmp, name) };
    const warnings: string[] = [];
    const cache = LogListCache.open(env, (w) => warnings.push(w), build)!;
    let verified = 0;
    const verify = async () => {
      verified++;
      return loadBundledSnapshot(json, sig);
    };
    const entry = () => join(tmp, name, 'cache', readdirSync(join(tmp, name, 'cache'))[0]!);
    return { env, cache, verify, verified: () => verified, warnings, entry };
  };

  it('keeps a verified list and serves it to later runs without verifying it again', async () => {
    const s = setup('keep');
    const first = await s.cache.signedList('bundled', fresh.sha256, s.verify);
    const again = await LogListCache.open(s.env, () => {}, 'build-one')!.signedList('bundled', fresh.sha256, s.verify);
    expect(s.verified()).toBe(1);
    expect(again.list).toEqual(first.list);
    expect(again.list).toEqual(fresh.list);
    expect(again.sha256).toEqual(fresh.sha256);
    expect(readFileSync(s.entry()).length).toBeGreaterThan(1000);
  });

  it('serves an entry only for its digest, its kind and its build', async () => {
    const s = setup('bound');
    await s.cache.signedList('bundled', fresh.sha256, s.verify);
    const other = digest(new TextEncoder().encode('other bytes'));
    await s.cache.signedList('bundled', other, s.verify); // verified, not kept: the digest is not the list's
    await s.cache.signedList('updated', fresh.sha256, s.verify);
    await LogListCache.open(s.env, () => {}, 'build-two')!.signedList('bundled', fresh.sha256, s.verify);
    expect(s.verified()).toBe(4);
  });

  it('an entry someone else could have written, a symbolic link, a damaged entry: verified again', async () => {
    const s = setup('unsafe');
    await s.cache.signedList('bundled', fresh.sha256, s.verify);
    const path = s.entry();
    chmodSync(path, 0o664);
    await s.cache.signedList('bundled', fresh.sha256, s.verify);
    expect(s.warnings).toEqual([`ignoring ${path}: not a file of yours that only you can write`]);
    expect(s.verified()).toBe(2);
    const kept = readFileSync(path); // rewritten 0600 by that second run
    rmSync(path);
    writeFileSync(join(tmp, 'elsewhere.json'), kept);
    symlinkSync(join(tmp, 'elsewhere.json'), path);
    await s.cache.signedList('bundled', fresh.sha256, s.verify);
    expect(s.verified()).toBe(3);
    rmSync(path);
    writeFileSync(path, kept.subarray(0, kept.length / 2), { mode: 0o600 });
    const list = await s.cache.signedList('bundled', fresh.sha256, s.verify);
    expect(s.verified()).toBe(4);
    expect(list.list).toEqual(fresh.list);
  });

  it("a list whose signature fails is not kept, and the failure is the caller's", async () => {
    const s = setup('refused');
    const refuse = () => loadBundledSnapshot(json.replace('"Google"', '"Goggle"'), sig);
    await expect(s.cache.signedList('bundled', fresh.sha256, refuse)).rejects.toThrow(/signature does not verify/);
    mkdirSync(join(tmp, 'refused', 'cache'), { recursive: true });
    expect(readdirSync(join(tmp, 'refused', 'cache'))).toEqual([]);
  });

  it('nothing is kept in a run of the sources (no build id)', () => {
    expect(LogListCache.open({ CTLENS_CONFIG_DIR: tmp }, () => {})).toBeUndefined();
  });
});
