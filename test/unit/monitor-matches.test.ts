/**
 * `ctlens monitor --once` against the real local log over loopback, both APIs (RFC 6962 get-entries
 * and static-ct-api tiles): what is reported and what is not. Certificates come from the test
 * PKI's CA; the log signs SCTs and tree heads with its own key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, toHex } from '../../src/bytes.js';
import { createTestCa, type TestCa } from '../support/test-pki.js';
import { beginPair, issueCertificate } from '../support/monitor-certs.js';
import { monitorOnce, scratch, startMonitoredLog, type MonitoredLog } from '../support/monitor-log.js';

let ca: TestCa;
const tmp = scratch();

beforeAll(async () => {
  ca = await createTestCa('ctlens monitor CA');
});
afterAll(() => tmp.remove());

describe.each([
  { kind: 'RFC 6962', tiled: false },
  { kind: 'static-ct-api', tiled: true },
])('ctlens monitor --once on a $kind log', ({ tiled }) => {
  let local: MonitoredLog;
  let stateDir: string;
  const issued: Record<string, Uint8Array> = {};

  beforeAll(async () => {
    local = await startMonitoredLog(tmp.dir, { tiled });
    stateDir = `${tmp.dir}/state-${tiled ? 'tiled' : 'rfc6962'}`;
    const add = async (name: string, names: Parameters<typeof issueCertificate>[1]) => {
      issued[name] = await issueCertificate(ca, names);
      local.log.addChain([issued[name]!, ca.der]);
    };
    await add('unrelated', { dns: ['unrelated.example'] });
    await add('exact', { dns: ['www.watched.example'] });
    await add('sub', { dns: ['deep.sub.domain.example'] });
    await add('apex', { dns: ['domain.example'] });
    await add('wildcard', { dns: ['*.watched.example'] });
    await add('wildcard-too-deep', { dns: ['*.a.watched.example'] });
    await add('cn-only', { cn: 'MAIL.Watched.Example' });
    await add('ipv4', { dns: ['ip.unrelated.example'], ip: ['192.0.2.7'] });
    await add('ipv6', { dns: ['ip6.unrelated.example'], ip: ['2001:db8::7'] });
    await add('idn', { dns: ['xn--bcher-kva.example'] });
    await add('idn-cn', { cn: 'straße.example' });
    await add('authorized', { dns: ['mine.domain.example'] });
    const pair = await beginPair(ca, 'pair.domain.example');
    const sct = local.log.addPreChain([pair.precert, ca.der]);
    issued['pair-precert'] = pair.precert;
    issued.pair = (await pair.finish([sct.bytes])).der;
    local.log.addChain([issued.pair!, ca.der]);
  }, 60_000);
  afterAll(() => local.close());

  it('reports each matching certificate once, with the patterns and names it hit', async () => {
    const watch = [
      'www.watched.example',
      '.domain.example',
      '192.0.2.7',
      '2001:db8::7',
      'bücher.example',
      'xn--strae-oqa.example',
      'mail.watched.example',
    ];
    const authorize = toHex(sha256(issued.authorized!));
    const args = [
      ...watch.flatMap((w) => ['--watch', w]),
      '--log-list',
      local.listFile,
      '--from-start',
      '--authorize',
      authorize,
    ];
    const run = await monitorOnce(args, stateDir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const bySubjectName = new Map(run.lines.map((l) => [l.names.join(' '), l]));
    expect([...bySubjectName.keys()].sort()).toEqual([
      '*.watched.example',
      '192.0.2.7',
      '2001:db8::7',
      'MAIL.Watched.Example',
      'deep.sub.domain.example',
      'domain.example',
      'pair.domain.example',
      'straße.example',
      'www.watched.example',
      'xn--bcher-kva.example',
    ]);
    expect(bySubjectName.get('*.watched.example')!.watched).toEqual(['www.watched.example', 'mail.watched.example']);
    expect(bySubjectName.get('straße.example')!.watched).toEqual(['xn--strae-oqa.example']);
    const exact = bySubjectName.get('www.watched.example')!;
    expect(exact).toMatchObject({
      type: 'match',
      watched: ['www.watched.example'],
      precertificate: false,
      certificate: {
        sha256: toHex(sha256(issued.exact!)),
        subject: 'CN=www.watched.example',
        subjectAltNames: ['DNS:www.watched.example'],
      },
      entries: [{ logId: local.log.logIdBase64, index: 1, entryType: 'x509_entry' }],
    });
    // The precertificate and its certificate: one finding, both entries, the final certificate described.
    const pair = bySubjectName.get('pair.domain.example')!;
    expect(pair.precertificate).toBe(false);
    expect(pair.certificate.sha256).toBe(toHex(sha256(issued.pair!)));
    expect(pair.entries.map((e: any) => [e.index, e.entryType])).toEqual([
      [12, 'precert_entry'],
      [13, 'x509_entry'],
    ]);

    // Nothing twice: a second run reads nothing new and reports nothing.
    const again = await monitorOnce(args, stateDir);
    expect(again.code).toBe(0);
    expect(again.lines).toEqual([]);
  }, 60_000);
});
