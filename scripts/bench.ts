/**
 * `npm run bench [-- --json]`: throughput of the verification path, on real certificates.
 *   sctVerifyPerSecond    one embedded SCT: signed data built + ECDSA P-256 verified, one at a time
 *   chainVerifyPerSecond  a real chain with 3 embedded SCTs: parse → verify → policy, one at a time
 * Also prints the concurrent SCT rate, the full report (names and SANs described) rate, and
 * OpenSSL's native `openssl speed ecdsap256` verify rate on this machine for comparison; the
 * audit figures (bench-audit.ts) and the command line's (bench-cli.ts: a whole `ctlens verify`
 * process against `node -e 0`, goal ≤ 1.3×, and chains/s through one process).
 * With --json the last line is one JSON object with every figure.
 */
import { execFileSync } from 'node:child_process';
import { benchExtension, browsersAvailable, type ExtensionFigures } from './bench-extension.js';
import { benchAudit } from './bench-audit.js';
import { benchCli } from './bench-cli.js';
import { benchCosignatures } from './bench-cosignature.js';
import { benchMonitor } from './bench-monitor.js';
import { sha256 } from '../src/bytes.js';
import { check, decide } from '../src/check.js';
import { SignatureVerifier } from '../src/crypto/verify.js';
import { bundledLogLists } from '../src/loglist/bundled.js';
import { LogRegistry } from '../src/loglist/registry.js';
import { decodePem } from '../src/pem.js';
import { decodeSct } from '../src/sct/decode.js';
import { precertEntry, signedData } from '../src/sct/signed-data.js';
import { parseCertificate } from '../src/x509/certificate.js';
import { embeddedSctList } from '../src/x509/embedded-scts.js';
import { precertTbs } from '../src/x509/precert-tbs.js';
import { rootFromInclusionProof, verifyInclusion } from '../src/merkle/verify.js';
import leafPem from '../test/fixtures/real/badssl-wildcard-rsa2048-leaf.pem?raw';
import issuerPem from '../test/fixtures/real/badssl-wildcard-rsa2048-issuer.pem?raw';

const json = process.argv.includes('--json');
const log = (line: string) => process.stdout.write(`${line}\n`);

// A real 2020 certificate with 3 embedded SCTs (Skydiver, Yeti2022, Nessie2022): PROVENANCE.md.
const leafDer = decodePem(leafPem)[0]!.der;
const issuerDer = decodePem(issuerPem)[0]!.der;
const at = Date.UTC(2021, 0, 1);

/** Runs `fn` repeatedly for about `ms` milliseconds after a warm-up; returns operations per second. */
async function rate(fn: () => Promise<unknown>, ms = 2000): Promise<number> {
  for (let i = 0; i < 200; i++) await fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 50; i++) await fn();
    n += 50;
  }
  return n / ((performance.now() - start) / 1000);
}

const registry = new LogRegistry(await bundledLogLists());
const verifier = new SignatureVerifier();

// One SCT: what verifyScts does per SCT once the chain is parsed.
const leaf = parseCertificate(leafDer);
const issuer = parseCertificate(issuerDer);
const list = embeddedSctList(leaf);
if (list.status !== 'ok') throw new Error('bench certificate has no SCT list');
const sct = decodeSct(list.scts[0]!);
if (sct.kind !== 'v1') throw new Error('bench SCT is not v1');
const logInfo = registry.get(sct.logId)!;
const entry = precertEntry(sha256(issuer.spki), precertTbs(leaf));
const verifyOne = async () => {
  const outcome = await verifier.verify(logInfo.key, 'ecdsa-p256', sct.signature, signedData(sct, entry));
  if (!outcome.ok) throw new Error('bench SCT did not verify');
};
const sctVerifyPerSecond = await rate(verifyOne);
const sctVerifyConcurrentPerSecond = await rate(() => Promise.all(Array.from({ length: 16 }, verifyOne)), 2000).then(
  (r) => r * 16,
);

const chain = [leafDer, issuerDer];
const first = await decide({ chain, registry, at });
if (first.verification.scts.length !== 3 || first.verification.scts.some((s) => s.status !== 'valid')) {
  throw new Error('bench chain does not have 3 valid SCTs');
}
const chainVerifyPerSecond = await rate(() => decide({ chain, registry, at }));
const fullReportPerSecond = await rate(() => check({ chain, registry, at }), 1500);

