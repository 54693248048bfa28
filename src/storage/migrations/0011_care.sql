-- Key-group care (重点人群关爱): visit cadence per tag, care plans ("1+1": a grid worker and a
-- party member per key person, with a cadence of their own), home visits (走访); residents'
-- status with its history (迁入/迁出/死亡/出生); the party organisation on the grids (网格党支部,
-- 楼栋党小组, 党员, 党员中心户). All are shared records and travel in bundles (format 4).

-- Days between visits for people with this tag (0: no visit plan).
ALTER TABLE tags ADD COLUMN visit_days INTEGER NOT NULL DEFAULT 0;
UPDATE tags SET visit_days = CASE name
  WHEN '独居老人' THEN 7 WHEN '孤寡老人' THEN 7 WHEN '危重症病人' THEN 7
  WHEN '空巢老人' THEN 14 WHEN '留守儿童' THEN 14
  WHEN '残疾人' THEN 30 WHEN '低保户' THEN 30 WHEN '贫困户' THEN 30 WHEN '孕妇' THEN 30
  ELSE 0 END
WHERE builtin = 1;

-- 'active' (在册), 'moved_out' (迁出), 'deceased' (已故). Never deleted for leaving: moved-out
-- residents stay findable.
ALTER TABLE residents ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
-- The lists show residents here now: pages picked on these alone (a community; the street).
CREATE INDEX residents_by_status ON residents (community_code, status, deleted, name, id);
CREATE INDEX residents_by_status_street ON residents (status, deleted, name, id);

CREATE TABLE resident_events (
  id                TEXT PRIMARY KEY,
  community_code    TEXT NOT NULL REFERENCES communities (community_code),
  resident_id       TEXT NOT NULL REFERENCES residents (id),
  kind              TEXT NOT NULL,   -- born, moved_in, moved, moved_out, died, returned
  event_date        TEXT NOT NULL,   -- YYYY-MM-DD
  from_household_id TEXT REFERENCES households (id),
  to_household_id   TEXT REFERENCES households (id),
  note              TEXT NOT NULL DEFAULT '',
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  updated_by        TEXT NOT NULL,
  base_at           INTEGER NOT NULL DEFAULT 0,
  revived           INTEGER NOT NULL DEFAULT 0,
  deleted           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX resident_events_by_resident ON resident_events (resident_id, event_date);
CREATE INDEX resident_events_by_updated ON resident_events (community_code, updated_at);

CREATE TABLE party_orgs (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  grid_id        TEXT NOT NULL REFERENCES grids (id),
  parent_id      TEXT REFERENCES party_orgs (id),   -- a group's branch
  kind           TEXT NOT NULL,                     -- branch (网格党支部), group (楼栋党小组)
  name           TEXT NOT NULL,
  note           TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  base_at        INTEGER NOT NULL DEFAULT 0,
  revived        INTEGER NOT NULL DEFAULT 0,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX party_orgs_by_community ON party_orgs (community_code, deleted, name);
CREATE INDEX party_orgs_by_grid ON party_orgs (grid_id);
CREATE INDEX party_orgs_by_updated ON party_orgs (community_code, updated_at);

CREATE TABLE party_members (
  id                  TEXT PRIMARY KEY,
  community_code      TEXT NOT NULL REFERENCES communities (community_code),
  org_id              TEXT NOT NULL REFERENCES party_orgs (id),
  resident_id         TEXT REFERENCES residents (id),   -- when the member lives here
  name                TEXT NOT NULL,
  phone               TEXT NOT NULL DEFAULT '',
  role                TEXT NOT NULL DEFAULT 'member',   -- secretary, member
  joined_on           TEXT NOT NULL DEFAULT '',         -- YYYY-MM-DD or ''
  center_household_id TEXT REFERENCES households (id),  -- 党员中心户: the member's household
  note                TEXT NOT NULL DEFAULT '',
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  updated_by          TEXT NOT NULL,
  base_at             INTEGER NOT NULL DEFAULT 0,
  revived             INTEGER NOT NULL DEFAULT 0,
  deleted             INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX party_members_by_org ON party_members (org_id, deleted, name);
CREATE INDEX party_members_by_community ON party_members (community_code, deleted, name);
CREATE INDEX party_members_by_resident ON party_members (resident_id);
CREATE INDEX party_members_by_updated ON party_members (community_code, updated_at);

-- A key person's care: who looks after them and how often they are visited (0: from tags).
-- The newest plan of a resident is the one in force.
CREATE TABLE care_plans (
  id              TEXT PRIMARY KEY,
  community_code  TEXT NOT NULL REFERENCES communities (community_code),
  resident_id     TEXT NOT NULL REFERENCES residents (id),
  worker_id       TEXT REFERENCES staff (id),
  party_member_id TEXT REFERENCES party_members (id),
  visit_days      INTEGER NOT NULL DEFAULT 0,
  start_date      TEXT NOT NULL,                      -- YYYY-MM-DD: due from then if never visited
  note            TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  updated_by      TEXT NOT NULL,
  base_at         INTEGER NOT NULL DEFAULT 0,
  revived         INTEGER NOT NULL DEFAULT 0,
  deleted         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX care_plans_by_resident ON care_plans (resident_id, deleted, updated_at);
CREATE INDEX care_plans_by_worker ON care_plans (worker_id, deleted);
CREATE INDEX care_plans_by_member ON care_plans (party_member_id);
CREATE INDEX care_plans_by_updated ON care_plans (community_code, updated_at);

CREATE TABLE visits (
  id              TEXT PRIMARY KEY,
  community_code  TEXT NOT NULL REFERENCES communities (community_code),
  resident_id     TEXT NOT NULL REFERENCES residents (id),
  visit_date      TEXT NOT NULL,                      -- YYYY-MM-DD
  visitor_id      TEXT REFERENCES staff (id),
  party_member_id TEXT REFERENCES party_members (id),
  visitor_name    TEXT NOT NULL DEFAULT '',           -- as recorded (who went)
  condition       TEXT NOT NULL,                      -- good, fair, poor, hospital, away
  needs           TEXT NOT NULL DEFAULT '',
  note            TEXT NOT NULL DEFAULT '',
  case_id         TEXT REFERENCES cases (id),         -- a need turned into a case
  wish_id         TEXT REFERENCES wishes (id),        -- or a micro-wish
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  updated_by      TEXT NOT NULL,
  base_at         INTEGER NOT NULL DEFAULT 0,
  revived         INTEGER NOT NULL DEFAULT 0,
  deleted         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX visits_by_resident ON visits (resident_id, deleted, visit_date);
CREATE INDEX visits_by_date ON visits (community_code, deleted, visit_date);
CREATE INDEX visits_by_visitor ON visits (visitor_id, visit_date);
CREATE INDEX visits_by_updated ON visits (community_code, updated_at);
