//! The dashboard's figures as SQL aggregates (`domain::dashboard` says what each one counts):
//! cases grouped once by community, grid, category and channel over the range; weeks received
//! and closed; residents, households and key persons per grid; the care list's counts; the
//! volunteers, this week's shifts and the time bank's minutes. Nothing here loads a table: every
//! query is a GROUP BY on an index, and the rows that come back are groups (at street scale a
//! few thousand).

use super::{invalid, Result, Store};
use crate::domain::dashboard::{
    self, day_start_ms, grid_rows, local_day, months_of, weeks_of, CommunityLine, Count, Dashboard,
    Group, KeyRow, Tally, Week, DAY_MS,
};
use crate::domain::date::Date;
use crate::protocol::DashboardQuery;
use rusqlite::params_from_iter;
use rusqlite::types::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The scope of a dashboard: which community (or all), which grids (or all), which days.
struct Scope {
    community: String,
    /// The chosen grid's subtree as a JSON array, or None for every grid.
    grids: Option<String>,
    grid_set: Option<HashSet<String>>,
    from: i64,
    to: i64,
    from_date: Date,
    to_date: Date,
}

impl Scope {
    /// `AND …` conditions on a table aliased `alias` with `community_code` and `grid_id`.
    fn cond(&self, alias: &str, args: &mut Vec<Value>) -> String {
        let mut c = String::new();
        if !self.community.is_empty() {
            c.push_str(&format!(" AND {alias}.community_code = ?"));
            args.push(Value::Text(self.community.clone()));
        }
        if let Some(g) = &self.grids {
            c.push_str(&format!(
                " AND {alias}.grid_id IN (SELECT value FROM json_each(?))"
            ));
            args.push(Value::Text(g.clone()));
        }
        c
    }
    fn has_grid(&self, g: Option<&str>) -> bool {
        match (&self.grid_set, g) {
            (None, _) => true,
            (Some(s), Some(g)) => s.contains(g),
            (Some(_), None) => false,
        }
    }
}

impl Store {
    /// Everything the dashboard shows (charts aside: the worker draws those from it).
    pub fn dashboard(&self, q: &DashboardQuery) -> Result<Dashboard> {
        let now = self.ctx.now_millis();
        let today = self.today();
        let parse = |s: &str, field: &'static str| -> Result<Option<Date>> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            Date::parse(s)
                .map(Some)
                .ok_or_else(|| invalid(field, "date_format"))
        };
        let from_date = parse(&q.from, "from")?
            .unwrap_or_else(|| Date::new(today.year, today.month, 1).expect("first of month"));
        let to_date = parse(&q.to, "to")?.unwrap_or(today);
        if to_date < from_date {
            return Err(invalid("to", "date_before_from"));
        }
        if to_date.to_days() - from_date.to_days() > 3 * 366 {
            return Err(invalid("to", "range_too_long"));
        }
        let grid = q.grid_id.trim();
        let (grids, grid_set) = if grid.is_empty() {
            (None, None)
        } else {
            let sub = self.grid_subtree(grid)?;
            (
                Some(serde_json::to_string(&sub).unwrap_or_default()),
                Some(sub.into_iter().collect::<HashSet<_>>()),
            )
        };
        let s = Scope {
            community: q.community_code.clone(),
            grids,
            grid_set,
            from: day_start_ms(from_date),
            to: day_start_ms(to_date) + DAY_MS,
            from_date,
            to_date,
        };
        let mut d = Dashboard {
            from: from_date.to_string(),
            to: to_date.to_string(),
            as_of: now,
            ..Default::default()
        };

