/**
 * Where the tree head an inclusion proof was checked against came from, in words (issue 7 §1). A
 * head with a signature is one the log signed and ctlens verified (RFC 6962 §3.5); one without is
 * a ReadOnly log's final_tree_head from the log list the log's entry came from, which the registry
 * takes only from a list whose signature verified (src/loglist/registry.ts). The words say which
 * list, and whether it is signed, as the report records it rather than as assumed.
 */
import type { StoredHead } from '../src/inclusion/tree-heads.js';
import type { Report } from '../src/report.js';

export function treeHeadSource(head: StoredHead, logSource: string | undefined, report: Report): string {
  if (head.signature) return 'signed by the log, signature verified';
  const list = report.logList.sources.find((s) => s.source === logSource);
  if (!list) return 'a final tree head from a log list not in use';
  return list.signed
    ? `the final tree head in ${list.source}, a log list whose signature was verified`
    : `the final tree head in ${list.source}, an unsigned list`;
}
