-- Attendance and the time bank (时间银行).
--
-- A person on a shift can check in and out (local phone or office PC); the times are kept
-- beside the status the team leader may set afterwards (done / no-show). Hours credited for a
-- shift come from domain::roster::credited_minutes.
ALTER TABLE shift_people ADD COLUMN check_in INTEGER;   -- UTC ms, NULL until checked in
ALTER TABLE shift_people ADD COLUMN check_out INTEGER;  -- UTC ms, NULL until checked out

-- Hours logged for a task that is not a shift (a case handled, a neighbour helped, ...).
CREATE TABLE service_hours (
  id             TEXT PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES communities (community_code),
  volunteer_id   TEXT NOT NULL REFERENCES volunteers (id),
  day            TEXT NOT NULL,            -- YYYY-MM-DD, the office's local date
  minutes        INTEGER NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
  task           TEXT NOT NULL,
  case_id        TEXT REFERENCES cases (id),
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL,
  base_at        INTEGER NOT NULL DEFAULT 0,
  revived        INTEGER NOT NULL DEFAULT 0,
  deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX service_hours_by_volunteer ON service_hours (volunteer_id, deleted, day);
CREATE INDEX service_hours_by_day ON service_hours (community_code, deleted, day);
CREATE INDEX service_hours_by_updated ON service_hours (community_code, updated_at);
CREATE INDEX shift_people_by_status ON shift_people (community_code, status, deleted);
