-- Pinyin initials of residents' names (张三 → "zs"), for search. SQLite cannot compute them:
-- the store fills the column (domain::pinyin) wherever it is NULL — at open, after every write
-- and inside every import — and a changed name empties it again.
ALTER TABLE residents ADD COLUMN name_initials TEXT;
CREATE INDEX residents_by_initials ON residents (community_code, deleted, name_initials);
CREATE INDEX residents_initials_pending ON residents (id) WHERE name_initials IS NULL;
-- The street office searches and lists every community: without the community first.
CREATE INDEX residents_initials_street ON residents (deleted, name_initials);
-- Lists are ordered by name, then id: with the id in the index no page needs a sort.
CREATE INDEX residents_by_name_street ON residents (deleted, name, id);
DROP INDEX residents_by_name;
CREATE INDEX residents_by_name ON residents (community_code, deleted, name, id);
CREATE TRIGGER residents_name_changed AFTER UPDATE OF name ON residents
  WHEN NEW.name IS NOT OLD.name
BEGIN
  UPDATE residents SET name_initials = NULL WHERE id = NEW.id;
END;
