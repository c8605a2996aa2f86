/**
 * Chromium: SCTs as DevTools reports them, rebuilt and verified by the core; the on-demand check
 * through the controller with the debugger reading injected (the browser part), everything else real.
 */
import { describe, expect, it } from 'vitest';
import { chromiumChainInput, type ChromiumReading } from '../../background/chromium-check.js';
import { Controller } from '../../background/controller.js';
import { toHex } from '../../src/bytes.js';
import { check } from '../../src/check.js';
import { deliveredFromDevTools, devToolsOrigin, type DevToolsSct } from '../../src/chromium-scts.js';
import { LogRegistry } from '../../src/loglist/registry.js';
import { decodeSct } from '../../src/sct/decode.js';
import { pemCert, readFixture, rfc6962TestLogs, TEST_DATA_TIME } from '../support/fixtures.js';
import { MemoryBrowser } from '../support/memory-browser.js';

/** The DevTools view of a raw SCT, as Chromium's network_handler builds it (hex log id and signature). */
function asDevTools(raw: Uint8Array, origin: string): DevToolsSct {
  const sct = decodeSct(raw);
  if (sct.kind !== 'v1') throw new Error('fixture is not a v1 SCT');
  return {
    status: 'Verified',
    origin,
    logDescription: 'test log',
    logId: toHex(sct.logId).toUpperCase(),
    timestamp: sct.timestamp,
    hashAlgorithm: 'SHA-256',
    signatureAlgorithm: sct.signatureAlgorithm === 3 ? 'ECDSA' : 'RSA',
    signatureData: toHex(sct.signature).toUpperCase(),
  };
}

describe('DevTools SCTs', () => {
  it('maps Chromium origin strings', () => {
    expect(['Embedded in certificate', 'TLS extension', 'OCSP', 'OCSP response', '?'].map(devToolsOrigin)).toEqual([
      'embedded',
      'tls-extension',
      'ocsp',
      'ocsp',
      undefined,
    ]);
  });

  it('a TLS SCT rebuilt from DevTools fields verifies exactly like the original bytes (ECDSA and RSA)', async () => {
    const delivered = deliveredFromDevTools([
      asDevTools(readFixture('rfc6962/test-cert.proof'), 'TLS extension'),
      asDevTools(readFixture('rfc6962/rsa/test-cert-rsa.proof'), 'OCSP'),
      // read from the certificate instead
      asDevTools(readFixture('rfc6962/test-cert.proof'), 'Embedded in certificate'),
    ]);
    expect(delivered.map((d) => d.source)).toEqual(['tls-extension', 'ocsp']);
    expect(delivered[0]!.bytes).toEqual(readFixture('rfc6962/test-cert.proof'));
    const report = await check({
      chain: [pemCert('rfc6962/test-cert.pem')],
      delivered,
      registry: rfc6962TestLogs(),
      at: TEST_DATA_TIME,
    });
    expect(report.scts.map((s) => [s.source, s.status])).toEqual([
      ['tls-extension', 'valid'],
      ['ocsp', 'valid'],
    ]);
  });

  it('a damaged DevTools signature is invalid; unencodable fields are malformed', async () => {
    const good = asDevTools(readFixture('rfc6962/test-cert.proof'), 'TLS extension');
    const flipped = {
      ...good,
      signatureData: good.signatureData.slice(0, -2) + (good.signatureData.endsWith('00') ? '01' : '00'),
    };
    const delivered = deliveredFromDevTools([
      flipped,
      { ...good, logId: 'zz' },
      { ...good, hashAlgorithm: 'WHIRLPOOL' },
    ]);
    const report = await check({
      chain: [pemCert('rfc6962/test-cert.pem')],
      delivered,
      registry: rfc6962TestLogs(),
      at: TEST_DATA_TIME,
    });
    expect(report.scts.map((s) => s.status)).toEqual(['invalid-signature', 'malformed', 'malformed']);
  });

  it('an SCT from a tiled log is unverifiable: DevTools omits the leaf_index extension it signs', async () => {
    const [ecdsa] = [...rfc6962TestLogs().all()];
    const registry = new LogRegistry([], [{ ...ecdsa!, type: 'tiled' }]);
    const delivered = deliveredFromDevTools([asDevTools(readFixture('rfc6962/test-cert.proof'), 'TLS extension')]);
    const report = await check({ chain: [pemCert('rfc6962/test-cert.pem')], delivered, registry, at: TEST_DATA_TIME });
    expect(report.scts[0]).toMatchObject({ status: 'unverifiable', detail: expect.stringContaining('leaf_index') });
  });

  it('Chromium\'s compliance "unknown" marks a chain it did not judge (a private root)', () => {
    const reading = (compliance?: string): ChromiumReading => ({
      url: 'https://x.example/',
      securityState: 'secure',
      chain: [],
      details: compliance ? { certificateTransparencyCompliance: compliance } : undefined,
    });
    expect(chromiumChainInput(reading('unknown'))).toMatchObject({
      publiclyTrusted: false,
      browserVerdict: { status: 'unknown', compliant: false },
    });
    expect(chromiumChainInput(reading('compliant'))).toMatchObject({
      publiclyTrusted: true,
      browserVerdict: { compliant: true },
    });
    expect(chromiumChainInput(reading())).toMatchObject({ publiclyTrusted: false, browserVerdict: undefined });
  });
});

