/** SCTs delivered in a stapled OCSP response (RFC 6962 §3.3: SingleExtension 1.3.6.1.4.1.11129.2.4.5). */
import { expect, it } from 'vitest';
import { ocspScts } from '../../src/cli/live-host.js';
import { check } from '../../src/check.js';
import { LogRegistry, logFromKey } from '../../src/loglist/registry.js';
import { LocalCtLog } from '../../log/log.js';
import { createTestCa, issueWithEmbeddedScts, sctList } from '../support/test-pki.js';
import { extension, oid, tlv } from '../support/der-edit.js';

const time = (text: string) => tlv(0x18, new TextEncoder().encode(text)); // GeneralizedTime

/**
 * An OCSP response (RFC 6960 §4.2.1) whose SingleResponse carries `scts` in the CT extension,
 * written out field by field (the signature is not checked by ctlens: the SCTs carry the logs').
 */
function ocspResponse(scts: Uint8Array[] | undefined): Uint8Array {
  const certId = tlv(
    0x30,
    tlv(0x30, oid('2.16.840.1.101.3.4.2.1')),
    tlv(0x04, new Uint8Array(32)),
    tlv(0x04, new Uint8Array(32)),
    tlv(0x02, Uint8Array.of(5)),
  );
  const extensions = scts ? [tlv(0xa1, tlv(0x30, extension('1.3.6.1.4.1.11129.2.4.5', tlv(0x04, sctList(scts)))))] : [];
  const single = tlv(0x30, certId, tlv(0x80, new Uint8Array(0)) /* good */, time('20261121000000Z'), ...extensions);
  const responseData = tlv(
    0x30,
    tlv(0xa2, tlv(0x04, new Uint8Array(20))) /* byKey */,
    time('20261121000000Z'),
    tlv(0x30, single),
  );
  const basic = tlv(0x30, responseData, tlv(0x30, oid('1.2.840.10045.4.3.2')), tlv(0x03, Uint8Array.of(0, 1, 2, 3)));
  return tlv(0x30, tlv(0x0a, Uint8Array.of(0)), tlv(0xa0, tlv(0x30, oid('1.3.6.1.5.5.7.48.1.1'), tlv(0x04, basic))));
}

it('reads the SCTs of a stapled OCSP response, which verify as x509_entry SCTs', async () => {
  const ca = await createTestCa('ctlens OCSP CA');
  const now = Math.floor(Date.now() / 1000) * 1000;
  const leaf = (
    await issueWithEmbeddedScts(ca, { notBefore: now - 86_400_000, notAfter: now + 30 * 86_400_000, logs: [] })
  ).der;
  const log = new LocalCtLog({ description: 'OCSP test log' });
  const sct = log.addChain([leaf, ca.der]).bytes;
  const delivered = ocspScts(ocspResponse([sct]));
  expect(delivered).toEqual([{ bytes: sct, source: 'ocsp' }]);
  const registry = new LogRegistry([], [logFromKey(log.spki, 'OCSP test log key')]);
  const report = await check({ chain: [leaf, ca.der], delivered, registry, at: Date.now() });
  expect(report.scts).toMatchObject([{ source: 'ocsp', status: 'valid', entryType: 'x509_entry' }]);
});

it('a response without the extension has no SCTs; an unsuccessful one neither; garbage is an error', () => {
  expect(ocspScts(ocspResponse(undefined))).toEqual([]);
  expect(ocspScts(tlv(0x30, tlv(0x0a, Uint8Array.of(6))))).toEqual([]); // unauthorized, no responseBytes
  expect(() => ocspScts(Uint8Array.of(1, 2, 3))).toThrow();
});
