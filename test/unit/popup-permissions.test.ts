/**
 * Issue 7 §4: the popup asks Chromium for host permissions, and tells people who learns what, from
 * one list: the logs an inclusion check contacts (valid SCTs, logs with a plain-host address).
 * Reports are real: the mail.google.com chain checked against Google's signed bundled lists.
 * Also the words for where a proof's tree head came from (issue 7 §1).
 */
import { describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/bytes.js';
import { check } from '../../src/check.js';
import { bundledLogLists } from '../../src/loglist/bundled.js';
import { LogRegistry } from '../../src/loglist/registry.js';
import { parseLogList } from '../../src/loglist/schema.js';
import type { Report } from '../../src/report.js';
import { OID, parseCertificate } from '../../src/x509/certificate.js';
import { contactDisclosure, hostPatterns, logsToContact } from '../../popup/log-access.js';
import { treeHeadSource } from '../../popup/tree-head-source.js';
import { pemCert } from '../support/fixtures.js';

const registry = new LogRegistry(await bundledLogLists());
const AT = Date.parse('2020-05-01');
const leaf = pemCert('real/google-mail-leaf.pem');
const issuer = pemCert('real/google-mail-issuer.pem');
const GOOGLE = ['https://ct.googleapis.com/*', 'https://ct.cloudflare.com/*'];

/** The leaf with the last byte of the second SCT's signature changed (it becomes invalid). */
function damaged(): Uint8Array {
  const sctList = parseCertificate(leaf).extensions.at(-1)!;
  expect(sctList.oid).toBe(OID.SCT_LIST);
  const copy = leaf.slice();
  copy[sctList.element.end - 3]! ^= 0x01;
  return copy;
}

const withUrl = (report: Report, url: string | null): Report => ({
  ...report,
  scts: report.scts.map((s) => ({ ...s, log: s.log && { ...s.log, url } })),
});

describe('the logs an inclusion check contacts', () => {
  it("every valid SCT's log: the permission asked for and the hosts disclosed are the same", async () => {
    const logs = logsToContact(await check({ chain: [leaf, issuer], registry, at: AT }));
    expect(hostPatterns(logs)).toEqual(GOOGLE);
    expect(logs.map((l) => l.host)).toEqual(['ct.googleapis.com', 'ct.cloudflare.com']);
    expect(contactDisclosure(logs)).toBe(
      'Checks that the logs kept their promise by asking them for proofs. This contacts ' +
        "Google 'Argon2020' log (Google) at ct.googleapis.com, " +
        "Cloudflare 'Nimbus2020' Log (Cloudflare) at ct.cloudflare.com: " +
        'their operators learn which certificate you are looking at, and your IP address.',
    );
  });

  it('not the log of an invalid SCT, which is never contacted', async () => {
    const report = await check({ chain: [damaged(), issuer], registry, at: AT });
    expect(report.scts.map((s) => s.status)).toEqual(['valid', 'invalid-signature']);
    const logs = logsToContact(report);
    expect(hostPatterns(logs)).toEqual([GOOGLE[0]]);
    expect(contactDisclosure(logs)).not.toContain('cloudflare');
  });

  it('never a wildcard or other host that is not plain, nor a log without an address', async () => {
    const report = await check({ chain: [leaf, issuer], registry, at: AT });
    const refused = ['https://*/', 'https://%2A/', 'https://a_b.example/', 'https://u@ct.example/', 'ftp://ct.example'];
    for (const url of [...refused, null]) {
      const logs = logsToContact(withUrl(report, url));
      expect(hostPatterns(logs)).toEqual([]);
      expect(contactDisclosure(logs)).toBe('No valid SCT from a log with an address: there is nothing to prove.');
    }
  });

  it('a log on loopback or an IP address keeps its port in the permission and the disclosure', async () => {
    const report = await check({ chain: [leaf, issuer], registry, at: AT });
    expect(logsToContact(withUrl(report, 'http://127.0.0.1:6962/')).map((l) => [l.host, l.pattern])).toEqual([
      ['127.0.0.1:6962', 'http://127.0.0.1:6962/*'],
      ['127.0.0.1:6962', 'http://127.0.0.1:6962/*'],
    ]);
    const v6 = logsToContact(withUrl(report, 'https://[2001:db8::1]/ct/'));
    expect(hostPatterns(v6)).toEqual(['https://[2001:db8::1]/*']);
  });
});

describe('where a tree head came from, in words', () => {
  const head = { treeSize: 10, timestamp: 0, rootHash: toBase64(new Uint8Array(32)), seenAt: 0 };

  it("a head the log signed, or a signed list's final tree head, named by its list", async () => {
    const report = await check({ chain: [leaf, issuer], registry, at: AT });
    const signed = treeHeadSource({ ...head, signature: 'BAMARjBE' }, report.scts[0]!.log!.source, report);
    expect(signed).toBe('signed by the log, signature verified');
    expect(treeHeadSource({ ...head, signature: '' }, 'Google log list v89.25 (bundled)', report)).toBe(
      'the final tree head in Google log list v89.25 (bundled), a log list whose signature was verified',
    );
  });

  it("never calls an unsigned list's head signed", async () => {
    const bundled = await bundledLogLists();
    const mine = parseLogList(JSON.stringify({ version: '1', operators: [] }), 'mylist.json');
    const withMine = new LogRegistry([{ list: mine, signed: false }, ...bundled]);
    const report = await check({ chain: [leaf, issuer], registry: withMine, at: AT });
    const final = { ...head, signature: '' };
    expect(treeHeadSource(final, 'mylist.json', report)).toBe('the final tree head in mylist.json, an unsigned list');
    expect(treeHeadSource(final, 'gone.json', report)).toBe('a final tree head from a log list not in use');
  });
});