// Merkle inclusion proofs in a tree of 2^24 entries (24 hashes a proof): a proof is valid by
// construction when its root is the one it leads to.
const proofHashes = Array.from({ length: 24 }, (_, i) => sha256(Uint8Array.of(i)));
const proofLeaf = sha256(Uint8Array.of(255));
const treeSize = 2 ** 24;
const proofIndex = 12_345_678;
const proofRoot = rootFromInclusionProof(proofIndex, treeSize, proofLeaf, proofHashes);
const proofVerifyPerSecond = await rate(
  async () => verifyInclusion(proofIndex, treeSize, proofLeaf, proofHashes, proofRoot),
  1000,
);

let opensslVerifyPerSecond: number | null = null;
try {
  const out = execFileSync('openssl', ['speed', '-seconds', '2', 'ecdsap256'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const row = out.split('\n').find((l) => /256 bits ecdsa \(nistp256\)/.test(l));
  opensslVerifyPerSecond = row ? Number(row.trim().split(/\s+/).at(-1)) : null;
} catch {
  opensslVerifyPerSecond = null; // no openssl on this machine
}

const round = (n: number) => Math.round(n);
log(
  `SCT verification (ECDSA P-256, WebCrypto), sequential: ${round(sctVerifyPerSecond)}/s ` +
    `(${(1e6 / sctVerifyPerSecond).toFixed(1)} µs each)`,
);
log(`SCT verification, 16 in flight:                        ${round(sctVerifyConcurrentPerSecond)}/s`);
if (opensslVerifyPerSecond) {
  log(
    `OpenSSL native ecdsap256 verify:                       ${round(opensslVerifyPerSecond)}/s → ` +
      `ctlens sequential is ${(sctVerifyPerSecond / opensslVerifyPerSecond).toFixed(2)}× (goal ≥ 0.5×)`,
  );
}
log(
  `Chain with 3 SCTs, parse → verify → policy:            ${round(chainVerifyPerSecond)}/s ` +
    `(${(1000 / chainVerifyPerSecond).toFixed(3)} ms each, goal < 1 ms)`,
);
log(
  `Chain with full report (names described):              ${round(fullReportPerSecond)}/s ` +
    `(${(1000 / fullReportPerSecond).toFixed(3)} ms each)`,
);
log(`Merkle inclusion proof, tree of 2^24 (24 hashes):      ${round(proofVerifyPerSecond)}/s`);
const auditFigures = await benchAudit(log);
const cliFigures = benchCli(log);
const cosignatureFigures = await benchCosignatures(log, rate);
log('');
const monitorFigures = await benchMonitor(log);

let extension: ExtensionFigures | null = null;
if (browsersAvailable()) {
  log('');
  extension = await benchExtension(log);
} else {
  log('Extension figures skipped: needs firefox-esr, certutil and a built dist/firefox (npm run build:ext).');
}
if (json) {
  log(
    JSON.stringify({
      sctVerifyPerSecond: round(sctVerifyPerSecond),
      sctVerifyConcurrentPerSecond: round(sctVerifyConcurrentPerSecond),
      chainVerifyPerSecond: round(chainVerifyPerSecond),
      chainVerifyMs: Number((1000 / chainVerifyPerSecond).toFixed(4)),
      fullReportPerSecond: round(fullReportPerSecond),
      proofVerifyPerSecond: round(proofVerifyPerSecond),
      ...Object.fromEntries(Object.entries(auditFigures).map(([k, v]) => [k, Number(v.toFixed(3))])),
      ...Object.fromEntries(Object.entries(cliFigures).map(([k, v]) => [k, Number(v.toFixed(3))])),
      ...Object.fromEntries(Object.entries(cosignatureFigures).map(([k, v]) => [k, round(v)])),
      ...Object.fromEntries(
        Object.entries(monitorFigures).map(([k, v]) => [k, v === null ? null : Number(v.toFixed(2))]),
      ),
      opensslVerifyPerSecond,
      ...(extension ?? {}),
    }),
  );
}
