//! Volunteers, teams and team membership (link records with tombstones, like resident tags).

use super::{invalid, rebase, Ctx, Result, Store, StoreError};
use crate::domain::volunteer::{self, split_codes, VolunteerDraft};
use crate::protocol::{
    TeamForm, TeamRow, VolunteerForm, VolunteerPage, VolunteerQuery, VolunteerRow,
};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Transaction};

/// A new volunteer (the sample generator and the form share it).
pub(crate) struct NewVolunteer<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub resident_id: Option<&'a str>,
    pub grid_id: Option<&'a str>,
    pub v: &'a volunteer::Volunteer,
    pub party_member: bool,
    pub in_service: bool,
    pub note: &'a str,
}

pub(crate) fn insert_volunteer(tx: &Transaction, ctx: &mut Ctx, n: &NewVolunteer) -> Result<()> {
    let t = ctx.stamp();
    tx.prepare_cached(
        "INSERT INTO volunteers (id, community_code, resident_id, grid_id, name, phone, skills, availability,
                                 party_member, in_service, work_unit, posts, note, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15)",
    )?
    .execute(params![
        n.id,
        n.code,
        n.resident_id,
        n.grid_id,
        n.v.name,
        n.v.phone,
        n.v.skills,
        n.v.availability,
        n.party_member,
        n.in_service,
        n.v.work_unit,
        n.v.posts,
        n.note,
        t,
        ctx.device_id
    ])?;
    Ok(())
}

pub(crate) fn insert_team(
    tx: &Transaction,
    ctx: &mut Ctx,
    id: &str,
    code: &str,
    name: &str,
    leader: Option<&str>,
    note: &str,
) -> Result<()> {
    let t = ctx.stamp();
    tx.prepare_cached(
        "INSERT INTO volunteer_teams (id, community_code, name, leader_id, note, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
    )?
    .execute(params![id, code, name, leader, note, t, ctx.device_id])?;
    Ok(())
}

pub(crate) fn insert_member(
    tx: &Transaction,
    ctx: &mut Ctx,
    code: &str,
    team: &str,
    volunteer: &str,
) -> Result<()> {
    let (id, t) = (ctx.new_id(), ctx.stamp());
    tx.prepare_cached(
        "INSERT INTO team_members (id, community_code, team_id, volunteer_id, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
    )?
    .execute(params![id, code, team, volunteer, t, ctx.device_id])?;
    Ok(())
}