describe('the on-demand check', () => {
  const chain = [pemCert('rfc6962/test-embedded-cert.pem'), pemCert('rfc6962/ca-cert.pem')];
  const reading: ChromiumReading = {
    url: 'https://site.example/',
    securityState: 'secure',
    chain,
    details: { certificateTransparencyCompliance: 'compliant', signedCertificateTimestampList: [] },
  };

  it("reads the tab, verifies and records the verdict with the browser's own", async () => {
    const api = new MemoryBrowser();
    const reads: number[] = [];
    const controller = new Controller(api, {
      readChromiumTab: async (tabId) => {
        reads.push(tabId);
        return reading;
      },
    });
    const state = await controller.checkChromiumTab(11);
    expect(reads).toEqual([11]);
    expect(state).toMatchObject({
      phase: 'done',
      host: 'site.example',
      browserVerdict: { browser: 'chromium', status: 'compliant' },
    });
    expect(state.report!.scts).toHaveLength(1);
    expect(api.badges.get(11)?.text).not.toBe('');
  });

  it('our own reload during the check does not reset the tab', async () => {
    const api = new MemoryBrowser();
    let controller!: Controller;
    controller = new Controller(api, {
      readChromiumTab: async (tabId) => {
        await controller.onNavigation(tabId, undefined, false); // Page.reload's "loading" event
        return reading;
      },
    });
    expect((await controller.checkChromiumTab(12)).phase).toBe('done');
  });

  it("the reload's load event arriving after the check does not reset the tab; the next one does", async () => {
    const api = new MemoryBrowser();
    const controller = new Controller(api, { readChromiumTab: async () => reading }); // no load event during the check
    expect((await controller.checkChromiumTab(15)).phase).toBe('done');
    await controller.onNavigation(15, undefined, false); // the reload's "loading", late
    expect((await controller.tabs.get(15))?.phase).toBe('done');
    await controller.onNavigation(15, undefined, false); // a later load the extension cannot read: another site, maybe
    expect(await controller.tabs.get(15)).toBeUndefined();
  });

  it('a failed read is an error state with its reason', async () => {
    const api = new MemoryBrowser();
    const controller = new Controller(api, {
      readChromiumTab: async () => {
        throw new Error('cannot attach to the tab: Cannot access a chrome:// URL');
      },
    });
    expect(await controller.checkChromiumTab(13)).toMatchObject({
      phase: 'error',
      error: 'cannot attach to the tab: Cannot access a chrome:// URL',
    });
    expect(api.badges.get(13)).toMatchObject({
      text: '?',
      title: 'ctlens: cannot attach to the tab: Cannot access a chrome:// URL',
    });
  });

  it('a page that is not HTTPS has nothing to check', async () => {
    const api = new MemoryBrowser();
    const controller = new Controller(api, {
      readChromiumTab: async () => ({
        url: 'http://plain.example/',
        securityState: 'insecure',
        chain: [],
        details: undefined,
      }),
    });
    expect(await controller.checkChromiumTab(14)).toMatchObject({ phase: 'insecure', host: 'plain.example' });
  });
});