        // Grid rows: first-level grids, or the chosen grid's children and itself.
        let all_grids: Vec<(String, Option<String>, String)> = self
            .conn
            .prepare_cached(
                "SELECT id, parent_id, name FROM grids
                 WHERE (?1 = '' OR community_code = ?1) AND deleted = 0",
            )?
            .query_map([&s.community], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let (bucket, rows) = grid_rows(
            &all_grids,
            (!grid.is_empty()).then_some(grid),
            // The records on the root grid itself: named by the worker in the reader's language.
            "",
        );
        let communities: BTreeMap<String, String> = self
            .conn
            .prepare_cached(
                "SELECT community_code, name FROM communities WHERE deleted = 0 ORDER BY community_code",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;

        let mut received_weeks = HashMap::new();
        self.case_cells(
            &s,
            now,
            &bucket,
            &rows,
            &communities,
            &mut received_weeks,
            &mut d,
        )?;
        self.case_weeks(&s, received_weeks, &mut d)?;
        self.people(&s, &rows, &mut d)?;
        self.care_counts(&s, &bucket, &mut d)?;
        self.volunteer_counts(&s, now, &communities, &mut d)?;
        Ok(d)
    }

    /// One pass over the range's cases: every case figure and table, and the cases received
    /// per week (`received_weeks`, by the week's Monday).
    #[allow(clippy::too_many_arguments)]
    fn case_cells(
        &self,
        s: &Scope,
        now: i64,
        bucket: &HashMap<String, String>,
        rows: &[(String, String)],
        communities: &BTreeMap<String, String>,
        received_weeks: &mut HashMap<i64, u64>,
        d: &mut Dashboard,
    ) -> Result<()> {
        let mut args = vec![
            Value::Integer(now),
            Value::Integer(s.from),
            Value::Integer(s.to),
        ];
        let cond = s.cond("c", &mut args);
        // The range's cases are read once, in index order, and summed here: a GROUP BY over
        // (community, grid, category, channel) sorted tens of thousands of nearly unique keys
        // at street scale, four times slower than hashing them.
        let sql = format!(
            "SELECT c.community_code, c.grid_id, c.category_code, c.channel,
                    c.reported_at, c.closed_at, c.rating, c.deadline
             FROM cases c
             WHERE c.deleted = 0 AND c.state <> 'voided'
               AND c.reported_at >= ?2 AND c.reported_at < ?3 AND c.reported_at <= ?1{cond}"
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut rows_in = st.query(params_from_iter(args.iter()))?;
        let mut by_cat: HashMap<String, HashMap<String, Tally>> = HashMap::new();
        let mut by_grid: HashMap<String, Tally> = HashMap::new();
        let mut by_channel: HashMap<String, Tally> = HashMap::new();
        fn bump(m: &mut HashMap<String, Tally>, k: &str, t: &Tally) {
            match m.get_mut(k) {
                Some(x) => x.add(t),
                None => {
                    m.insert(k.to_string(), t.clone());
                }
            }
        }
        while let Some(r) = rows_in.next()? {
            let str_at = |i: usize| -> rusqlite::Result<&str> {
                Ok(r.get_ref(i)?.as_str_or_null()?.unwrap_or(""))
            };
            let reported: i64 = r.get(4)?;
            let rating = r
                .get_ref(6)?
                .as_str_or_null()
                .map_err(rusqlite::Error::from)?;
            let t = Tally::of_case(now, reported, r.get(5)?, rating, r.get(7)?);
            d.cases.add(&t);
            let (comm, grid, cat, channel) = (str_at(0)?, str_at(1)?, str_at(2)?, str_at(3)?);
            if let Some(b) = bucket.get(grid) {
                bump(&mut by_grid, b, &t);
            }
            bump(&mut by_channel, channel, &t);
            match by_cat.get_mut(comm) {
                Some(m) => bump(m, cat, &t),
                None => {
                    let mut m = HashMap::new();
                    bump(&mut m, cat, &t);
                    by_cat.insert(comm.to_string(), m);
                }
            }
            let w = dashboard::week_start(local_day(reported));
            *received_weeks.entry(w).or_default() += 1;
        }
        let mut by_comm: HashMap<String, Tally> = HashMap::new();
        for (comm, cats) in &by_cat {
            let c = by_comm.entry(comm.clone()).or_default();
            for t in cats.values() {
                c.add(t);
            }
        }
        let by_cat: HashMap<(String, String), Tally> = by_cat
            .into_iter()
            .flat_map(|(comm, cats)| cats.into_iter().map(move |(k, t)| ((comm.clone(), k), t)))
            .collect();
        // Categories count under their 大类 (a 小类 code's parent), named as that community
        // names it; the same 大类 code across communities is one row.
        let mut parent: HashMap<(String, String), (String, String)> = HashMap::new();
        {
            let mut st = self.conn.prepare_cached(
                "SELECT k.community_code, k.code, coalesce(p.code, k.code), coalesce(p.name, k.name)
                 FROM case_categories k
                 LEFT JOIN case_categories p ON p.community_code = k.community_code
                      AND p.code = k.parent_code AND p.deleted = 0
                 WHERE (?1 = '' OR k.community_code = ?1) AND k.deleted = 0",
            )?;
            let rows = st.query_map([&s.community], |r| {
                Ok((
                    (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
                    (r.get::<_, String>(2)?, r.get::<_, String>(3)?),
                ))
            })?;
            for row in rows {
                let (k, v) = row?;
                parent.insert(k, v);
            }
        }
        let mut cats: BTreeMap<String, Group> = BTreeMap::new();
        for ((comm, code), t) in by_cat {
            let (pcode, pname) = parent
                .get(&(comm, code.clone()))
                .cloned()
                .unwrap_or((code.clone(), code));
            let g = cats.entry(pcode.clone()).or_insert_with(|| Group {
                key: pcode,
                name: pname,
                tally: Tally::default(),
            });
            g.tally.add(&t);
        }
        d.by_category = cats.into_values().collect();
        d.by_category.sort_by(|a, b| {
            b.tally
                .received
                .cmp(&a.tally.received)
                .then(a.key.cmp(&b.key))
        });
        d.by_grid = rows
            .iter()
            .map(|(id, name)| Group {
                key: id.clone(),
                name: name.clone(),
                tally: by_grid.remove(id).unwrap_or_default(),
            })
            // A root's own row only where cases sit on the root itself.
            .filter(|g| !g.name.is_empty() || g.tally.received > 0)
            .collect();
        let mut chans: Vec<Group> = by_channel
            .into_iter()
            .map(|(k, t)| Group {
                key: k,
                name: String::new(),
                tally: t,
            })
            .collect();
        chans.sort_by(|a, b| {
            b.tally
                .received
                .cmp(&a.tally.received)
                .then(a.key.cmp(&b.key))
        });
        d.by_channel = chans;
        if s.community.is_empty() {
            d.by_community = communities
                .iter()
                .map(|(code, name)| CommunityLine {
                    code: code.clone(),
                    name: name.clone(),
                    tally: by_comm.remove(code).unwrap_or_default(),
                    ..Default::default()
                })
                .collect();
        }
        Ok(())
    }

    /// Received per week of report (counted in `case_cells`), closed per week of closing,
    /// over the range.
    fn case_weeks(&self, s: &Scope, received: HashMap<i64, u64>, d: &mut Dashboard) -> Result<()> {
        let weeks = weeks_of(local_day(s.from), local_day(s.to - 1));
        let mut closed: HashMap<i64, u64> = HashMap::new();
        // The week's Monday as a day number, computed in SQL on local (UTC+8) days.
        const WEEK: &str = "((T + 28800000) / 86400000 - ((T + 28800000) / 86400000 + 3) % 7)";
        {
            let (col, map) = ("closed_at", &mut closed);
            let mut args = vec![Value::Integer(s.from), Value::Integer(s.to)];
            let cond = s.cond("c", &mut args);
            let sql = format!(
                "SELECT {w}, count(*) FROM cases c
                 WHERE c.deleted = 0 AND c.state <> 'voided' AND c.{col} >= ?1 AND c.{col} < ?2{cond}
                 GROUP BY 1",
                w = WEEK.replace('T', &format!("c.{col}")),
            );
            let mut st = self.conn.prepare(&sql)?;
            let rows = st.query_map(params_from_iter(args.iter()), |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, u64>(1)?))
            })?;
            for row in rows {
                let (w, n) = row?;
                *map.entry(w).or_default() += n;
            }
        }
        d.weeks = weeks
            .into_iter()
            .map(|w| Week {
                start: Date::from_days(w).to_string(),
                received: received.get(&w).copied().unwrap_or(0),
                closed: closed.get(&w).copied().unwrap_or(0),
            })
            .collect();
        Ok(())
    }

