-- Cases (事件): categories (per community, editable; seeded from the shipped table), cases and
-- their append-only events. A case's state, assignee, rating, urge count, close time and
-- "needs a look" flag are derived from its events (domain::case::derive) and cached here for
-- lists; they are recomputed whenever its events change and never travel in bundles.

CREATE TABLE case_categories (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  code           TEXT NOT NULL,
  parent_code    TEXT,
  name           TEXT NOT NULL,
  filing         TEXT NOT NULL DEFAULT '',
  limit_unit     TEXT NOT NULL DEFAULT 'working_days' CHECK (limit_unit IN ('working_hours', 'working_days')),
  limit_n        INTEGER NOT NULL DEFAULT 0,
  closing        TEXT NOT NULL DEFAULT '',
  unit           TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  base_at        INTEGER NOT NULL DEFAULT 0,
  revived        INTEGER NOT NULL DEFAULT 0,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX case_categories_by_community ON case_categories (community_code, deleted, code);
CREATE INDEX case_categories_by_updated ON case_categories (community_code, updated_at);

CREATE TABLE cases (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  grid_id        TEXT NOT NULL REFERENCES grids (id),
  household_id   TEXT REFERENCES households (id),
  category_code  TEXT NOT NULL,
  title          TEXT NOT NULL,
  description    TEXT NOT NULL DEFAULT '',
  address        TEXT NOT NULL DEFAULT '',
  channel        TEXT NOT NULL,
  priority       TEXT NOT NULL DEFAULT 'normal',
  reporter_id    TEXT REFERENCES residents (id),
  reporter_name  TEXT NOT NULL DEFAULT '',
  reporter_phone TEXT NOT NULL DEFAULT '',
  reported_at    INTEGER NOT NULL,            -- wall clock, ms
  deadline       INTEGER,                     -- wall clock, ms, from the category and calendar
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  base_at        INTEGER NOT NULL DEFAULT 0,
  revived        INTEGER NOT NULL DEFAULT 0,
  deleted        INTEGER NOT NULL DEFAULT 0,
  -- derived from the events:
  state          TEXT NOT NULL DEFAULT 'reported',
  assignee       TEXT NOT NULL DEFAULT '',
  rating         TEXT NOT NULL DEFAULT '',
  urged          INTEGER NOT NULL DEFAULT 0,
  closed_at      INTEGER,
  flagged        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cases_by_community ON cases (community_code, deleted, reported_at);
CREATE INDEX cases_by_state ON cases (community_code, state, deadline);
CREATE INDEX cases_by_grid ON cases (grid_id, reported_at);
CREATE INDEX cases_by_updated ON cases (community_code, updated_at);

CREATE TABLE case_events (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  case_id        TEXT NOT NULL REFERENCES cases (id),
  move           TEXT NOT NULL,
  actor          TEXT NOT NULL DEFAULT '',
  actor_role     TEXT NOT NULL DEFAULT '',
  remark         TEXT NOT NULL DEFAULT '',
  assignee       TEXT NOT NULL DEFAULT '',
  rating         TEXT NOT NULL DEFAULT '',
  wall_at        INTEGER NOT NULL,            -- wall clock, ms, for people; order is created_at
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  base_at        INTEGER NOT NULL DEFAULT 0,
  revived        INTEGER NOT NULL DEFAULT 0,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX case_events_by_case ON case_events (case_id, created_at);
CREATE INDEX case_events_by_updated ON case_events (community_code, updated_at);

-- Events are history: never changed, never removed.
CREATE TRIGGER case_events_immutable BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are immutable'); END;
CREATE TRIGGER case_events_undeletable BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are immutable'); END;