impl Store {
    pub fn list_volunteers(&self, q: &VolunteerQuery) -> Result<VolunteerPage> {
        let mut cond = vec!["v.deleted = 0".to_string()];
        let mut args: Vec<Value> = Vec::new();
        if !q.community_code.is_empty() {
            cond.push("v.community_code = ?".into());
            args.push(Value::Text(q.community_code.clone()));
        }
        let text = q.text.trim();
        if !text.is_empty() {
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            if !digits.is_empty()
                && digits.len()
                    == text
                        .chars()
                        .filter(|c| !c.is_whitespace() && *c != '-')
                        .count()
            {
                cond.push("v.phone LIKE ?".into());
                args.push(Value::Text(format!("%{digits}%")));
            } else {
                cond.push("v.name LIKE ? ESCAPE '\\'".into());
                args.push(Value::Text(format!(
                    "%{}%",
                    super::residents::like_literal(text)
                )));
            }
        }
        if !q.team_id.is_empty() {
            cond.push("EXISTS (SELECT 1 FROM team_members m WHERE m.volunteer_id = v.id AND m.team_id = ? AND m.deleted = 0)".into());
            args.push(Value::Text(q.team_id.clone()));
        }
        if !q.skill.is_empty() {
            cond.push("(',' || v.skills || ',') LIKE ?".into());
            args.push(Value::Text(format!(
                "%,{},%",
                q.skill.replace(['%', '_', ','], "")
            )));
        }
        if !q.grid_id.is_empty() {
            cond.push("v.grid_id IN (SELECT value FROM json_each(?))".into());
            args.push(Value::Text(
                serde_json::to_string(&self.grid_subtree(&q.grid_id)?).unwrap_or_default(),
            ));
        }
        if q.party_only {
            cond.push("v.party_member = 1".into());
        }
        let where_ = cond.join(" AND ");
        let total: u64 = self.conn.query_row(
            &format!("SELECT count(*) FROM volunteers v WHERE {where_}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let sql = format!(
            "SELECT v.id, v.name, v.phone, v.skills, v.availability, v.party_member, v.in_service,
                    coalesce(g.name, ''),
                    (SELECT group_concat(t.name, ',') FROM team_members m JOIN volunteer_teams t ON t.id = m.team_id
                     WHERE m.volunteer_id = v.id AND m.deleted = 0 AND t.deleted = 0),
                    v.community_code
             FROM volunteers v LEFT JOIN grids g ON g.id = v.grid_id
             WHERE {where_} ORDER BY v.name, v.id LIMIT {} OFFSET {}",
            q.limit.clamp(1, 200),
            q.offset
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st
            .query_map(params_from_iter(args.iter()), |r| {
                Ok(VolunteerRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    phone: r.get(2)?,
                    skills: split_codes(&r.get::<_, String>(3)?),
                    availability: split_codes(&r.get::<_, String>(4)?),
                    party_member: r.get(5)?,
                    in_service: r.get(6)?,
                    grid_name: r.get(7)?,
                    teams: r
                        .get::<_, Option<String>>(8)?
                        .map(|t| split_codes(&t))
                        .unwrap_or_default(),
                    community_code: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(VolunteerPage {
            rows,
            total,
            offset: q.offset,
        })
    }

    pub fn get_volunteer(&self, id: &str) -> Result<VolunteerForm> {
        let mut f = self
            .conn
            .query_row(
                "SELECT v.id, v.community_code, coalesce(v.resident_id, ''), coalesce(v.grid_id, ''), v.name, v.phone,
                        v.skills, v.availability, v.party_member, v.in_service, v.work_unit, v.posts, v.note,
                        coalesce(r.name || ' · ' || r.birth_date, '')
                 FROM volunteers v LEFT JOIN residents r ON r.id = v.resident_id
                 WHERE v.id = ?1 AND v.deleted = 0",
                [id],
                |r| {
                    Ok(VolunteerForm {
                        id: r.get(0)?,
                        community_code: r.get(1)?,
                        resident_id: r.get(2)?,
                        grid_id: r.get(3)?,
                        name: r.get(4)?,
                        phone: r.get(5)?,
                        skills: split_codes(&r.get::<_, String>(6)?),
                        availability: split_codes(&r.get::<_, String>(7)?),
                        party_member: r.get(8)?,
                        in_service: r.get(9)?,
                        work_unit: r.get(10)?,
                        posts: split_codes(&r.get::<_, String>(11)?),
                        note: r.get(12)?,
                        resident_label: r.get(13)?,
                        team_ids: Vec::new(),
                    })
                },
            )
            .optional()?
            .ok_or(StoreError::NotFound("volunteer"))?;
        f.team_ids = self
            .conn
            .prepare_cached(
                "SELECT team_id FROM team_members WHERE volunteer_id = ?1 AND deleted = 0 ORDER BY team_id",
            )?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(f)
    }

    pub fn save_volunteer(&mut self, f: &VolunteerForm) -> Result<String> {
        let draft = VolunteerDraft {
            name: &f.name,
            phone: &f.phone,
            skills: &f.skills,
            availability: &f.availability,
            party_member: f.party_member,
            in_service: f.in_service,
            work_unit: &f.work_unit,
            posts: &f.posts,
        };
        let mut problems: Vec<(String, String)> = match volunteer::validate(&draft) {
            Ok(_) => Vec::new(),
            Err(p) => p.into_iter().map(|(a, b)| (a.into(), b.into())).collect(),
        };
        let code = f.community_code.as_str();
        let grid = Some(f.grid_id.as_str()).filter(|g| !g.is_empty());
        if let Some(g) = grid {
            if self.grid_community(g).ok().as_deref() != Some(code) {
                problems.push(("grid_id".into(), "unknown".into()));
            }
        }
        let resident = Some(f.resident_id.as_str()).filter(|r| !r.is_empty());
        // A link kept as it was stands even if that resident has since been deleted (moved
        // away): it is history. A new link must be to a live resident of the community.
        let stored: Option<String> = if f.id.is_empty() {
            None
        } else {
            self.conn
                .query_row(
                    "SELECT resident_id FROM volunteers WHERE id = ?1",
                    [&f.id],
                    |r| r.get(0),
                )
                .optional()?
                .flatten()
        };
        if let Some(r) = resident.filter(|r| stored.as_deref() != Some(*r)) {
            let ok: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM residents WHERE id = ?1 AND community_code = ?2 AND deleted = 0)",
                [r, code],
                |r| r.get(0),
            )?;
            if !ok {
                problems.push(("resident_id".into(), "unknown".into()));
            }
        }
        let teams: Vec<String> = {
            let mut t = f.team_ids.clone();
            t.sort();
            t.dedup();
            t
        };
        for t in &teams {
            let ok: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM volunteer_teams WHERE id = ?1 AND community_code = ?2 AND deleted = 0)",
                [t, code],
                |r| r.get(0),
            )?;
            if !ok {
                problems.push(("team_ids".into(), "unknown".into()));
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        let v = volunteer::validate(&draft).expect("checked above");
        let note = f.note.trim();
        self.write(|tx, ctx| {
            let id = if f.id.is_empty() {
                let id = ctx.new_id();
                insert_volunteer(
                    tx,
                    ctx,
                    &NewVolunteer {
                        id: &id,
                        code,
                        resident_id: resident,
                        grid_id: grid,
                        v: &v,
                        party_member: f.party_member,
                        in_service: f.in_service,
                        note,
                    },
                )?;
                id
            } else {
                let n = tx.execute(
                    concat!(
                        "UPDATE volunteers SET ",
                        rebase!(),
                        "resident_id = ?1, grid_id = ?2, name = ?3, phone = ?4, skills = ?5, availability = ?6,
                         party_member = ?7, in_service = ?8, work_unit = ?9, posts = ?10, note = ?11,
                         updated_at = ?12, updated_by = ?13
                         WHERE id = ?14 AND community_code = ?15 AND deleted = 0"
                    ),
                    params![
                        resident,
                        grid,
                        v.name,
                        v.phone,
                        v.skills,
                        v.availability,
                        f.party_member,
                        f.in_service,
                        v.work_unit,
                        v.posts,
                        note,
                        ctx.stamp(),
                        ctx.device_id,
                        f.id,
                        code
                    ],
                )?;
                if n == 0 {
                    return Err(StoreError::NotFound("volunteer"));
                }
                f.id.clone()
            };
            // Memberships: tombstone the removed ones, add the new ones.
            let current: Vec<(String, String)> = tx
                .prepare_cached(
                    "SELECT id, team_id FROM team_members WHERE volunteer_id = ?1 AND deleted = 0",
                )?
                .query_map([&id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (link, team) in &current {
                if !teams.contains(team) {
                    tx.execute(
                        concat!(
                            "UPDATE team_members SET ",
                            rebase!(),
                            "deleted = 1, updated_at = ?1, updated_by = ?2 WHERE id = ?3"
                        ),
                        params![ctx.stamp(), ctx.device_id, link],
                    )?;
                }
            }
            for team in &teams {
                if !current.iter().any(|(_, t)| t == team) {
                    insert_member(tx, ctx, code, team, &id)?;
                }
            }
            Ok(id)
        })
    }

    /// Leaves a tombstone; the volunteer's memberships go too, and a team they led has no
    /// leader any more.
    pub fn delete_volunteer(&mut self, id: &str) -> Result<()> {
        self.write(|tx, ctx| {
            let t = ctx.stamp();
            let n = tx.execute(
                concat!(
                    "UPDATE volunteers SET ",
                    rebase!(),
                    "deleted = 1, updated_at = ?1, updated_by = ?2 WHERE id = ?3 AND deleted = 0"
                ),
                params![t, ctx.device_id, id],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound("volunteer"));
            }
            tx.execute(
                concat!(
                    "UPDATE team_members SET ",
                    rebase!(),
                    "deleted = 1, updated_at = ?1, updated_by = ?2 WHERE volunteer_id = ?3 AND deleted = 0"
                ),
                params![t, ctx.device_id, id],
            )?;
            tx.execute(
                concat!(
                    "UPDATE volunteer_teams SET ",
                    rebase!(),
                    "leader_id = NULL, updated_at = ?1, updated_by = ?2 WHERE leader_id = ?3 AND deleted = 0"
                ),
                params![t, ctx.device_id, id],
            )?;
            Ok(())
        })
    }

    pub fn list_teams(&self, community_code: &str) -> Result<Vec<TeamRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT t.id, t.name, coalesce(t.leader_id, ''), coalesce(l.name, ''), t.note,
                    (SELECT count(*) FROM team_members m JOIN volunteers v ON v.id = m.volunteer_id
                     WHERE m.team_id = t.id AND m.deleted = 0 AND v.deleted = 0), t.community_code
             FROM volunteer_teams t LEFT JOIN volunteers l ON l.id = t.leader_id AND l.deleted = 0
             WHERE (?1 = '' OR t.community_code = ?1) AND t.deleted = 0 ORDER BY t.created_at, t.id",
        )?;
        let rows = st.query_map([community_code], |r| {
            Ok(TeamRow {
                id: r.get(0)?,
                name: r.get(1)?,
                leader_id: r.get(2)?,
                leader_name: r.get(3)?,
                note: r.get(4)?,
                members: r.get(5)?,
                community_code: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn save_team(&mut self, f: &TeamForm) -> Result<String> {
        let code = f.community_code.as_str();
        let name = volunteer::validate_team(&f.name).map_err(|(a, b)| invalid(a, b))?;
        self.level_names(code)?;
        let dup: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM volunteer_teams WHERE community_code = ?1 AND name = ?2 AND deleted = 0 AND id != ?3)",
            params![code, name, f.id],
            |r| r.get(0),
        )?;
        if dup {
            return Err(invalid("name", "duplicate"));
        }
        let leader = Some(f.leader_id.as_str()).filter(|l| !l.is_empty());
        if let Some(l) = leader {
            let ok: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM volunteers WHERE id = ?1 AND community_code = ?2 AND deleted = 0)",
                [l, code],
                |r| r.get(0),
            )?;
            if !ok {
                return Err(invalid("leader_id", "unknown"));
            }
        }
        let note = f.note.trim();
        self.write(|tx, ctx| {
            let id = if f.id.is_empty() {
                let id = ctx.new_id();
                insert_team(tx, ctx, &id, code, &name, leader, note)?;
                id
            } else {
                let n = tx.execute(
                    concat!(
                        "UPDATE volunteer_teams SET ",
                        rebase!(),
                        "name = ?1, leader_id = ?2, note = ?3, updated_at = ?4, updated_by = ?5
                         WHERE id = ?6 AND community_code = ?7 AND deleted = 0"
                    ),
                    params![name, leader, note, ctx.stamp(), ctx.device_id, f.id, code],
                )?;
                if n == 0 {
                    return Err(StoreError::NotFound("team"));
                }
                f.id.clone()
            };
            // A leader is a member.
            if let Some(l) = leader {
                let member: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM team_members WHERE team_id = ?1 AND volunteer_id = ?2 AND deleted = 0)",
                    [&id, l],
                    |r| r.get(0),
                )?;
                if !member {
                    insert_member(tx, ctx, code, &id, l)?;
                }
            }
            Ok(id)
        })
    }
}
