-- The care list's due computation, kept between starts of the worker (local to this device,
-- never in a bundle): a street's first dashboard or care list after a start otherwise
-- recomputes who is due for 34,000 key persons. `version` names what it was computed from
-- (the care data's version, the imports, the code's own version, and the day only when a due
-- date depended on it); any other version is ignored and replaced.
CREATE TABLE care_due_snapshot (
  community_code TEXT PRIMARY KEY,
  version        TEXT NOT NULL,
  data           BLOB NOT NULL
);

-- What of residents the due lists read (who is active, where): a counter moved only when one of
-- those columns changes, so an edited phone number or name leaves the lists (and the snapshot)
-- valid, where the residents' newest `updated_at` moved on every edit. Inserts need no count:
-- a new resident is nobody's key person until a tag or a care plan (counted on their own) says
-- so. Local to this device, like `local` itself; an import also counts as a change (import_log).
INSERT OR IGNORE INTO local (key, value) VALUES ('care_epoch', '0');
CREATE TRIGGER residents_care_epoch
AFTER UPDATE OF status, deleted, grid_id, community_code ON residents
WHEN OLD.status IS NOT NEW.status OR OLD.deleted IS NOT NEW.deleted
  OR OLD.grid_id IS NOT NEW.grid_id OR OLD.community_code IS NOT NEW.community_code
BEGIN
  UPDATE local SET value = CAST(value AS INTEGER) + 1 WHERE key = 'care_epoch';
END;
