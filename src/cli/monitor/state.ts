/**
 * `ctlens monitor`'s state: one SQLite database (better-sqlite3) in the state directory, in WAL
 * mode, held by one process at a time (locking_mode EXCLUSIVE: the lock dies with the process,
 * even after kill -9). Per log its cursor (position, compact range, verified size, kept head) and
 * whether an alert stopped it; the findings and their entries; the alerts. A window's entries and
 * the cursor that follows them commit in one transaction (commit), so a run killed at any moment
 * resumes where the last transaction left it, neither skipping nor re-reading an entry. What was
 * reported is marked in the transaction its writing ends (reportAtomically): see report.ts.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CompactRange } from '../../merkle/compact-range.js';
import type { Alert, FollowStore, LogCursor, Match } from '../../monitor/follow-log.js';
import type { FindingCertificate } from '../../monitor/finding.js';
import { InputError } from '../errors.js';
import { SCHEMA, SCHEMA_VERSION, type AlertRow, type EntryRow, type FindingRow, type LogRow } from './schema.js';

type Db = Database.Database;

export interface ReportedEntry {
  readonly logId: string;
  readonly log: string;
  readonly index: number;
  readonly timestamp: number;
  readonly entryType: string;
}

/** A finding with entries not yet reported. */
export interface PendingFinding {
  readonly key: string;
  readonly watched: string[];
  readonly names: string[];
  readonly certificate: FindingCertificate;
  readonly precertificate: boolean;
  /** Every entry of the finding so far, reported before or not. */
  readonly entries: ReportedEntry[];
  /** The entries this report is for (verified, not yet reported). */
  readonly fresh: ReportedEntry[];
}

export interface StoredAlert extends Alert {
  readonly id: number;
  readonly logId: string;
  readonly log: string;
  readonly at: number;
}

export class MonitorState {
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(private readonly db: Db) {}

