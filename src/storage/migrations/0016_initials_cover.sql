-- A pinyin-initials search ("zs", "ly") matches thousands of residents at street scale; each
-- match then had to read its table row for the status, name and id it is counted and ordered
-- by. With them in the index the search counts and orders its matches on the index alone
-- (200 searches natively at 200,000 residents: p95 14 → 1.5 ms).
DROP INDEX residents_by_initials;
CREATE INDEX residents_by_initials ON residents (community_code, deleted, name_initials, status, name, id);
DROP INDEX residents_initials_street;
CREATE INDEX residents_initials_street ON residents (deleted, name_initials, status, name, id);
