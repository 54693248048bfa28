//! Duty rosters: shifts (a weekly repeat is one shift per week sharing a series id) and the
//! people on them, with the double-booking and staffing facts the editor shows. The rules are
//! `domain::roster`.

use super::{rebase, Ctx, Result, Store, StoreError};
use crate::domain::roster::{self, Booking};
use crate::protocol::{ShiftForm, ShiftPerson, ShiftRow};
use rusqlite::{params, OptionalExtension, Transaction};
use std::collections::{HashMap, HashSet};

#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_shift(
    tx: &Transaction,
    ctx: &mut Ctx,
    id: &str,
    code: &str,
    series: &str,
    f: &ShiftForm,
    grid: Option<&str>,
    start: i64,
    end: i64,
) -> Result<()> {
    let t = ctx.stamp();
    tx.prepare_cached(
        "INSERT INTO shifts (id, community_code, series_id, title, grid_id, place, role, start_at, end_at, needed, note,
                             created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13)",
    )?
    .execute(params![
        id,
        code,
        series,
        f.title.trim(),
        grid,
        f.place.trim(),
        f.role.trim(),
        start,
        end,
        f.needed,
        f.note.trim(),
        t,
        ctx.device_id
    ])?;
    Ok(())
}

pub(crate) fn insert_person(
    tx: &Transaction,
    ctx: &mut Ctx,
    code: &str,
    shift: &str,
    volunteer: Option<&str>,
    staff: Option<&str>,
    status: &str,
) -> Result<String> {
    let (id, t) = (ctx.new_id(), ctx.stamp());
    tx.prepare_cached(
        "INSERT INTO shift_people (id, community_code, shift_id, volunteer_id, staff_id, status, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
    )?
    .execute(params![id, code, shift, volunteer, staff, status, t, ctx.device_id])?;
    Ok(id)
}

