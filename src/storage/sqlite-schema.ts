// The SQLite driver's table, pragmas and prepared statements.
import type Database from 'better-sqlite3';

// One row per revision, as kine keeps it: `id` is the revision of the write, the current value of a key is its
// newest row, a delete is a tombstone row (deleted = 1, value NULL: the last value is the row `prev_revision`
// points to). `meta` holds the compacted revision and, once compaction may have removed the newest row, the
// revision to continue from.
const schema = `
CREATE TABLE IF NOT EXISTS kv (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  value BLOB
);
CREATE INDEX IF NOT EXISTS kv_name_id ON kv (name, id);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

/** A row of `kv` as read by the driver. */
export interface Row {
  id: number;
  name: string;
  cr: number;
  deleted: number;
  value: Buffer | null;
}

/** A row of `kv` joined with the row it superseded (for watch events read from the table). */
export interface EventRow extends Row {
  pid: number | null;
  pcr: number | null;
  pvalue: Buffer | null;
}

// A key's newest row at or below a revision; the rows of a prefix range at a revision (newest per key, not
// deleted); the changes after a revision with the rows they replaced. `@hi` bounds the prefix range and is left
// out for the empty prefix, which has no upper bound.
const latest = `SELECT id, name, create_revision AS cr, deleted, value FROM kv WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1`;
const rangeWhere = (hi: boolean) => `
  k.name >= @lo ${hi ? 'AND k.name < @hi' : ''} AND k.id <= @rev AND k.deleted = 0
  AND NOT EXISTS (SELECT 1 FROM kv AS n WHERE n.name = k.name AND n.id > k.id AND n.id <= @rev)`;
const list = (hi: boolean) =>
  `SELECT k.id, k.name, k.create_revision AS cr, k.deleted, k.value FROM kv AS k WHERE ${rangeWhere(hi)} ORDER BY k.name LIMIT @limit`;
const count = (hi: boolean) => `SELECT COUNT(*) AS n FROM kv AS k WHERE ${rangeWhere(hi)}`;
const events = (hi: boolean) => `
  SELECT k.id, k.name, k.create_revision AS cr, k.deleted, k.value, p.id AS pid, p.create_revision AS pcr, p.value AS pvalue
  FROM kv AS k LEFT JOIN kv AS p ON k.prev_revision > 0 AND p.id = k.prev_revision
  WHERE k.id > @from AND k.name >= @lo ${hi ? 'AND k.name < @hi' : ''} ORDER BY k.id`;

/** Parameters of a prefix range at a revision (`hi` only in the bounded variants). */
export interface RangeParams {
  lo: string;
  hi?: string;
  rev: number;
  limit?: number;
}

/** The driver's prepared statements. */
export interface Statements {
  latest: Database.Statement<[string, number], Row>;
  insert: Database.Statement<[number, string, number, number, number, Uint8Array | null]>;
  list: Database.Statement<[RangeParams], Row>;
  listAll: Database.Statement<[RangeParams], Row>;
  count: Database.Statement<[RangeParams], { n: number }>;
  countAll: Database.Statement<[RangeParams], { n: number }>;
  events: Database.Statement<[{ from: number; lo: string; hi?: string }], EventRow>;
  eventsAll: Database.Statement<[{ from: number; lo: string }], EventRow>;
  /** Deletes the rows superseded by the rows in (old, rev]. */
  dropSuperseded: Database.Statement<[{ old: number; rev: number }]>;
  /** Deletes the tombstones in (old, rev]. */
  dropTombstones: Database.Statement<[{ old: number; rev: number }]>;
  getMeta: Database.Statement<[string], { value: number }>;
  setMeta: Database.Statement<[string, number]>;
  maxId: Database.Statement<[], { id: number | null }>;
}

/**
 * Sets the pragmas, creates the tables and prepares the statements. The exclusive locking mode makes the
 * process that opened the file its only user: a second opener fails with SQLITE_BUSY instead of writing
 * revisions this process does not know about.
 */
export function prepareDatabase(db: Database.Database): Statements {
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // Enough page cache for the name index of a large cluster, so that the lookup before each write stays in memory.
  db.pragma('cache_size = -32768');
  // Take the write lock now (and keep it, in exclusive mode) rather than at the first write.
  db.exec(`BEGIN EXCLUSIVE; ${schema} COMMIT;`);
  return {
    latest: db.prepare(latest),
    insert: db.prepare('INSERT INTO kv (id, name, create_revision, prev_revision, deleted, value) VALUES (?, ?, ?, ?, ?, ?)'),
    list: db.prepare(list(true)),
    listAll: db.prepare(list(false)),
    count: db.prepare(count(true)),
    countAll: db.prepare(count(false)),
    events: db.prepare(events(true)),
    eventsAll: db.prepare(events(false)),
    dropSuperseded: db.prepare('DELETE FROM kv WHERE id IN (SELECT prev_revision FROM kv WHERE id > @old AND id <= @rev AND prev_revision > 0)'),
    dropTombstones: db.prepare('DELETE FROM kv WHERE id > @old AND id <= @rev AND deleted = 1'),
    getMeta: db.prepare('SELECT value FROM meta WHERE name = ?'),
    setMeta: db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
    maxId: db.prepare('SELECT MAX(id) AS id FROM kv'),
  };
}
