//! The time bank (时间银行): hours credited to volunteers for the shifts they did
//! (`domain::roster::credited_minutes`), for tasks logged by hand (`service_hours`) and for the
//! micro-wishes they fulfilled (the minutes of the fulfil step), summed
//! per volunteer, team, community and month of the office's local calendar.

use super::{rebase, Result, Store, StoreError};
use crate::domain::date::Date;
use crate::domain::roster;
use crate::protocol::{HoursEntry, HoursForm, HoursLine, TimeBank, VolunteerHours};
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;

/// One credit: (volunteer id, local date, minutes, kind, source id, title).
pub(super) type Credit = (String, Date, i64, &'static str, String, String);

impl Store {
    pub fn log_hours(&mut self, f: &HoursForm) -> Result<String> {
        let mut problems: Vec<(String, String)> =
            roster::check_task_hours(&f.day, f.minutes, &f.task)
                .into_iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
        let code: Option<String> = self
            .conn
            .query_row(
                "SELECT community_code FROM volunteers WHERE id = ?1 AND deleted = 0",
                [&f.volunteer_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(code) = code else {
            return Err(super::invalid("volunteer_id", "unknown"));
        };
        let case = Some(f.case_id.trim()).filter(|c| !c.is_empty());
        if let Some(c) = case {
            let ok: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM cases WHERE id = ?1 AND community_code = ?2 AND deleted = 0)",
                [c, &code],
                |r| r.get(0),
            )?;
            if !ok {
                problems.push(("case_id".into(), "unknown".into()));
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        self.write(|tx, ctx| {
            let (id, t) = (ctx.new_id(), ctx.stamp());
            tx.execute(
                "INSERT INTO service_hours (id, community_code, volunteer_id, day, minutes, task, case_id,
                                            created_at, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
                params![
                    id,
                    code,
                    f.volunteer_id,
                    f.day,
                    f.minutes,
                    f.task.trim(),
                    case,
                    t,
                    ctx.device_id
                ],
            )?;
            Ok(id)
        })
    }

    pub fn delete_hours(&mut self, id: &str) -> Result<()> {
        self.write(|tx, ctx| {
            let n = tx.execute(
                concat!(
                    "UPDATE service_hours SET ",
                    rebase!(),
                    "deleted = 1, updated_at = ?1, updated_by = ?2 WHERE id = ?3 AND deleted = 0"
                ),
                params![ctx.stamp(), ctx.device_id, id],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound("hours"));
            }
            Ok(())
        })
    }

    /// Every credit of a community's volunteers (or of one volunteer) whose local date falls in
    /// [from, to] (dates as YYYY-MM-DD).
    pub(super) fn credits(
        &self,
        code: &str,
        volunteer: Option<&str>,
        from: Date,
        to: Date,
    ) -> Result<Vec<Credit>> {
        let mut out = Vec::new();
        // Shift instants bracketing the local dates (a day either side; filtered below).
        let (t0, t1) = (
            (from.to_days() - 1) * roster::DAY,
            (to.to_days() + 2) * roster::DAY,
        );
        let mut st = self.conn.prepare_cached(
            "SELECT p.volunteer_id, p.id, s.title, s.start_at, s.end_at, p.check_in, p.check_out
             FROM shift_people p JOIN shifts s ON s.id = p.shift_id
             WHERE (?1 = '' OR p.community_code = ?1) AND p.status = 'done' AND p.deleted = 0 AND s.deleted = 0
               AND p.volunteer_id IS NOT NULL AND (?2 IS NULL OR p.volunteer_id = ?2)
               AND s.start_at >= ?3 AND s.start_at < ?4",
        )?;
        let rows = st.query_map(params![code, volunteer, t0, t1], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, Option<i64>>(5)?,
                r.get::<_, Option<i64>>(6)?,
            ))
        })?;
        for row in rows {
            let (v, link, title, s, e, cin, cout) = row?;
            let day = roster::local_date(s);
            if day < from || day > to {
                continue;
            }
            let min = roster::credited_minutes("done", s, e, cin, cout);
            if min > 0 {
                out.push((v, day, min, "shift", link, title));
            }
        }
        let mut st = self.conn.prepare_cached(
            "SELECT volunteer_id, id, task, day, minutes FROM service_hours
             WHERE (?1 = '' OR community_code = ?1) AND deleted = 0 AND (?2 IS NULL OR volunteer_id = ?2)
               AND day >= ?3 AND day <= ?4",
        )?;
        let rows = st.query_map(
            params![code, volunteer, from.to_string(), to.to_string()],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            },
        )?;
        for row in rows {
            let (v, id, task, day, min) = row?;
            if let Some(d) = Date::parse(&day) {
                out.push((v, d, min, "task", id, task));
            }
        }
        // Micro-wishes fulfilled: the minutes the fulfil step recorded go to the claimer.
        let mut st = self.conn.prepare_cached(
            "SELECT volunteer_id, id, title, fulfilled_at, minutes FROM wishes
             WHERE (?1 = '' OR community_code = ?1) AND deleted = 0 AND state IN ('fulfilled', 'thanked')
               AND volunteer_id IS NOT NULL AND minutes > 0 AND fulfilled_at IS NOT NULL
               AND (?2 IS NULL OR volunteer_id = ?2) AND fulfilled_at >= ?3 AND fulfilled_at < ?4",
        )?;
        let rows = st.query_map(params![code, volunteer, t0, t1], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for row in rows {
            let (v, id, title, at, min) = row?;
            let day = roster::local_date(at);
            if day >= from && day <= to {
                out.push((v, day, min, "wish", id, title));
            }
        }
        Ok(out)
    }

    /// The time bank of a community for one year.
    pub fn time_bank(&self, code: &str, year: i32) -> Result<TimeBank> {
        let (from, to) = (
            Date::new(year, 1, 1).ok_or(super::invalid("year", "out_of_range"))?,
            Date::new(year, 12, 31).ok_or(super::invalid("year", "out_of_range"))?,
        );
        let credits = self.credits(code, None, from, to)?;
        let mut per: HashMap<String, Vec<i64>> = HashMap::new();
        let mut community = HoursLine {
            id: code.to_string(),
            months: vec![0; 12],
            ..Default::default()
        };
        for (v, d, min, ..) in &credits {
            per.entry(v.clone()).or_insert_with(|| vec![0; 12])[d.month as usize - 1] += min;
            community.months[d.month as usize - 1] += min;
        }
        community.total = community.months.iter().sum();
        let names: HashMap<String, (String, String)> = self
            .conn
            .prepare_cached(
                "SELECT id, name, community_code FROM volunteers WHERE ?1 = '' OR community_code = ?1",
            )?
            .query_map([code], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
            .collect::<rusqlite::Result<_>>()?;
        let mut volunteers: Vec<HoursLine> = per
            .iter()
            .map(|(id, months)| HoursLine {
                id: id.clone(),
                name: names.get(id).map(|n| n.0.clone()).unwrap_or_default(),
                total: months.iter().sum(),
                months: months.clone(),
                community_code: names.get(id).map(|n| n.1.clone()).unwrap_or_default(),
            })
            .collect();
        volunteers.sort_by(|a, b| b.total.cmp(&a.total).then(a.name.cmp(&b.name)));
        let mut teams: Vec<HoursLine> = Vec::new();
        let mut st = self.conn.prepare_cached(
            "SELECT t.id, t.name, m.volunteer_id, t.community_code FROM volunteer_teams t
             LEFT JOIN team_members m ON m.team_id = t.id AND m.deleted = 0
             WHERE (?1 = '' OR t.community_code = ?1) AND t.deleted = 0 ORDER BY t.name, t.id",
        )?;
        let rows = st.query_map([code], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (id, name, member, community_code) = row?;
            if teams.last().is_none_or(|t| t.id != id) {
                teams.push(HoursLine {
                    id,
                    name,
                    months: vec![0; 12],
                    total: 0,
                    community_code,
                });
            }
            let team = teams.last_mut().expect("pushed");
            if let Some(m) = member.and_then(|m| per.get(&m)) {
                for (a, b) in team.months.iter_mut().zip(m) {
                    *a += b;
                }
                team.total += m.iter().sum::<i64>();
            }
        }
        // The street's communities, each the sum of its volunteers' lines.
        let mut communities: Vec<HoursLine> = Vec::new();
        if code.is_empty() {
            let mut by: HashMap<&str, HoursLine> = HashMap::new();
            for v in &volunteers {
                let line = by
                    .entry(v.community_code.as_str())
                    .or_insert_with(|| HoursLine {
                        id: v.community_code.clone(),
                        community_code: v.community_code.clone(),
                        months: vec![0; 12],
                        ..Default::default()
                    });
                for (a, b) in line.months.iter_mut().zip(&v.months) {
                    *a += b;
                }
                line.total += v.total;
            }
            communities = by.into_values().collect();
            communities.sort_by(|a, b| a.id.cmp(&b.id));
        }
        Ok(TimeBank {
            year,
            volunteers,
            teams,
            community,
            communities,
        })
    }

    /// One volunteer's credits, all time.
    pub fn volunteer_hours(&self, id: &str) -> Result<VolunteerHours> {
        let code: String = self
            .conn
            .query_row(
                "SELECT community_code FROM volunteers WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound("volunteer"))?;
        let credits = self.credits(
            &code,
            Some(id),
            Date::new(1970, 1, 2).expect("a date"),
            Date::new(9998, 12, 31).expect("a date"),
        )?;
        let by_month =
            roster::minutes_by_month(&credits.iter().map(|c| (c.1, c.2)).collect::<Vec<_>>());
        let mut entries: Vec<HoursEntry> = credits
            .into_iter()
            .map(|(_, day, minutes, kind, id, title)| HoursEntry {
                kind: kind.into(),
                id,
                day: day.to_string(),
                minutes,
                title,
            })
            .collect();
        entries.sort_by(|a, b| b.day.cmp(&a.day).then(a.id.cmp(&b.id)));
        Ok(VolunteerHours {
            total: by_month.iter().map(|m| m.1).sum(),
            months: by_month,
            entries,
        })
    }
}
