/**
 * Issue 7 §1, the inclusion half: an unsigned list that calls a log ReadOnly with a made-up
 * final_tree_head, and a server at the log's address answering an empty audit path, used to make
 * the SCT "included". A final_tree_head is now taken only from a signed list, so the audit asks the
 * log for a tree head it signs: the extension (extra list) and the CLI (--log-list) alike. The SCT
 * is a real one from the project's CT log; the "log" at the list's address is a real loopback
 * server that answers every proof request with leaf 0 and an empty path.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtensionLogLists } from '../../background/log-lists.js';
import { DEFAULT_SETTINGS } from '../../background/settings.js';
import { proveInclusion } from '../../src/inclusion/prove-inclusion.js';
import { MemoryHeadStore } from '../../src/inclusion/tree-heads.js';
import { toBase64 } from '../../src/bytes.js';
import { decide } from '../../src/check.js';
import { LogHttp } from '../../src/logclient/http.js';
import { encodePem } from '../../src/pem.js';
import { LocalCtLog } from '../../log/log.js';
import { logListEntry } from '../../log/log-list.js';
import { runCli } from '../support/cli.js';
import { MemoryBrowser } from '../support/memory-browser.js';
import { beginIssuance, createTestCa } from '../support/test-pki.js';

const DAY = 86_400_000;
let chain: Uint8Array[];
let listJson: string;
let server: Server;
const proofRequests: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'ctlens-final-head-'));

beforeAll(async () => {
  const ca = await createTestCa('ctlens final head CA');
  const log = new LocalCtLog({ description: 'Frozen Private Log' });
  const now = Math.floor(Date.now() / 1000) * 1000;
  const validity = { notBefore: now - 10 * DAY, notAfter: now + 60 * DAY };
  const pending = await beginIssuance(ca, { ...validity, subject: 'frozen.example' });
  const sct = log.addPreChain([pending.precert, ca.der]);
  chain = [(await pending.finish([sct.bytes])).der, ca.der];
  // The attacker's "log": a one-leaf proof for anything, nothing else (no tree head at all).
  server = createServer((req, res) => {
    if (!req.url?.startsWith('/ct/v1/get-proof-by-hash?')) return void res.writeHead(404).end('not found');
    proofRequests.push(req.url);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ leaf_index: 0, audit_path: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  // With an empty path, a one-leaf tree's root is the leaf hash (RFC 6962 §2.1): the made-up head.
  const finalTreeHead = { tree_size: 1, sha256_root_hash: toBase64(sct.leafHash) };
  const state = { readonly: { timestamp: new Date(now - DAY).toISOString(), final_tree_head: finalTreeHead } };
  const entry = { ...logListEntry(log, { url, at: now - 30 * DAY }), state };
  const operators = [{ name: 'Private', logs: [entry] }];
  listJson = JSON.stringify({ version: '1', log_list_timestamp: new Date(now).toISOString(), operators });
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('a made-up final_tree_head in an unsigned list', () => {
  it('the extension: the extra list\'s head is not used, so the SCT is not "included"', async () => {
    const api = new MemoryBrowser();
    api.time = Date.now();
    const settings = { ...DEFAULT_SETTINGS, extraLogList: listJson };
    const lists = new ExtensionLogLists(api.local, async () => settings, api.now);
    const { registry, extraLogProblems } = await lists.registry();
    const { verification } = await decide({ chain, registry, at: api.time });
    expect(verification.scts.map((s) => s.status)).toEqual(['valid']);
    const http = new LogHttp({ timeoutMs: 2000, retries: 0, backoffMs: 0, maxBytes: 1 << 20 });
    const audit = await proveInclusion(verification, { store: new MemoryHeadStore(), at: api.time, http });
    // It asked for the log's signed tree head, which this "log" cannot give.
    const detail = expect.stringMatching(/get-sth/);
    expect(audit.inclusion[0]).toMatchObject({ status: 'unavailable', treeSize: null, detail });
    expect(proofRequests).toEqual([]);
    // Options says why.
    const why = /^extra log list: Frozen Private Log .*final_tree_head not used, the list is unsigned/;
    expect(extraLogProblems).toEqual([expect.stringMatching(why)]);
  });

  it('the CLI: ctlens audit --log-list decides it in the same core code', async () => {
    const pem = join(dir, 'chain.pem');
    writeFileSync(pem, chain.map((der) => encodePem('CERTIFICATE', der, toBase64)).join(''));
    const list = join(dir, 'list.json');
    writeFileSync(list, listJson);
    const out = await runCli(['audit', pem, '--log-list', list, '--state-dir', join(dir, 'state'), '--json']);
    const report = JSON.parse(out.stdout);
    expect(report.scts.map((s: { status: string }) => s.status)).toEqual(['valid']);
    expect(report.scts[0].inclusion).toMatchObject({ status: 'unavailable', treeSize: null });
    expect(report.logList.sources[0].signed).toBe(false);
    expect(proofRequests).toEqual([]);
  });
});
