-- Bundles. Every shared record gains:
--   base_at: the updated_at of the last version of it that had left or reached this device
--            when it was edited here (0: none); the merge tells a fast-forward from a conflict
--            by it (domain::bundle::merge).
--   revived: 1 when the winning version is a tombstone but live records still point at the
--            record, so it is kept (deleted = 0); bundles carry it as deleted.
ALTER TABLE communities ADD COLUMN base_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE communities ADD COLUMN revived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE grids ADD COLUMN base_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE grids ADD COLUMN revived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN base_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN revived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE grid_staff ADD COLUMN base_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE grid_staff ADD COLUMN revived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE households ADD COLUMN base_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE households ADD COLUMN revived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE residents ADD COLUMN base_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE residents ADD COLUMN revived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tags ADD COLUMN base_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tags ADD COLUMN revived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE resident_tags ADD COLUMN base_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE resident_tags ADD COLUMN revived INTEGER NOT NULL DEFAULT 0;

-- Incremental export ("changed since the last export") and merges read records by time.
CREATE INDEX grids_by_updated ON grids (community_code, updated_at);
CREATE INDEX staff_by_updated ON staff (community_code, updated_at);
CREATE INDEX grid_staff_by_updated ON grid_staff (community_code, updated_at);
CREATE INDEX households_by_updated ON households (community_code, updated_at);
CREATE INDEX residents_by_updated ON residents (community_code, updated_at);
CREATE INDEX tags_by_updated ON tags (community_code, updated_at);
CREATE INDEX resident_tags_by_updated ON resident_tags (community_code, updated_at);

-- Every export: personal data leaving the office must be traceable. Local to this device.
CREATE TABLE export_log (
  id          TEXT PRIMARY KEY,
  at          INTEGER NOT NULL,       -- clock time of the export
  wall_millis INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  device      TEXT NOT NULL,
  sequence    INTEGER NOT NULL,
  destination TEXT NOT NULL,          -- 'street' | 'community' | 'other'
  scope       TEXT NOT NULL,          -- JSON: communities, grid, since
  masked      TEXT NOT NULL,          -- JSON: table -> columns
  encrypted   INTEGER NOT NULL,
  file_name   TEXT NOT NULL,
  records     INTEGER NOT NULL
);

-- Every import, with its merge report. Local to this device.
CREATE TABLE import_log (
  id            TEXT PRIMARY KEY,
  at            INTEGER NOT NULL,
  wall_millis   INTEGER NOT NULL,
  actor         TEXT NOT NULL,
  file_name     TEXT NOT NULL,
  source_kind   TEXT NOT NULL,
  source_code   TEXT NOT NULL,
  source_name   TEXT NOT NULL,
  source_device TEXT NOT NULL,
  sequence      INTEGER NOT NULL,
  after_sequence INTEGER,
  exported_at   INTEGER NOT NULL,
  report        TEXT NOT NULL         -- JSON: counts per community and table, conflicts, warnings
);
CREATE INDEX import_log_by_source ON import_log (source_device, sequence);
