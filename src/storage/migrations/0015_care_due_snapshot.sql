-- The care list's due computation, kept between starts of the worker (local to this device,
-- never in a bundle): a street's first dashboard or care list after a start otherwise
-- recomputes who is due for 34,000 key persons. `version` names what it was computed from
-- (the care data's newest changes, the imports, the day and the code's own version); any
-- other version is ignored and replaced.
CREATE TABLE care_due_snapshot (
  community_code TEXT PRIMARY KEY,
  version        TEXT NOT NULL,
  data           BLOB NOT NULL
);