    /// Residents and households, and the grid rows for key persons (counted with the key
    /// groups in `care_counts`). Not limited by the date range: these are the ledger as it
    /// stands.
    fn people(&self, s: &Scope, rows: &[(String, String)], d: &mut Dashboard) -> Result<()> {
        let mut args = Vec::new();
        let cond = s.cond("r", &mut args);
        d.residents = self.conn.query_row(
            &format!(
                "SELECT count(*) FROM residents r WHERE r.status = 'active' AND r.deleted = 0{cond}"
            ),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let mut args = Vec::new();
        let cond = s.cond("h", &mut args);
        d.households = self.conn.query_row(
            &format!("SELECT count(*) FROM households h WHERE h.deleted = 0{cond}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        // Key persons per grid row come with the care list (`care_counts`).
        d.key_by_grid = rows
            .iter()
            .map(|(id, name)| KeyRow {
                key: id.clone(),
                name: name.clone(),
                people: 0,
            })
            .collect();
        Ok(())
    }

    /// Key persons — the people on the care list: active residents with a key-group tag that
    /// has a visit cadence, or with a cadence of their own — and their visits due and overdue
    /// now, per grid row and per community. One walk of the care list's own computation.
    fn care_counts(
        &self,
        s: &Scope,
        bucket: &HashMap<String, String>,
        d: &mut Dashboard,
    ) -> Result<()> {
        use crate::domain::care::DueState;
        let mut per_row: HashMap<&str, u64> = HashMap::new();
        let mut per_comm: HashMap<&str, (u64, u64)> = HashMap::new();
        let mut per_tag: HashMap<&str, u64> = HashMap::new();
        let people = self.due_people(&s.community)?;
        for p in people.iter() {
            if !s.has_grid(Some(&p.grid)) {
                continue;
            }
            d.key_persons += 1;
            for t in &p.tags {
                *per_tag.entry(t.as_str()).or_default() += 1;
            }
            let overdue = matches!(p.state, DueState::Overdue(_));
            match p.state {
                DueState::Overdue(_) => d.visits_overdue += 1,
                DueState::Soon => d.visits_soon += 1,
                DueState::Ok => {}
            }
            if let Some(b) = bucket.get(&p.grid) {
                *per_row.entry(b.as_str()).or_default() += 1;
            }
            let c = per_comm.entry(p.community.as_str()).or_default();
            c.0 += 1;
            c.1 += overdue as u64;
        }
        d.visit_people = d.key_persons;
        // Key groups: the key persons per tag with a cadence; tags of the same name in several
        // communities are one key group at the street (keyed by the smallest tag id).
        let mut groups: BTreeMap<String, Count> = BTreeMap::new();
        {
            let mut st = self.conn.prepare_cached(
                "SELECT id, name FROM tags
                 WHERE (?1 = '' OR community_code = ?1) AND deleted = 0 AND visit_days > 0",
            )?;
            let mut rows = st.query([&s.community])?;
            while let Some(r) = rows.next()? {
                let (id, name): (String, String) = (r.get(0)?, r.get(1)?);
                let n = per_tag.get(id.as_str()).copied().unwrap_or(0);
                let g = groups.entry(name.clone()).or_insert_with(|| Count {
                    name,
                    key: id.clone(),
                    n: 0,
                });
                g.n += n;
                if id < g.key {
                    g.key = id;
                }
            }
        }
        d.key_by_tag = groups.into_values().filter(|c| c.n > 0).collect();
        d.key_by_tag
            .sort_by(|a, b| b.n.cmp(&a.n).then(a.name.cmp(&b.name)));
        for k in d.key_by_grid.iter_mut() {
            k.people = per_row.get(k.key.as_str()).copied().unwrap_or(0);
        }
        d.key_by_grid.retain(|k| !k.name.is_empty() || k.people > 0);
        for c in d.by_community.iter_mut() {
            let (people, overdue) = per_comm.get(c.code.as_str()).copied().unwrap_or_default();
            c.key_persons = people;
            c.visits_overdue = overdue;
        }
        Ok(())
    }

    /// Volunteers (of the chosen grids), shifts of the week around now, and the time bank's
    /// minutes in the range, per month.
    fn volunteer_counts(
        &self,
        s: &Scope,
        now: i64,
        communities: &BTreeMap<String, String>,
        d: &mut Dashboard,
    ) -> Result<()> {
        let mut args = Vec::new();
        let cond = s.cond("v", &mut args);
        d.volunteers = self.conn.query_row(
            &format!("SELECT count(*) FROM volunteers v WHERE v.deleted = 0{cond}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let monday = dashboard::week_start(local_day(now));
        let mut args = vec![
            Value::Integer(monday * DAY_MS - crate::domain::calendar::CST_OFFSET_MS),
            Value::Integer((monday + 7) * DAY_MS - crate::domain::calendar::CST_OFFSET_MS),
        ];
        let cond = s.cond("x", &mut args);
        d.shifts_week = self.conn.query_row(
            &format!(
                "SELECT count(*) FROM shifts x
                 WHERE x.deleted = 0 AND x.start_at >= ?1 AND x.start_at < ?2{cond}"
            ),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        // The time bank's credits, limited to volunteers of the chosen grids.
        let months = months_of(s.from_date, s.to_date);
        let mut per_month: HashMap<String, i64> = HashMap::new();
        let codes: Vec<&String> = if s.community.is_empty() {
            communities.keys().collect()
        } else {
            vec![&s.community]
        };
        let volunteer_grid: HashMap<String, Option<String>> = if s.grid_set.is_some() {
            self.conn
                .prepare_cached(
                    "SELECT id, grid_id FROM volunteers WHERE (?1 = '' OR community_code = ?1)",
                )?
                .query_map([&s.community], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        } else {
            HashMap::new()
        };
        for code in codes {
            for (v, day, min, ..) in self.credits(code, None, s.from_date, s.to_date)? {
                if s.grid_set.is_some()
                    && !s.has_grid(volunteer_grid.get(&v).and_then(|g| g.as_deref()))
                {
                    continue;
                }
                d.minutes += min;
                *per_month
                    .entry(format!("{:04}-{:02}", day.year, day.month))
                    .or_default() += min;
            }
        }
        d.minutes_by_month = months
            .into_iter()
            .map(|m| {
                let v = per_month.get(&m).copied().unwrap_or(0);
                (m, v)
            })
            .collect();
        Ok(())
    }
}