impl Store {
    /// Adds a shift and its weekly repeats; returns their ids in time order.
    pub fn add_shifts(&mut self, f: &ShiftForm) -> Result<Vec<String>> {
        let mut problems: Vec<(String, String)> =
            roster::check_shift(&f.title, f.start_at, f.end_at, f.needed, f.weeks)
                .into_iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
        let code = f.community_code.as_str();
        let grid = Some(f.grid_id.as_str()).filter(|g| !g.is_empty());
        if let Some(g) = grid {
            if self.grid_community(g).ok().as_deref() != Some(code) {
                problems.push(("grid_id".into(), "unknown".into()));
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        self.level_names(code)?;
        self.write(|tx, ctx| {
            let series = ctx.new_id();
            let mut ids = Vec::new();
            for (s, e) in roster::repeat_weekly(f.start_at, f.end_at, f.weeks) {
                let id = ctx.new_id();
                insert_shift(tx, ctx, &id, code, &series, f, grid, s, e)?;
                ids.push(id);
            }
            Ok(ids)
        })
    }

    pub fn delete_shift(&mut self, id: &str) -> Result<()> {
        self.write(|tx, ctx| {
            let t = ctx.stamp();
            let n = tx.execute(
                concat!(
                    "UPDATE shifts SET ",
                    rebase!(),
                    "deleted = 1, updated_at = ?1, updated_by = ?2 WHERE id = ?3 AND deleted = 0"
                ),
                params![t, ctx.device_id, id],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound("shift"));
            }
            tx.execute(
                concat!(
                    "UPDATE shift_people SET ",
                    rebase!(),
                    "deleted = 1, updated_at = ?1, updated_by = ?2 WHERE shift_id = ?3 AND deleted = 0"
                ),
                params![t, ctx.device_id, id],
            )?;
            Ok(())
        })
    }

    /// Puts one person on a shift (once). Double-booking is allowed and shown, not refused:
    /// the office decides.
    pub fn assign_shift(&mut self, shift: &str, volunteer: &str, staff: &str) -> Result<String> {
        let code: String = self
            .conn
            .query_row(
                "SELECT community_code FROM shifts WHERE id = ?1 AND deleted = 0",
                [shift],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound("shift"))?;
        let (v, s) = (
            Some(volunteer).filter(|x| !x.is_empty()),
            Some(staff).filter(|x| !x.is_empty()),
        );
        let (table, person) = match (v, s) {
            (Some(v), None) => ("volunteers", v),
            (None, Some(s)) => ("staff", s),
            _ => return Err(super::invalid("person", "required")),
        };
        let ok: bool = self.conn.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1 AND community_code = ?2 AND deleted = 0)"),
            [person, &code],
            |r| r.get(0),
        )?;
        if !ok {
            return Err(super::invalid("person", "unknown"));
        }
        let already: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM shift_people WHERE shift_id = ?1 AND deleted = 0
                            AND (volunteer_id = ?2 OR staff_id = ?2))",
            [shift, person],
            |r| r.get(0),
        )?;
        if already {
            return Err(super::invalid("person", "duplicate"));
        }
        self.write(|tx, ctx| insert_person(tx, ctx, &code, shift, v, s, "planned"))
    }

    pub fn unassign_shift(&mut self, link: &str) -> Result<()> {
        self.write(|tx, ctx| {
            let n = tx.execute(
                concat!(
                    "UPDATE shift_people SET ",
                    rebase!(),
                    "deleted = 1, updated_at = ?1, updated_by = ?2 WHERE id = ?3 AND deleted = 0"
                ),
                params![ctx.stamp(), ctx.device_id, link],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound("shift_person"));
            }
            Ok(())
        })
    }

    pub fn mark_shift(&mut self, link: &str, status: &str) -> Result<()> {
        if !matches!(status, "planned" | "done" | "no_show") {
            return Err(super::invalid("status", "unknown"));
        }
        self.write(|tx, ctx| {
            let n = tx.execute(
                concat!(
                    "UPDATE shift_people SET ",
                    rebase!(),
                    "status = ?1, updated_at = ?2, updated_by = ?3 WHERE id = ?4 AND deleted = 0"
                ),
                params![status, ctx.stamp(), ctx.device_id, link],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound("shift_person"));
            }
            Ok(())
        })
    }

    /// The person on a shift checks in ("in", from two hours before the start until its end)
    /// or out ("out", after checking in: the shift is then done). Times are this device's now.
    pub fn check_shift(&mut self, link: &str, action: &str) -> Result<()> {
        let (start, end, check_in): (i64, i64, Option<i64>) = self
            .conn
            .query_row(
                "SELECT s.start_at, s.end_at, p.check_in FROM shift_people p JOIN shifts s ON s.id = p.shift_id
                 WHERE p.id = ?1 AND p.deleted = 0 AND s.deleted = 0",
                [link],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or(StoreError::NotFound("shift_person"))?;
        let now = self.ctx.now_millis();
        match action {
            "in" => {
                if now < start - roster::CHECK_IN_EARLY || now > end {
                    return Err(super::invalid("check_in", "not_now"));
                }
                self.write(|tx, ctx| {
                    tx.execute(
                        concat!(
                            "UPDATE shift_people SET ",
                            rebase!(),
                            "check_in = ?1, check_out = NULL, updated_at = ?2, updated_by = ?3 WHERE id = ?4"
                        ),
                        params![now, ctx.stamp(), ctx.device_id, link],
                    )?;
                    Ok(())
                })
            }
            "out" => {
                let Some(at) = check_in else {
                    return Err(super::invalid("check_out", "not_checked_in"));
                };
                let out = now.max(at);
                self.write(|tx, ctx| {
                    tx.execute(
                        concat!(
                            "UPDATE shift_people SET ",
                            rebase!(),
                            "check_out = ?1, status = 'done', updated_at = ?2, updated_by = ?3 WHERE id = ?4"
                        ),
                        params![out, ctx.stamp(), ctx.device_id, link],
                    )?;
                    Ok(())
                })
            }
            _ => Err(super::invalid("action", "unknown")),
        }
    }

    /// The shifts starting in [from, to), in time order, with their people; a person is marked
    /// double-booked when another of their shifts (also outside the range) overlaps.
    pub fn roster(&self, community_code: &str, from: i64, to: i64) -> Result<Vec<ShiftRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT s.id, s.series_id, s.title, coalesce(g.name, ''), s.place, s.role, s.start_at, s.end_at, s.needed,
                    s.community_code
             FROM shifts s LEFT JOIN grids g ON g.id = s.grid_id
             WHERE (?1 = '' OR s.community_code = ?1) AND s.deleted = 0 AND s.start_at >= ?2 AND s.start_at < ?3
             ORDER BY s.start_at, s.title, s.id",
        )?;
        let calendar = self.calendar();
        let mut rows: Vec<ShiftRow> = st
            .query_map(params![community_code, from, to], |r| {
                Ok(ShiftRow {
                    id: r.get(0)?,
                    series_id: r.get(1)?,
                    title: r.get(2)?,
                    grid_name: r.get(3)?,
                    place: r.get(4)?,
                    role: r.get(5)?,
                    start_at: r.get(6)?,
                    end_at: r.get(7)?,
                    needed: r.get(8)?,
                    people: Vec::new(),
                    day_off: false,
                    community_code: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        for row in &mut rows {
            row.day_off = !calendar.is_working_day(roster::local_date(row.start_at));
        }
        // Everyone on these shifts, and all their shifts near the range (for overlaps).
        let mut people = self.conn.prepare_cached(
            "SELECT p.id, p.shift_id, coalesce(p.volunteer_id, p.staff_id),
                    CASE WHEN p.volunteer_id IS NULL THEN 'staff' ELSE 'volunteer' END,
                    coalesce(v.name, st.name, ''), p.status, p.check_in, p.check_out
             FROM shift_people p JOIN shifts s ON s.id = p.shift_id
             LEFT JOIN volunteers v ON v.id = p.volunteer_id
             LEFT JOIN staff st ON st.id = p.staff_id
             WHERE (?1 = '' OR s.community_code = ?1) AND s.deleted = 0 AND p.deleted = 0 AND s.start_at >= ?2 AND s.start_at < ?3
             ORDER BY p.created_at, p.id",
        )?;
        let near: Vec<(ShiftPerson, String)> = people
            .query_map(
                params![
                    community_code,
                    from - roster::MAX_SHIFT,
                    to + roster::MAX_SHIFT
                ],
                |r| {
                    Ok((
                        ShiftPerson {
                            link_id: r.get(0)?,
                            person_id: r.get(2)?,
                            kind: r.get(3)?,
                            name: r.get(4)?,
                            status: r.get(5)?,
                            double_booked: false,
                            check_in: r.get(6)?,
                            check_out: r.get(7)?,
                        },
                        r.get::<_, String>(1)?,
                    ))
                },
            )?
            .collect::<rusqlite::Result<_>>()?;
        let times: HashMap<String, (i64, i64)> = self
            .conn
            .prepare_cached(
                "SELECT id, start_at, end_at FROM shifts
                 WHERE (?1 = '' OR community_code = ?1) AND deleted = 0 AND start_at >= ?2 AND start_at < ?3",
            )?
            .query_map(
                params![
                    community_code,
                    from - roster::MAX_SHIFT,
                    to + roster::MAX_SHIFT
                ],
                |r| Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?))),
            )?
            .collect::<rusqlite::Result<_>>()?;
        let mut by_person: HashMap<&str, Vec<Booking>> = HashMap::new();
        for (p, shift) in &near {
            if let Some((s, e)) = times.get(shift) {
                by_person
                    .entry(p.person_id.as_str())
                    .or_default()
                    .push((shift.as_str(), *s, *e));
            }
        }
        let mut clashing: HashSet<(String, String)> = HashSet::new();
        for (person, bookings) in &by_person {
            for (a, b) in roster::double_bookings(bookings) {
                clashing.insert((person.to_string(), a.to_string()));
                clashing.insert((person.to_string(), b.to_string()));
            }
        }
        let index: HashMap<String, usize> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        for (mut p, shift) in near {
            if let Some(i) = index.get(&shift) {
                p.double_booked = clashing.contains(&(p.person_id.clone(), shift.clone()));
                rows[*i].people.push(p);
            }
        }
        Ok(rows)
    }
}

impl Store {
    /// One person's shifts (a volunteer or a staff member), or a team's (every shift one of
    /// its members is on), starting in [from, to).
    pub fn duties(&self, person_id: &str, from: i64, to: i64) -> Result<Vec<ShiftRow>> {
        let code: String = self
            .conn
            .query_row(
                "SELECT community_code FROM volunteers WHERE id = ?1
                 UNION ALL SELECT community_code FROM staff WHERE id = ?1
                 UNION ALL SELECT community_code FROM volunteer_teams WHERE id = ?1 LIMIT 1",
                [person_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound("person"))?;
        let members: HashSet<String> = self
            .conn
            .prepare_cached(
                "SELECT volunteer_id FROM team_members WHERE team_id = ?1 AND deleted = 0",
            )?
            .query_map([person_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut rows = self.roster(&code, from, to)?;
        rows.retain(|r| {
            r.people
                .iter()
                .any(|p| p.person_id == person_id || members.contains(&p.person_id))
        });
        Ok(rows)
    }
}
