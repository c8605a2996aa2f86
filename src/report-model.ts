/**
 * The report model: one JSON-ready object with everything ctlens decided about a chain.
 * The CLI prints it (--json) or renders it as text; the extension shows it. UIs never re-derive
 * a verdict from it. Built here with any certificate summary (reportWith); report.ts builds it
 * with pkijs's descriptions, which the CLI, describing names itself, never loads.
 */
import { toBase64, toHex } from './bytes.js';
import type { LogRegistry } from './loglist/registry.js';
import { operatorAt, stateAt } from './loglist/log-state.js';
import { logListFreshness } from './loglist/freshness.js';
import type { PolicyResults } from './policy/evaluate.js';
import type { SctSource } from './sct/types.js';
import type { SctVerification } from './verify/verify-scts.js';
import type { SctStatus } from './verify/sct-status.js';
import type { CertificateSummary } from './x509/outline.js';

export interface SctReport {
  readonly source: SctSource;
  readonly position: number;
  /** base64 log id; null for an SCT whose version or bytes could not be read. */
  readonly logId: string | null;
  /** ms since the epoch; null when unreadable. */
  readonly timestamp: number | null;
  readonly status: SctStatus;
  readonly detail?: string;
  readonly version: number | null;
  readonly entryType?: string;
  readonly leafIndex: number | null;
  readonly hashAlgorithm?: number;
  readonly signatureAlgorithm?: number;
  readonly extensions?: string;
  /** The SCT as delivered, base64. */
  readonly raw: string;
  readonly log: LogReport | null;
}

interface LogReport {
  readonly description: string;
  /** The operator at the SCT's time. */
  readonly operator: string;
  /** The log's state at evaluation time; null when the list gives none. */
  readonly state: string | null;
  /** The state the list records, and since when. */
  readonly listedState: { readonly name: string; readonly since: string } | null;
  readonly type: 'rfc6962' | 'tiled';
  readonly url: string | null;
  readonly mmd: number | null;
  readonly source: string;
  /**
   * Present (true) only for one of Google's mimic logs (src/loglist/mimics.ts): their private keys
   * are public, so the SCT's status is about its signature alone and no policy counts it.
   */
  readonly mimic?: true;
}

export interface Report {
  readonly evaluatedAt: string;
  readonly certificate: CertificateSummary;
  readonly issuer: { readonly subject: string; readonly sha256: string } | null;
  readonly sctList: 'ok' | 'absent' | 'malformed';
  readonly sctListError?: string;
  readonly scts: readonly SctReport[];
  readonly policies: PolicyResults;
  readonly logList: {
    readonly sources: readonly {
      source: string;
      version: string | null;
      timestamp: string | null;
      signed: boolean;
      logs: number;
    }[];
    readonly timestamp: string | null;
    readonly ageDays: number | null;
    readonly stale: boolean;
  };
  readonly notes: readonly string[];
}

/**
 * The report, each certificate summarized by `summarize` (describeCertificate: report.ts and the
 * CLI).
 */
export function reportWith(
  summarize: (der: Uint8Array) => CertificateSummary,
  verification: SctVerification,
  policies: PolicyResults,
  registry: LogRegistry,
): Report {
  const { at } = verification;
  const listTimestamp = registry.listTimestamp;
  const freshness = logListFreshness(registry, at);
  const issuer = verification.issuer ? summarize(verification.issuer.der) : undefined;
  return {
    evaluatedAt: new Date(at).toISOString(),
    certificate: summarize(verification.leaf.der),
    issuer: issuer ? { subject: issuer.subject, sha256: issuer.sha256 } : null,
    sctList: verification.sctList.status,
    ...(verification.sctList.status === 'malformed' ? { sctListError: verification.sctList.error } : {}),
    scts: verification.scts.map((r): SctReport => {
      const v1 = r.sct.kind === 'v1' ? r.sct : undefined;
      return {
        source: r.source,
        position: r.position,
        logId: v1 ? toBase64(v1.logId) : null,
        timestamp: v1 ? v1.timestamp : null,
        status: r.status,
        ...(r.detail ? { detail: r.detail } : {}),
        version: r.sct.kind === 'malformed' ? null : r.sct.version,
        ...(r.entryType ? { entryType: r.entryType } : {}),
        leafIndex: v1?.leafIndex ?? null,
        ...(v1
          ? {
              hashAlgorithm: v1.hashAlgorithm,
              signatureAlgorithm: v1.signatureAlgorithm,
              extensions: toHex(v1.extensions),
            }
          : {}),
        raw: toBase64(r.sct.raw),
        log: r.log
          ? {
              description: r.log.description,
              operator: operatorAt(r.log, v1?.timestamp ?? at),
              state: stateAt(r.log, at) ?? null,
              listedState: r.log.state
                ? { name: r.log.state.name, since: new Date(r.log.state.since).toISOString() }
                : null,
              type: r.log.type,
              url: r.log.url ?? r.log.monitoringUrl ?? null,
              mmd: r.log.mmd ?? null,
              source: r.log.source,
              ...(r.log.mimic ? { mimic: true as const } : {}),
            }
          : null,
      };
    }),
    policies,
    logList: {
      sources: registry.lists.map((l) => ({
        source: l.source,
        version: l.version ?? null,
        timestamp: l.timestamp === undefined ? null : new Date(l.timestamp).toISOString(),
        signed: l.signed,
        logs: l.logCount,
      })),
      timestamp: listTimestamp === undefined ? null : new Date(listTimestamp).toISOString(),
      ageDays: freshness.ageDays,
      stale: freshness.stale,
    },
    notes: verification.notes,
  };
}
