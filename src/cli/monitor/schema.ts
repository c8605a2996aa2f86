/** The monitor database's tables (SQLite), made when missing (`PRAGMA user_version`: SCHEMA_VERSION), and rows. */

export const SCHEMA_VERSION = 1;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS alerts (
  id INTEGER PRIMARY KEY,
  log_id TEXT NOT NULL,
  log TEXT NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL,
  evidence TEXT NOT NULL,
  at INTEGER NOT NULL,
  reported INTEGER NOT NULL DEFAULT 0
);
-- Per log: entries read (size) and the compact range over them, the entries proven against a
-- signed root (verified_size), the kept tree head, and the alert that stopped it.
CREATE TABLE IF NOT EXISTS logs (
  log_id TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  size INTEGER NOT NULL,
  range BLOB NOT NULL,
  verified_size INTEGER NOT NULL,
  head_size INTEGER,
  head_timestamp INTEGER,
  head_root BLOB,
  head_signature BLOB,
  halted_by INTEGER REFERENCES alerts (id)
);
-- One finding per TBS key: a precertificate and its certificate share one.
CREATE TABLE IF NOT EXISTS findings (
  key TEXT PRIMARY KEY,
  watched TEXT NOT NULL,
  names TEXT NOT NULL,
  certificate TEXT NOT NULL,
  precertificate INTEGER NOT NULL,
  first_seen INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (
  log_id TEXT NOT NULL,
  idx INTEGER NOT NULL,
  key TEXT NOT NULL REFERENCES findings (key),
  timestamp INTEGER NOT NULL,
  entry_type TEXT NOT NULL,
  reported INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (log_id, idx)
);
CREATE INDEX IF NOT EXISTS entries_by_key ON entries (key);
CREATE INDEX IF NOT EXISTS entries_unreported ON entries (reported) WHERE reported = 0;
`;

/** Rows as better-sqlite3 reads them. */
export interface LogRow {
  size: number;
  range: Buffer;
  verified_size: number;
  head_size: number | null;
  head_timestamp: number | null;
  head_root: Buffer | null;
  head_signature: Buffer | null;
  halted_by: number | null;
}

export interface FindingRow {
  key: string;
  watched: string;
  names: string;
  certificate: string;
  precertificate: number;
  first_seen: number;
}

export interface EntryRow {
  log_id: string;
  idx: number;
  key: string;
  timestamp: number;
  entry_type: string;
  reported: number;
}

export interface AlertRow {
  id: number;
  log_id: string;
  log: string;
  kind: string;
  detail: string;
  evidence: string;
  at: number;
}
