-- The office's status (read on every start) counts each community's households: without this
-- index SQLite reads every household row of the street (75,000) to count them.
CREATE INDEX households_by_community ON households (community_code, deleted);
