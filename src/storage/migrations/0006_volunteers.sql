-- Volunteers (志愿者), their teams and team membership (a link record, like resident tags).
-- skills, availability and posts are comma-separated codes (domain::volunteer).
CREATE TABLE volunteers (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  resident_id    TEXT REFERENCES residents (id),
  grid_id        TEXT REFERENCES grids (id),
  name           TEXT NOT NULL,
  phone          TEXT NOT NULL DEFAULT '',
  skills         TEXT NOT NULL DEFAULT '',
  availability   TEXT NOT NULL DEFAULT '',
  party_member   INTEGER NOT NULL DEFAULT 0,
  in_service     INTEGER NOT NULL DEFAULT 0,
  work_unit      TEXT NOT NULL DEFAULT '',
  posts          TEXT NOT NULL DEFAULT '',
  note           TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  base_at        INTEGER NOT NULL DEFAULT 0,
  revived        INTEGER NOT NULL DEFAULT 0,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX volunteers_by_name ON volunteers (community_code, deleted, name);
CREATE INDEX volunteers_by_grid ON volunteers (grid_id);
CREATE INDEX volunteers_by_resident ON volunteers (resident_id);
CREATE INDEX volunteers_by_updated ON volunteers (community_code, updated_at);

CREATE TABLE volunteer_teams (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  name           TEXT NOT NULL,
  leader_id      TEXT REFERENCES volunteers (id),
  note           TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  base_at        INTEGER NOT NULL DEFAULT 0,
  revived        INTEGER NOT NULL DEFAULT 0,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX volunteer_teams_by_community ON volunteer_teams (community_code, deleted, name);
CREATE INDEX volunteer_teams_by_updated ON volunteer_teams (community_code, updated_at);

CREATE TABLE team_members (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  team_id        TEXT NOT NULL REFERENCES volunteer_teams (id),
  volunteer_id   TEXT NOT NULL REFERENCES volunteers (id),
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  base_at        INTEGER NOT NULL DEFAULT 0,
  revived        INTEGER NOT NULL DEFAULT 0,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX team_members_by_team ON team_members (team_id, deleted);
CREATE INDEX team_members_by_volunteer ON team_members (volunteer_id, deleted);
CREATE INDEX team_members_by_updated ON team_members (community_code, updated_at);
