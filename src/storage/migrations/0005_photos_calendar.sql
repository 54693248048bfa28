-- Case photos and the office's working calendar.
--
-- A photo belongs to a case and to the step (event) it was attached to. The bytes are a JPEG
-- (or PNG) already downscaled in the browser (domain::photo); lists never read `data`. Like
-- events, photos are history: never changed, never removed.
CREATE TABLE case_photos (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  case_id        TEXT NOT NULL REFERENCES cases (id),
  event_id       TEXT NOT NULL REFERENCES case_events (id),
  mime           TEXT NOT NULL,
  width          INTEGER NOT NULL,
  height         INTEGER NOT NULL,
  size           INTEGER NOT NULL,
  data           BLOB NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  base_at        INTEGER NOT NULL DEFAULT 0,
  revived        INTEGER NOT NULL DEFAULT 0,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX case_photos_by_case ON case_photos (case_id, created_at);
CREATE INDEX case_photos_by_updated ON case_photos (community_code, updated_at);

CREATE TRIGGER case_photos_immutable BEFORE UPDATE ON case_photos
BEGIN SELECT RAISE(ABORT, 'case photos are immutable'); END;
CREATE TRIGGER case_photos_undeletable BEFORE DELETE ON case_photos
BEGIN SELECT RAISE(ABORT, 'case photos are immutable'); END;

-- The office's changes to the shipped working calendar (assets/calendar): a date made a
-- holiday (休) or a working day (班, 调休), with its name. Local to this device's database:
-- deadlines are computed when a case is reported and travel with the case.
CREATE TABLE calendar_days (
  day     TEXT PRIMARY KEY,             -- YYYY-MM-DD
  kind    TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name    TEXT NOT NULL DEFAULT ''
);

-- Filters of the case list.
CREATE INDEX cases_by_deadline ON cases (community_code, deleted, deadline);
CREATE INDEX cases_by_assignee ON cases (assignee, reported_at);
