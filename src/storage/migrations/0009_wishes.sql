-- Micro-wishes (微心愿): a resident's small wish (who, what, by when), the claim list, its
-- append-only events and photos. Like a case, a wish's state, claimer, fulfil time and minutes
-- are derived from its events (domain::wish::derive) and cached here for the lists and the
-- time bank; they are recomputed whenever its events change and never travel in bundles.
--
-- Numbered 0009: 0008 is the time bank (service hours). The runner applies the files in the
-- order `migrations.rs` lists them.
CREATE TABLE wishes (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  grid_id        TEXT NOT NULL REFERENCES grids (id),
  resident_id    TEXT REFERENCES residents (id),   -- the wisher, when a registered resident
  wisher_name    TEXT NOT NULL DEFAULT '',
  wisher_phone   TEXT NOT NULL DEFAULT '',
  title          TEXT NOT NULL,
  detail         TEXT NOT NULL DEFAULT '',
  due_date       TEXT NOT NULL,                     -- YYYY-MM-DD, wished by
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  base_at        INTEGER NOT NULL DEFAULT 0,
  revived        INTEGER NOT NULL DEFAULT 0,
  deleted        INTEGER NOT NULL DEFAULT 0,
  -- derived from the events:
  state          TEXT NOT NULL DEFAULT 'published',
  volunteer_id   TEXT REFERENCES volunteers (id),   -- the claimer
  fulfilled_at   INTEGER,                           -- wall clock, ms, of the fulfil event
  minutes        INTEGER NOT NULL DEFAULT 0,        -- credited to the claimer when fulfilled
  flagged        INTEGER NOT NULL DEFAULT 0
);
-- The claim list: open wishes of a community, the nearest due date first.
CREATE INDEX wishes_by_state ON wishes (community_code, state, due_date);
CREATE INDEX wishes_by_community ON wishes (community_code, deleted, due_date);
CREATE INDEX wishes_by_volunteer ON wishes (volunteer_id, state);
CREATE INDEX wishes_by_grid ON wishes (grid_id, due_date);
CREATE INDEX wishes_by_updated ON wishes (community_code, updated_at);

CREATE TABLE wish_events (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  wish_id        TEXT NOT NULL REFERENCES wishes (id),
  move           TEXT NOT NULL,
  actor          TEXT NOT NULL DEFAULT '',
  actor_role     TEXT NOT NULL DEFAULT '',
  volunteer_id   TEXT REFERENCES volunteers (id),   -- claim: who takes it
  note           TEXT NOT NULL DEFAULT '',
  minutes        INTEGER NOT NULL DEFAULT 0,        -- fulfil: time spent
  wall_at        INTEGER NOT NULL,                  -- wall clock, ms, for people; order is created_at
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  base_at        INTEGER NOT NULL DEFAULT 0,
  revived        INTEGER NOT NULL DEFAULT 0,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX wish_events_by_wish ON wish_events (wish_id, created_at);
CREATE INDEX wish_events_by_volunteer ON wish_events (volunteer_id);
CREATE INDEX wish_events_by_updated ON wish_events (community_code, updated_at);

CREATE TRIGGER wish_events_immutable BEFORE UPDATE ON wish_events
BEGIN SELECT RAISE(ABORT, 'wish events are immutable'); END;
CREATE TRIGGER wish_events_undeletable BEFORE DELETE ON wish_events
BEGIN SELECT RAISE(ABORT, 'wish events are immutable'); END;

-- Photos of a step (the fulfilment, mostly); immutable like case photos. Lists never read `data`.
CREATE TABLE wish_photos (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  wish_id        TEXT NOT NULL REFERENCES wishes (id),
  event_id       TEXT NOT NULL REFERENCES wish_events (id),
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
CREATE INDEX wish_photos_by_wish ON wish_photos (wish_id, created_at);
CREATE INDEX wish_photos_by_updated ON wish_photos (community_code, updated_at);

CREATE TRIGGER wish_photos_immutable BEFORE UPDATE ON wish_photos
BEGIN SELECT RAISE(ABORT, 'wish photos are immutable'); END;
CREATE TRIGGER wish_photos_undeletable BEFORE DELETE ON wish_photos
BEGIN SELECT RAISE(ABORT, 'wish photos are immutable'); END;