  /** `sql` prepared once (a window's commit runs the same few statements each time). */
  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  /** Opens (creating) `dir`/monitor.sqlite. Throws InputError when it cannot, or another monitor holds it. */
  static open(dir: string): MonitorState {
    let db: Db;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, 'monitor.sqlite');
      db = new Database(path, { timeout: 200 });
      chmodSync(path, 0o600);
    } catch (e) {
      throw new InputError(`${dir}: cannot open the monitor state: ${(e as Error).message}`);
    }
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      // Take the lock now: a second monitor on this directory fails here, not halfway.
      db.exec('BEGIN EXCLUSIVE; COMMIT;');
    } catch (e) {
      db.close();
      const busy = (e as { code?: string }).code === 'SQLITE_BUSY';
      const why = busy ? 'another ctlens monitor is using it' : (e as Error).message;
      throw new InputError(`${dir}: cannot use the monitor state: ${why}`);
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new InputError(`${dir}: the monitor state is from a newer ctlens (schema ${version})`);
    }
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    return new MonitorState(db);
  }

  close(): void {
    this.db.close();
  }

  /** The log's cursor, or undefined for a log never read. */
  cursor(logId: string): LogCursor | undefined {
    const row = this.prepare('SELECT * FROM logs WHERE log_id = ?').get(logId) as LogRow | undefined;
    if (!row || (row.head_size === null && row.size === 0 && row.halted_by !== null)) return undefined;
    const head =
      row.head_size === null
        ? undefined
        : {
            logId,
            treeSize: row.head_size,
            timestamp: row.head_timestamp!,
            rootHash: new Uint8Array(row.head_root!),
            signature: new Uint8Array(row.head_signature!),
          };
    const range = CompactRange.fromBytes(row.size, new Uint8Array(row.range));
    return { size: row.size, range, verifiedSize: row.verified_size, head };
  }

  /** The alert that stopped the log, if one did. */
  haltedBy(logId: string): StoredAlert | undefined {
    const row = this.prepare('SELECT halted_by FROM logs WHERE log_id = ?').get(logId) as
      | { halted_by: number | null }
      | undefined;
    return row?.halted_by == null ? undefined : this.alerts(`id = ${Number(row.halted_by)}`)[0];
  }

  /** Forgets a log's cursor (and so its stop): the next run starts on it afresh. Findings and alerts stay. */
  resetLog(logId: string): boolean {
    return this.prepare('DELETE FROM logs WHERE log_id = ?').run(logId).changes > 0;
  }

  /** The FollowStore of one log. */
  store(logId: string, description: string): FollowStore {
    return {
      commit: (cursor, matches) => this.commit(logId, description, cursor, matches),
      alert: (alert) => this.alert(logId, description, alert),
    };
  }

  private commit(logId: string, description: string, cursor: LogCursor, matches: readonly Match[]): void {
    const now = Date.now();
    this.db.transaction(() => {
      this.upsertLog(logId, description, cursor);
      for (const m of matches) {
        this.upsertFinding(m, now);
        this.prepare(
          'INSERT OR IGNORE INTO entries (log_id, idx, key, timestamp, entry_type) VALUES (?, ?, ?, ?, ?)',
        ).run(logId, m.entry.index, m.described.key, m.entry.timestamp, m.entry.type);
      }
    })();
  }

  private upsertLog(logId: string, description: string, c: LogCursor): void {
    this.prepare(
      `INSERT INTO logs (log_id, description, size, range, verified_size,
           head_size, head_timestamp, head_root, head_signature)
         VALUES (@logId, @description, @size, @range, @verified, @headSize, @headTimestamp, @headRoot, @headSignature)
         ON CONFLICT (log_id) DO UPDATE SET description = @description, size = @size, range = @range,
           verified_size = @verified, head_size = @headSize, head_timestamp = @headTimestamp, head_root = @headRoot,
           head_signature = @headSignature`,
    ).run({
      logId,
      description,
      size: c.size,
      range: Buffer.from(c.range.bytes()),
      verified: c.verifiedSize,
      headSize: c.head?.treeSize ?? null,
      headTimestamp: c.head?.timestamp ?? null,
      headRoot: c.head ? Buffer.from(c.head.rootHash) : null,
      headSignature: c.head ? Buffer.from(c.head.signature) : null,
    });
  }

  /** One finding per key: names and patterns merged; a final certificate's description wins over a precertificate's. */
  private upsertFinding(m: Match, now: number): void {
    const { key, certificate, precertificate } = m.described;
    const old = this.prepare('SELECT * FROM findings WHERE key = ?').get(key) as FindingRow | undefined;
    const merge = (a: string | undefined, b: readonly string[]) =>
      JSON.stringify([...new Set([...((a ? JSON.parse(a) : []) as string[]), ...b])]);
    const keepOld = old !== undefined && (old.precertificate === 0 || precertificate);
    this.db
      .prepare(
        `INSERT INTO findings (key, watched, names, certificate, precertificate, first_seen) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET watched = excluded.watched, names = excluded.names,
           certificate = excluded.certificate, precertificate = excluded.precertificate`,
      )
      .run(
        key,
        merge(old?.watched, m.hit.watched),
        merge(old?.names, m.hit.names),
        keepOld ? old.certificate : JSON.stringify(certificate),
        keepOld ? old.precertificate : precertificate ? 1 : 0,
        old?.first_seen ?? now,
      );
  }

  private alert(logId: string, description: string, alert: Alert): void {
    this.db.transaction(() => {
      const { lastInsertRowid } = this.prepare(
        'INSERT INTO alerts (log_id, log, kind, detail, evidence, at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(logId, description, alert.kind, alert.detail, JSON.stringify(alert.evidence), Date.now());
      this.prepare(
        `INSERT INTO logs (log_id, description, size, range, verified_size, halted_by) VALUES (?, ?, 0, x'', 0, ?)
           ON CONFLICT (log_id) DO UPDATE SET halted_by = excluded.halted_by`,
      ).run(logId, description, lastInsertRowid);
    })();
  }

  /** Alerts not yet reported, oldest first. */
  pendingAlerts(): StoredAlert[] {
    return this.alerts('reported = 0');
  }

  private alerts(where: string): StoredAlert[] {
    const rows = this.prepare(`SELECT * FROM alerts WHERE ${where} ORDER BY id`).all() as AlertRow[];
    return rows.map((r) => ({
      id: r.id,
      logId: r.log_id,
      log: r.log,
      kind: r.kind as Alert['kind'],
      detail: r.detail,
      evidence: JSON.parse(r.evidence) as Record<string, unknown>,
      at: r.at,
    }));
  }

  /** Findings with verified entries not yet reported, in the order they were first seen. */
  pendingFindings(): PendingFinding[] {
    const keys = this.db
      .prepare(
        `SELECT DISTINCT e.key FROM entries e JOIN logs l ON l.log_id = e.log_id JOIN findings f ON f.key = e.key
         WHERE e.reported = 0 AND e.idx < l.verified_size ORDER BY f.first_seen, e.key`,
      )
      .pluck()
      .all() as string[];
    return keys.map((key) => {
      const f = this.prepare('SELECT * FROM findings WHERE key = ?').get(key) as FindingRow;
      const rows = this.prepare(
        `SELECT e.*, l.description, l.verified_size FROM entries e LEFT JOIN logs l ON l.log_id = e.log_id
           WHERE e.key = ? ORDER BY e.timestamp, e.log_id, e.idx`,
      ).all(key) as (EntryRow & { description: string | null; verified_size: number | null })[];
      const entry = (r: EntryRow & { description: string | null }): ReportedEntry => ({
        logId: r.log_id,
        log: r.description ?? r.log_id,
        index: r.idx,
        timestamp: r.timestamp,
        entryType: r.entry_type,
      });
      const fresh = rows.filter((r) => r.reported === 0 && r.verified_size !== null && r.idx < r.verified_size);
      return {
        key,
        watched: JSON.parse(f.watched) as string[],
        names: JSON.parse(f.names) as string[],
        certificate: JSON.parse(f.certificate) as FindingCertificate,
        precertificate: f.precertificate === 1,
        entries: rows.map(entry),
        fresh: fresh.map(entry),
      };
    });
  }

  /**
   * Marks the alerts and entries reported and calls `write` inside that transaction, after the
   * updates and just before the commit; a `write` that throws rolls the marks back.
   */
  reportAtomically(alertIds: readonly number[], entries: readonly ReportedEntry[], write: () => void): void {
    const alert = this.prepare('UPDATE alerts SET reported = 1 WHERE id = ?');
    const entry = this.prepare('UPDATE entries SET reported = 1 WHERE log_id = ? AND idx = ?');
    this.db.transaction(() => {
      for (const id of alertIds) alert.run(id);
      for (const e of entries) entry.run(e.logId, e.index);
      write();
    })();
  }
}
