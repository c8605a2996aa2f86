/**
 * Watch patterns and the names they hit (src/monitor/patterns.ts), and reading a certificate's
 * names on the hot path (src/monitor/entry-names.ts) against pkijs-built certificates and
 * damaged DER.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DerError } from '../../src/der/element.js';
import { certificateEntryNames, type EntryNames } from '../../src/monitor/entry-names.js';
import { PatternError, Watchlist, parseIp, parsePattern, parseWatchFile } from '../../src/monitor/patterns.js';
import { issueCertificate } from '../support/monitor-certs.js';
import { createTestCa, type TestCa } from '../support/test-pki.js';

const names = (dns: string[], commonNames: string[] = [], ips: number[][] = []): EntryNames => ({
  dnsNames: dns,
  commonNames,
  ipAddresses: ips.map((ip) => Uint8Array.from(ip)),
});
const watch = (...patterns: string[]) => new Watchlist(patterns.map(parsePattern));

describe('patterns', () => {
  it('reads names, .domains and IP addresses, as lowercase A-labels', () => {
    expect(parsePattern('WWW.Example.COM.')).toMatchObject({ kind: 'exact', name: 'www.example.com' });
    expect(parsePattern('.Example.com')).toMatchObject({ kind: 'domain', name: 'example.com' });
    expect(parsePattern('bücher.example')).toMatchObject({ kind: 'exact', name: 'xn--bcher-kva.example' });
    expect(parsePattern('192.0.2.1').ip).toEqual(Uint8Array.of(192, 0, 2, 1));
    expect(Array.from(parsePattern('2001:DB8::1').ip!)).toEqual([0x20, 1, 0x0d, 0xb8, ...Array(11).fill(0), 1]);
  });

  it('refuses what is no pattern, saying why', () => {
    expect(() => parsePattern('*.example.com')).toThrow(
      new PatternError(
        '"*.example.com": a pattern has no wildcards; ".example.com" watches a domain and every name under it',
      ),
    );
    const notAName = '"exa mple.com" is neither a DNS name, a .domain nor an IP address';
    expect(() => parsePattern('exa mple.com')).toThrow(notAName);
    expect(() => parsePattern('-bad.example')).toThrow(PatternError);
    expect(() => parsePattern('')).toThrow('an empty pattern');
    expect(parseIp('192.0.2.01')).toBeUndefined();
    expect(parseIp('256.0.0.1')).toBeUndefined();
    expect(parseIp('1::2::3')).toBeUndefined();
  });

  it('reads a watch file: one pattern a line, # comments, the line named in errors', () => {
    const text = '# my domains\nexample.com\n\n  .example.net  # and under it\n';
    expect(parseWatchFile(text, 'w.txt').map((p) => p.text)).toEqual(['example.com', '.example.net']);
    expect(() => parseWatchFile('ok.example\nnot a name\n', 'w.txt')).toThrow('w.txt, line 2: "not a name"');
  });
});

describe('Watchlist.match', () => {
  it('an exact name hits only itself, in any case', () => {
    const w = watch('www.example.com');
    expect(w.match(names(['WWW.EXAMPLE.COM']))).toEqual({ watched: ['www.example.com'], names: ['WWW.EXAMPLE.COM'] });
    expect(w.match(names(['example.com', 'a.www.example.com', 'www.example.com.evil']))).toBeUndefined();
  });

  it('a .domain hits the domain and every name under it, not look-alike suffixes', () => {
    const w = watch('.example.com');
    expect(w.match(names(['example.com']))?.names).toEqual(['example.com']);
    expect(w.match(names(['a.b.c.example.com']))?.names).toEqual(['a.b.c.example.com']);
    expect(w.match(names(['notexample.com', 'example.com.au']))).toBeUndefined();
  });

  it('a wildcard covers one label in the leftmost position (RFC 6125 §6.4.3)', () => {
    const w = watch('www.example.com', 'example.net', '.example.org');
    expect(w.match(names(['*.example.com']))?.watched).toEqual(['www.example.com']);
    expect(w.match(names(['w*.example.com']))?.watched).toEqual(['www.example.com']);
    expect(w.match(names(['x*.example.com', '*.a.example.com', '*.example.net']))).toBeUndefined();
    // Every name *.net covers is one label under .net: example.net is one of them.
    expect(w.match(names(['*.net']))?.watched).toEqual(['example.net']);
    // A wildcard under a watched domain, or covering the domain itself.
    expect(w.match(names(['*.deep.example.org']))?.watched).toEqual(['.example.org']);
    expect(w.match(names(['*.org']))?.watched).toEqual(['.example.org']);
    // Not a wildcard RFC 6125 allows: two stars, a star past the first label, a star in an A-label.
    expect(w.match(names(['*.*.example.com', 'www.*.com', 'xn--*.example.com']))).toBeUndefined();
  });

  it('compares IDNs as A-labels: a U-label commonName hits an A-label pattern and back', () => {
    expect(watch('xn--bcher-kva.example').match(names([], ['Bücher.example']))?.names).toEqual(['Bücher.example']);
    expect(watch('bücher.example').match(names(['xn--bcher-kva.example']))?.watched).toEqual(['bücher.example']);
  });

  it('IP patterns hit iPAddress SANs and a commonName that is the address', () => {
    const w = watch('192.0.2.7', '2001:db8::7');
    expect(w.match(names([], [], [[192, 0, 2, 7]]))?.names).toEqual(['192.0.2.7']);
    expect(w.match(names([], ['192.0.2.7']))?.names).toEqual(['192.0.2.7']);
    const v6 = [0x20, 1, 0x0d, 0xb8, ...Array(11).fill(0), 7];
    expect(w.match(names([], [], [v6]))?.names).toEqual(['2001:db8::7']);
    expect(
      w.match(
        names(
          ['192.0.2.7'],
          [],
          [
            [192, 0, 2, 8],
            [192, 0, 2],
          ],
        ),
      ),
    ).toBeUndefined();
  });
});

describe('certificateEntryNames', () => {
  let ca: TestCa;
  beforeAll(async () => {
    ca = await createTestCa('ctlens names CA');
  });

  it('reads CN, dNSName and iPAddress entries; a CN-only certificate has no SAN names', async () => {
    const der = await issueCertificate(ca, {
      cn: 'Straße.example',
      dns: ['a.example', '*.b.example'],
      ip: ['192.0.2.1', '::1'],
    });
    const read = certificateEntryNames(der);
    expect(read.commonNames).toEqual(['Straße.example']);
    expect(read.dnsNames).toEqual(['a.example', '*.b.example']);
    expect(read.ipAddresses.map((ip) => ip.length)).toEqual([4, 16]);
    const cnOnly = certificateEntryNames(await issueCertificate(ca, { cn: 'only.example' }));
    expect(cnOnly).toEqual({ commonNames: ['only.example'], dnsNames: [], ipAddresses: [] });
  });

  it('refuses damaged DER with a DerError naming where, never a crash', async () => {
    const der = await issueCertificate(ca, { dns: ['a.example'] });
    for (let cut = 0; cut < der.length; cut += 7) {
      let result: unknown;
      try {
        result = certificateEntryNames(der.subarray(0, cut));
      } catch (e) {
        result = e;
      }
      expect(result, `cut at ${cut}`).toBeInstanceOf(DerError);
    }
    const flipped = der.slice();
    flipped[1] = 0x85; // a length of 5 octets
    expect(() => certificateEntryNames(flipped)).toThrow(/Certificate: length of 5 octets is too large/);
  });
});
