-- Street-scale reads of the care list and the dashboard.
-- The care list looks up every key person by id (tens of thousands at a street): a covering
-- index answers "is this resident active, in which community and grid" without reading the
-- wide resident row.
CREATE INDEX residents_care ON residents (id, deleted, status, community_code, grid_id);
-- The dashboard groups a date range of cases by community, grid, category and channel: every
-- column it reads is in this index, so a year of a street's cases is one narrow range scan.
CREATE INDEX cases_dashboard ON cases
  (deleted, reported_at, state, community_code, grid_id, category_code, channel, closed_at, rating, deadline);
