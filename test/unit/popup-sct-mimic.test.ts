/**
 * The popup's SCT table (popup/sct-table.ts) marks a mimic log's SCT, from a report the real
 * pipeline built. Unit tests have no browser DOM, so a minimal document stands in for the few
 * calls popup/dom.ts makes (createElement, createTextNode, setAttribute, appendChild); the table's
 * code is the real one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { sctsSection } from '../../popup/sct-table.js';
import { mimicTestLog, usableLogsRegistry } from '../support/mimic-logs.js';
import { createTestCa, createTestLog, issueWithEmbeddedScts } from '../support/test-pki.js';

class Node {
  readonly attributes = new Map<string, string>();
  readonly childNodes: Node[] = [];
  constructor(
    readonly tagName: string,
    readonly text = '',
  ) {}
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  appendChild(child: Node): Node {
    this.childNodes.push(child);
    return child;
  }
  get textContent(): string {
    return this.text + this.childNodes.map((c) => c.textContent).join('');
  }
  /** Every element below this one (depth first) with `tag`. */
  all(tag: string): Node[] {
    return this.childNodes.flatMap((c) => [...(c.tagName === tag ? [c] : []), ...c.all(tag)]);
  }
}

const saved = (globalThis as { document?: unknown }).document;
beforeAll(() => {
  (globalThis as { document?: unknown }).document = {
    createElement: (tag: string) => new Node(tag),
    createTextNode: (text: string) => new Node('#text', text),
  };
});
afterAll(() => {
  (globalThis as { document?: unknown }).document = saved;
});

describe("the popup's SCT table", () => {
  it("marks the mimic log's row and says why its valid SCT proves nothing; other rows unmarked", async () => {
    const DAY = 86_400_000;
    const at = Date.UTC(2026, 4, 10);
    const [a, mimic] = [createTestLog('Log A'), mimicTestLog('mimic1', 'Mimic One')];
    const ca = await createTestCa();
    const issued = at - 9 * DAY;
    const logs = [a, mimic].map((log) => ({ log, timestamp: issued }));
    const cert = await issueWithEmbeddedScts(ca, { notBefore: issued, notAfter: issued + 90 * DAY, logs });
    const registry = usableLogsRegistry({ 'Op A': [a], 'Op M': [mimic] }, at - DAY);
    const report = await check({ chain: [cert.der, ca.der], registry, at });
    const rows = (sctsSection(report) as unknown as Node).all('tr').filter((r) => r.attributes.has('data-status'));
    expect(rows.map((r) => r.attributes.get('data-status'))).toEqual(['valid', 'valid']);
    expect(rows.map((r) => r.attributes.has('data-mimic'))).toEqual([false, true]);
    expect(rows[1]!.textContent).toContain('Mimic One');
    expect(rows[1]!.textContent).toContain('Mimic log: its private key is public, so this SCT proves nothing');
    expect(rows[0]!.textContent).not.toMatch(/mimic/i);
  });
});
