-- Duty rosters (排班): shifts and who is on them. A weekly repeat makes one shift per week
-- sharing a series id. A person on a shift is a volunteer or a staff member; the status is
-- planned, done or no_show (marked by the team leader afterwards).
CREATE TABLE shifts (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  series_id      TEXT NOT NULL,
  title          TEXT NOT NULL,
  grid_id        TEXT REFERENCES grids (id),
  place          TEXT NOT NULL DEFAULT '',
  role           TEXT NOT NULL DEFAULT '',
  start_at       INTEGER NOT NULL,            -- UTC ms
  end_at         INTEGER NOT NULL,
  needed         INTEGER NOT NULL DEFAULT 1,
  note           TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  base_at        INTEGER NOT NULL DEFAULT 0,
  revived        INTEGER NOT NULL DEFAULT 0,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX shifts_by_time ON shifts (community_code, deleted, start_at);
CREATE INDEX shifts_by_updated ON shifts (community_code, updated_at);

CREATE TABLE shift_people (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  shift_id       TEXT NOT NULL REFERENCES shifts (id),
  volunteer_id   TEXT REFERENCES volunteers (id),
  staff_id       TEXT REFERENCES staff (id),
  status         TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'done', 'no_show')),
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  base_at        INTEGER NOT NULL DEFAULT 0,
  revived        INTEGER NOT NULL DEFAULT 0,
  deleted        INTEGER NOT NULL DEFAULT 0,
  CHECK ((volunteer_id IS NULL) != (staff_id IS NULL))
);
CREATE INDEX shift_people_by_shift ON shift_people (shift_id, deleted);
CREATE INDEX shift_people_by_volunteer ON shift_people (volunteer_id, deleted);
CREATE INDEX shift_people_by_staff ON shift_people (staff_id, deleted);
CREATE INDEX shift_people_by_updated ON shift_people (community_code, updated_at);
