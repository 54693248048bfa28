-- Schema version 1: office profile, communities, the grid tree, staff, households, residents
-- and tags. Every shared record has: a UUIDv7 id made on the device, community_code,
-- created_at / updated_at (hybrid logical clock values), updated_by (device id), and a
-- tombstone flag (rows are never physically deleted; bundles merge on these fields).

CREATE TABLE local (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE office (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  kind        TEXT NOT NULL CHECK (kind IN ('community', 'street')),
  name        TEXT NOT NULL,
  code        TEXT NOT NULL,
  street_name TEXT NOT NULL DEFAULT '',
  street_code TEXT NOT NULL DEFAULT ''
);

CREATE TABLE communities (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  street_name    TEXT NOT NULL,
  street_code    TEXT NOT NULL,
  level_names    TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  deleted        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE grids (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  parent_id      TEXT REFERENCES grids (id),
  level          INTEGER NOT NULL,
  name           TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX grids_by_community ON grids (community_code, deleted, parent_id);
CREATE INDEX grids_by_parent ON grids (parent_id);

CREATE TABLE staff (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  name           TEXT NOT NULL,
  role           TEXT NOT NULL,
  phone          TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX staff_by_community ON staff (community_code, deleted, name);

CREATE TABLE grid_staff (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  grid_id        TEXT NOT NULL REFERENCES grids (id),
  staff_id       TEXT NOT NULL REFERENCES staff (id),
  duty           TEXT NOT NULL CHECK (duty IN ('leader', 'worker')),
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX grid_staff_by_grid ON grid_staff (grid_id, deleted);
CREATE INDEX grid_staff_by_staff ON grid_staff (staff_id, deleted);

CREATE TABLE households (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  grid_id        TEXT NOT NULL REFERENCES grids (id),
  building       TEXT NOT NULL,
  unit           TEXT NOT NULL DEFAULT '',
  room           TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX households_by_grid ON households (grid_id, deleted, building, unit, room);

CREATE TABLE residents (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  grid_id        TEXT NOT NULL REFERENCES grids (id),
  household_id   TEXT REFERENCES households (id),
  name           TEXT NOT NULL,
  gender         TEXT NOT NULL CHECK (gender IN ('M', 'F')),
  birth_date     TEXT NOT NULL,
  id_number      TEXT,
  -- Reversed ID number and phone, so "last digits" searches use an index (GLOB 'prefix*').
  id_rev         TEXT,
  phone          TEXT,
  phone_rev      TEXT,
  relation       TEXT NOT NULL DEFAULT '',
  note           TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX residents_by_name ON residents (community_code, deleted, name);
CREATE INDEX residents_by_grid ON residents (grid_id, deleted);
CREATE INDEX residents_by_household ON residents (household_id, deleted);
CREATE INDEX residents_by_id_number ON residents (community_code, id_number);
CREATE INDEX residents_by_id_rev ON residents (id_rev);
CREATE INDEX residents_by_phone ON residents (phone);
CREATE INDEX residents_by_phone_rev ON residents (phone_rev);

CREATE TABLE tags (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  name           TEXT NOT NULL,
  builtin        INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tags_by_community ON tags (community_code, deleted, name);

CREATE TABLE resident_tags (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  resident_id    TEXT NOT NULL REFERENCES residents (id),
  tag_id         TEXT NOT NULL REFERENCES tags (id),
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX resident_tags_by_resident ON resident_tags (resident_id, deleted);
CREATE INDEX resident_tags_by_tag ON resident_tags (tag_id, deleted, resident_id);
