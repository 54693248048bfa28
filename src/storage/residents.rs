//! Households, residents and tags: the resident ledger (台账).

use super::office::insert_tag;
use super::{invalid, rebase, Ctx, Result, Store, StoreError};
use crate::domain::bundle::tables;
use crate::domain::resident::{self, ResidentDraft};
use crate::protocol::{
    HouseholdForm, HouseholdRow, ResidentForm, ResidentPage, ResidentQuery, ResidentRow, TagRow,
};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Transaction};

pub(crate) fn reversed(s: &str) -> String {
    s.chars().rev().collect()
}

/// The reversed digits of a phone number, for tail-number (尾号) search: "0371-67890123"
/// is found by "67890123", "037167890123" and "0371 67890123" alike.
pub(crate) fn phone_key(phone: &str) -> String {
    phone.chars().rev().filter(|c| c.is_ascii_digit()).collect()
}

/// Search text that is a phone or ID number (or the tail of one), with separators and
/// full-width digits as people type them, reduced to its digits (and a final X).
fn number_query(text: &str) -> Option<String> {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '0'..='9' => out.push(c),
            '０'..='９' => out.push(char::from_u32(c as u32 - '０' as u32 + '0' as u32)?),
            'x' | 'X' | 'ｘ' | 'Ｘ' => out.push('X'),
            ' ' | '-' | '－' | '—' | '\u{3000}' => {}
            _ => return None,
        }
    }
    (out.len() >= 3 && !out[..out.len() - 1].contains('X')).then_some(out)
}

/// Escapes GLOB metacharacters so user text matches literally.
fn glob_literal(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '*' | '?' | '[' => format!("[{c}]"),
            c => c.to_string(),
        })
        .collect()
}

pub(crate) fn like_literal(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub(crate) struct NewResident<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub grid_id: &'a str,
    pub household_id: Option<&'a str>,
    pub name: &'a str,
    pub gender: &'a str,
    pub birth_date: &'a str,
    pub id_number: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub relation: &'a str,
    pub note: &'a str,
}

pub(crate) fn insert_resident(tx: &Transaction, ctx: &mut Ctx, r: &NewResident) -> Result<()> {
    let t = ctx.stamp();
    let mut st = tx.prepare_cached(
        "INSERT INTO residents (id, community_code, grid_id, household_id, name, gender, birth_date,
                                id_number, id_rev, phone, phone_rev, relation, note, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15)",
    )?;
    st.execute(params![
        r.id,
        r.code,
        r.grid_id,
        r.household_id,
        r.name,
        r.gender,
        r.birth_date,
        r.id_number,
        r.id_number.map(reversed),
        r.phone,
        r.phone.map(phone_key),
        r.relation,
        r.note,
        t,
        ctx.device_id
    ])?;
    Ok(())
}

pub(crate) fn insert_resident_tag(
    tx: &Transaction,
    ctx: &mut Ctx,
    code: &str,
    resident: &str,
    tag: &str,
) -> Result<()> {
    let id = ctx.new_id();
    let t = ctx.stamp();
    let mut st = tx.prepare_cached(
        "INSERT INTO resident_tags (id, community_code, resident_id, tag_id, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
    )?;
    st.execute(params![id, code, resident, tag, t, ctx.device_id])?;
    Ok(())
}

pub(crate) struct NewHousehold<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub grid_id: &'a str,
    pub building: &'a str,
    pub unit: &'a str,
    pub room: &'a str,
}

pub(crate) fn insert_household(tx: &Transaction, ctx: &mut Ctx, h: &NewHousehold) -> Result<()> {
    let t = ctx.stamp();
    let mut st = tx.prepare_cached(
        "INSERT INTO households (id, community_code, grid_id, building, unit, room, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
    )?;
    st.execute(params![
        h.id,
        h.code,
        h.grid_id,
        h.building,
        h.unit,
        h.room,
        t,
        ctx.device_id
    ])?;
    Ok(())
}

impl Store {
    // ---- tags ----

    pub fn list_tags(&self, community_code: &str) -> Result<Vec<TagRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT t.id, t.name, t.builtin,
                    (SELECT count(*) FROM resident_tags rt JOIN residents r ON r.id = rt.resident_id
                     WHERE rt.tag_id = t.id AND rt.deleted = 0 AND r.deleted = 0)
             FROM tags t WHERE t.community_code = ?1 AND t.deleted = 0 ORDER BY t.builtin DESC, t.created_at",
        )?;
        let rows = st.query_map([community_code], |r| {
            Ok(TagRow {
                id: r.get(0)?,
                name: r.get(1)?,
                builtin: r.get(2)?,
                residents: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn create_tag(&mut self, community_code: &str, name: &str) -> Result<String> {
        let name = name.trim();
        if name.is_empty() {
            return Err(invalid("name", "required"));
        }
        if name.chars().count() > 12 {
            return Err(invalid("name", "too_long"));
        }
        self.level_names(community_code)?;
        let exists: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM tags WHERE community_code = ?1 AND name = ?2 AND deleted = 0)",
            [community_code, name],
            |r| r.get(0),
        )?;
        if exists {
            return Err(invalid("name", "duplicate"));
        }
        self.write(|tx, ctx| {
            let id = ctx.new_id();
            insert_tag(tx, ctx, &id, community_code, name, false)?;
            Ok(id)
        })
    }

    // ---- households ----

    /// Households in a grid and its sub-grids (at most 2,000, by address).
    pub fn list_households(&self, grid_id: &str) -> Result<Vec<HouseholdRow>> {
        let grids = serde_json::to_string(&self.grid_subtree(grid_id)?).unwrap_or_default();
        let mut st = self.conn.prepare_cached(
            "SELECT h.id, h.grid_id, h.building, h.unit, h.room,
                    (SELECT count(*) FROM residents r WHERE r.household_id = h.id AND r.deleted = 0)
             FROM households h
             WHERE h.grid_id IN (SELECT value FROM json_each(?1)) AND h.deleted = 0
             ORDER BY h.building, h.unit, h.room LIMIT 2000",
        )?;
        let rows = st.query_map([grids], |r| {
            Ok(HouseholdRow {
                id: r.get(0)?,
                grid_id: r.get(1)?,
                building: r.get(2)?,
                unit: r.get(3)?,
                room: r.get(4)?,
                members: r.get(5)?,
            })
        })?;
        let mut out: Vec<HouseholdRow> = rows.collect::<rusqlite::Result<_>>()?;
        out.sort_by(|a, b| {
            crate::domain::grid::natural_cmp(&a.building, &b.building)
                .then_with(|| crate::domain::grid::natural_cmp(&a.unit, &b.unit))
                .then_with(|| crate::domain::grid::natural_cmp(&a.room, &b.room))
        });
        Ok(out)
    }

    pub fn save_household(&mut self, f: &HouseholdForm) -> Result<String> {
        let p = resident::validate_household(&f.building, &f.unit, &f.room, &f.grid_id);
        if !p.is_empty() {
            return Err(StoreError::Invalid(
                p.into_iter()
                    .map(|(f, c)| (f.to_string(), c.code().to_string()))
                    .collect(),
            ));
        }
        let code = self.grid_community_code(&f.grid_id)?;
        let (b, u, room) = (f.building.trim(), f.unit.trim(), f.room.trim());
        let dup: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM households WHERE grid_id = ?1 AND building = ?2 AND unit = ?3 AND room = ?4
                            AND deleted = 0 AND id != ?5)",
            params![f.grid_id, b, u, room, f.id],
            |r| r.get(0),
        )?;
        if dup {
            return Err(invalid("room", "duplicate"));
        }
        self.write(|tx, ctx| {
            if f.id.is_empty() {
                let id = ctx.new_id();
                insert_household(
                    tx,
                    ctx,
                    &NewHousehold {
                        id: &id,
                        code: &code,
                        grid_id: &f.grid_id,
                        building: b,
                        unit: u,
                        room,
                    },
                )?;
                Ok(id)
            } else {
                let t = ctx.stamp();
                let n = tx.execute(
                    concat!(
"UPDATE households SET ",
 rebase!(),
 "grid_id = ?1, building = ?2, unit = ?3, room = ?4, updated_at = ?5, updated_by = ?6
                     WHERE id = ?7 AND deleted = 0"),
                    params![f.grid_id, b, u, room, t, ctx.device_id, f.id],
                )?;
                if n == 0 {
                    return Err(StoreError::NotFound("household"));
                }
                // Members move with their household.
                tx.execute(
                    concat!(
                        "UPDATE residents SET ",
                        rebase!(),
                        "grid_id = ?1, updated_at = ?2, updated_by = ?3
                     WHERE household_id = ?4 AND deleted = 0 AND grid_id != ?1"
                    ),
                    params![f.grid_id, t, ctx.device_id, f.id],
                )?;
                Ok(f.id.clone())
            }
        })
    }

    fn grid_community_code(&self, grid_id: &str) -> Result<String> {
        self.conn
            .query_row(
                "SELECT community_code FROM grids WHERE id = ?1 AND deleted = 0",
                [grid_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| invalid("grid_id", "unknown"))
    }

    // ---- residents ----

    /// The WHERE clause (over `residents r`) and its arguments for a resident query: shared by
    /// the paged list and the spreadsheet export.
    pub(crate) fn resident_filter(&self, q: &ResidentQuery) -> Result<(String, Vec<Value>)> {
        // (Initials: `fill_initials` keeps `name_initials` filled for every name.)
        // An empty community code searches every community (the street office's view).
        let mut cond = vec!["r.deleted = 0".to_string()];
        let mut by_rowid = false;
        let mut args: Vec<Value> = Vec::new();
        if !q.community_code.is_empty() {
            cond.push("r.community_code = ?".into());
            args.push(Value::Text(q.community_code.clone()));
        }
        let text = q.text.trim();
        if !text.is_empty() {
            if let Some(t) = number_query(text) {
                let rev = glob_literal(&reversed(&t)) + "*";
                // Each branch on its own index (an OR of them would scan the street's
                // 200,000 rows): phone or ID number ending with the digits, a phone starting
                // with them, a landline starting with them once its dashes are dropped.
                cond.push(
                    "r.rowid IN (SELECT rowid FROM residents WHERE phone_rev GLOB ?
                     UNION ALL SELECT rowid FROM residents WHERE id_rev GLOB ?
                     UNION ALL SELECT rowid FROM residents WHERE phone GLOB ?
                     UNION ALL SELECT rowid FROM residents WHERE phone GLOB '0*' AND replace(phone, '-', '') GLOB ?)"
                        .into(),
                );
                // The few rows those branches find drive the query: `+` keeps SQLite from
                // walking the status index over the whole street instead (57 → 1 ms).
                cond[0] = "+r.deleted = 0".into();
                by_rowid = true;
                let prefix = glob_literal(&t) + "*";
                args.push(Value::Text(rev.clone()));
                args.push(Value::Text(rev));
                args.push(Value::Text(prefix.clone()));
                args.push(Value::Text(prefix));
            } else if crate::domain::pinyin::is_initials_query(text) {
                // "zs" finds 张三 (and 张三丰), "ann" Anna (letters are their own initials):
                // a prefix of an indexed column, never a scan.
                cond.push("r.name_initials GLOB ?".into());
                args.push(Value::Text(glob_literal(&text.to_ascii_lowercase()) + "*"));
            } else {
                cond.push("r.name LIKE ? ESCAPE '\\'".into());
                args.push(Value::Text(format!("%{}%", like_literal(text))));
            }
        }
        if let Some(g) = q.grid_id.as_deref().filter(|g| !g.is_empty()) {
            cond.push("r.grid_id IN (SELECT value FROM json_each(?))".into());
            args.push(Value::Text(
                serde_json::to_string(&self.grid_subtree(g)?).unwrap_or_default(),
            ));
        }
        match q.status.as_str() {
            "all" => {}
            "moved_out" | "deceased" => {
                cond.push(
                    if by_rowid {
                        "+r.status = ?"
                    } else {
                        "r.status = ?"
                    }
                    .into(),
                );
                args.push(Value::Text(q.status.clone()));
            }
            _ if by_rowid => cond.push("+r.status = 'active'".into()),
            _ => cond.push("r.status = 'active'".into()),
        }
        if let Some(t) = q.tag_id.as_deref().filter(|t| !t.is_empty()) {
            cond.push("EXISTS (SELECT 1 FROM resident_tags rt WHERE rt.resident_id = r.id AND rt.tag_id = ? AND rt.deleted = 0)".into());
            args.push(Value::Text(t.to_string()));
        }
        if by_rowid {
            for c in cond.iter_mut() {
                if c.starts_with("r.community_code") || c.starts_with("r.grid_id") {
                    c.insert(0, '+');
                }
            }
        }
        Ok((cond.join(" AND "), args))
    }

    /// How SQLite will count a list query and pick its page (`EXPLAIN QUERY PLAN` details):
    /// tests hold the lists to indexes, so they stay instant at street scale.
    pub fn resident_list_plan(&self, q: &ResidentQuery) -> Result<Vec<String>> {
        let (where_, args) = self.resident_filter(q)?;
        let mut out = Vec::new();
        for sql in [
            format!("SELECT count(*) FROM residents r WHERE {where_}"),
            format!(
                "SELECT r.rowid FROM residents r WHERE {where_} ORDER BY r.name, r.id LIMIT 50"
            ),
        ] {
            let mut st = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let rows = st.query_map(params_from_iter(args.iter()), |r| r.get::<_, String>(3))?;
            for r in rows {
                out.push(r?);
            }
        }
        Ok(out)
    }

    /// The two statements a resident search runs, with their arguments: the count, then the
    /// page (picked on the residents' index alone; only its rows are joined). The benchmark
    /// runs the very same through the official SQLite build.
    pub fn resident_search_sql(&self, q: &ResidentQuery) -> Result<(String, String, Vec<Value>)> {
        let (where_, args) = self.resident_filter(q)?;
        let limit = q.limit.clamp(1, 200);
        let page = format!(
            "SELECT r.id, r.name, r.gender, r.birth_date, coalesce(r.id_number, ''), coalesce(r.phone, ''),
                    g.name, coalesce(h.building || h.unit || h.room, ''),
                    (SELECT group_concat(t.name, ',') FROM resident_tags rt JOIN tags t ON t.id = rt.tag_id
                     WHERE rt.resident_id = r.id AND rt.deleted = 0 AND t.deleted = 0),
                    coalesce(r.household_id, ''), r.grid_id, r.status
             FROM residents r
             JOIN grids g ON g.id = r.grid_id
             LEFT JOIN households h ON h.id = r.household_id
             -- The page is picked on the residents' index alone; only its rows are joined.
             WHERE r.rowid IN (SELECT r.rowid FROM residents r WHERE {where_}
                               ORDER BY r.name, r.id LIMIT {limit} OFFSET {})
             ORDER BY r.name, r.id",
            q.offset
        );
        Ok((
            format!("SELECT count(*) FROM residents r WHERE {where_}"),
            page,
            args,
        ))
    }

    /// One page of residents and how many match. A name search (`LIKE '%…%'`) walks its index
    /// once: the matches' rowids are kept in list order (a materialized CTE, inside SQLite),
    /// counted, and the page is taken from them; at street scale it reads its 200,000 names
    /// once instead of twice (to count, then for the page). A search an index narrows (pinyin
    /// initials, digits) and a list with no text count on the index and pick the page with a
    /// bounded sort: keeping and sorting every match (thousands for two initials) cost twice
    /// as much (200 initials searches natively: p95 1.7 → 0.85 ms). Only the page's rows are
    /// joined.
    pub fn search_residents(&self, q: &ResidentQuery) -> Result<ResidentPage> {
        let (where_, args) = self.resident_filter(q)?;
        let limit = q.limit.clamp(1, 200);
        let offset = q.offset;
        let text = q.text.trim();
        let scan = !text.is_empty()
            && number_query(text).is_none()
            && !crate::domain::pinyin::is_initials_query(text);
        // (total, the page's rowids as a JSON array)
        let (total, page): (i64, String) = if scan {
            self.conn.query_row(
                &format!(
                    "WITH m(rid) AS MATERIALIZED (
                         SELECT r.rowid FROM residents r WHERE {where_} ORDER BY r.name, r.id)
                     SELECT (SELECT count(*) FROM m),
                            (SELECT json_group_array(rid) FROM
                               (SELECT rid FROM m LIMIT {limit} OFFSET {offset}))"
                ),
                params_from_iter(args.iter()),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
        } else {
            let total = self.conn.query_row(
                &format!("SELECT count(*) FROM residents r WHERE {where_}"),
                params_from_iter(args.iter()),
                |r| r.get(0),
            )?;
            let page = self.conn.query_row(
                &format!(
                    "SELECT json_group_array(rid) FROM
                       (SELECT r.rowid AS rid FROM residents r WHERE {where_}
                        ORDER BY r.name, r.id LIMIT {limit} OFFSET {offset})"
                ),
                params_from_iter(args.iter()),
                |r| r.get(0),
            )?;
            (total, page)
        };
        let mut st = self.conn.prepare_cached(
            "SELECT r.id, r.name, r.gender, r.birth_date, coalesce(r.id_number, ''), coalesce(r.phone, ''),
                    g.name, coalesce(h.building || h.unit || h.room, ''),
                    (SELECT group_concat(t.name, ',') FROM resident_tags rt JOIN tags t ON t.id = rt.tag_id
                     WHERE rt.resident_id = r.id AND rt.deleted = 0 AND t.deleted = 0),
                    coalesce(r.household_id, ''), r.grid_id, r.status
             FROM json_each(?1) j
             CROSS JOIN residents r ON r.rowid = j.value
             JOIN grids g ON g.id = r.grid_id
             LEFT JOIN households h ON h.id = r.household_id
             ORDER BY j.key",
        )?;
        let rows = st.query_map([page], |r| {
            let tags: Option<String> = r.get(8)?;
            Ok(ResidentRow {
                id: r.get(0)?,
                household_id: r.get(9)?,
                grid_id: r.get(10)?,
                name: r.get(1)?,
                gender: r.get(2)?,
                birth_date: r.get(3)?,
                id_number: r.get(4)?,
                phone: r.get(5)?,
                grid_name: r.get(6)?,
                address: r.get(7)?,
                tags: tags
                    .map(|t| t.split(',').map(str::to_string).collect())
                    .unwrap_or_default(),
                status: r.get(11)?,
            })
        })?;
        Ok(ResidentPage {
            total: total as u64,
            offset: q.offset,
            rows: rows.collect::<rusqlite::Result<_>>()?,
        })
    }

    pub fn get_resident(&self, id: &str) -> Result<ResidentForm> {
        let mut f = self
            .conn
            .query_row(
                "SELECT id, community_code, name, gender, birth_date, coalesce(id_number, ''), coalesce(phone, ''),
                        grid_id, coalesce(household_id, ''), relation, note
                 FROM residents WHERE id = ?1 AND deleted = 0",
                [id],
                |r| {
                    Ok(ResidentForm {
                        id: r.get(0)?,
                        community_code: r.get(1)?,
                        name: r.get(2)?,
                        gender: r.get(3)?,
                        birth_date: r.get(4)?,
                        id_number: r.get(5)?,
                        phone: r.get(6)?,
                        grid_id: r.get(7)?,
                        household_id: r.get(8)?,
                        relation: r.get(9)?,
                        note: r.get(10)?,
                        tag_ids: Vec::new(),
                        arrival: String::new(),
                    })
                },
            )
            .optional()?
            .ok_or(StoreError::NotFound("resident"))?;
        let mut st = self.conn.prepare_cached(
            "SELECT tag_id FROM resident_tags WHERE resident_id = ?1 AND deleted = 0",
        )?;
        f.tag_ids = st
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(f)
    }

    pub fn save_resident(&mut self, f: &ResidentForm) -> Result<String> {
        // The household decides the grid.
        let mut grid_id = f.grid_id.clone();
        let mut household = None;
        if !f.household_id.is_empty() {
            let h: Option<(String, String)> = self
                .conn
                .query_row(
                    "SELECT grid_id, community_code FROM households WHERE id = ?1 AND deleted = 0",
                    [&f.household_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            match h {
                Some((g, code)) if code == f.community_code => {
                    grid_id = g;
                    household = Some(f.household_id.as_str());
                }
                _ => return Err(invalid("household_id", "unknown")),
            }
        }
        // A phone in field mode holds some residents masked (外勤数据包): a masked ID number or
        // phone sent back unchanged is kept as it is (the office's real value wins on import),
        // so the worker can still correct the rest.
        type Stored = (Option<String>, Option<String>, String, String);
        let stored: Option<Stored> = if f.id.is_empty() {
            None
        } else {
            self.conn
                .query_row(
                    "SELECT id_number, phone, birth_date, gender FROM residents WHERE id = ?1",
                    [&f.id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?
        };
        let kept = |typed: &str, was: Option<&Option<String>>| -> Option<String> {
            let was = was?.as_deref()?;
            (tables::is_masked(typed) && typed.trim() == was).then(|| was.to_string())
        };
        let kept_id = kept(&f.id_number, stored.as_ref().map(|s| &s.0));
        let kept_phone = kept(&f.phone, stored.as_ref().map(|s| &s.1));
        let draft = ResidentDraft {
            name: &f.name,
            gender: &f.gender,
            birth_date: &f.birth_date,
            id_number: if kept_id.is_some() { "" } else { &f.id_number },
            phone: if kept_phone.is_some() { "" } else { &f.phone },
            grid_id: &grid_id,
        };
        let today = self.today();
        let mut problems: Vec<(String, String)> = Vec::new();
        // The birth date and gender must keep agreeing with the ID number this phone cannot
        // see: they stay as they are.
        if let (Some(_), Some(st)) = (&kept_id, &stored) {
            if f.birth_date.trim() != st.2 {
                problems.push(("birth_date".into(), "masked_id_locked".into()));
            }
            if f.gender.trim() != st.3 {
                problems.push(("gender".into(), "masked_id_locked".into()));
            }
        }
        let valid = resident::validate(&draft, today)
            .map_err(|p| {
                problems.extend(
                    p.into_iter()
                        .map(|(f, c)| (f.to_string(), c.code().to_string())),
                )
            })
            .ok();
        if !grid_id.is_empty() {
            match self.grid_community_code(&grid_id) {
                Ok(code) if code == f.community_code => {}
                _ => problems.push(("grid_id".into(), "unknown".into())),
            }
        }
        if let Some(v) = &valid {
            if let Some(idn) = &v.id_number {
                // `+deleted`: on the ID-number index; left to itself SQLite takes the name
                // index (community, deleted) and reads the whole community (33 ms at 13,000).
                let dup: bool = self.conn.query_row(
                    "SELECT EXISTS (SELECT 1 FROM residents WHERE community_code = ?1 AND id_number = ?2 AND +deleted = 0 AND id != ?3)",
                    params![f.community_code, idn, f.id],
                    |r| r.get(0),
                )?;
                if dup {
                    problems.push(("id_number".into(), "duplicate".into()));
                }
            }
        }
        let tag_ids: Vec<String> = {
            let mut t = f.tag_ids.clone();
            t.sort();
            t.dedup();
            t
        };
        for t in &tag_ids {
            let ok: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM tags WHERE id = ?1 AND community_code = ?2 AND deleted = 0)",
                [t, &f.community_code],
                |r| r.get(0),
            )?;
            if !ok {
                problems.push(("tag_ids".into(), "unknown".into()));
                break;
            }
        }
        if !matches!(f.arrival.as_str(), "" | "born" | "moved_in")
            || (!f.id.is_empty() && !f.arrival.is_empty())
        {
            problems.push(("arrival".into(), "unknown".into()));
        }
        let (Some(mut v), true) = (valid, problems.is_empty()) else {
            return Err(StoreError::Invalid(problems));
        };
        if kept_id.is_some() {
            v.id_number = kept_id;
        }
        if kept_phone.is_some() {
            v.phone = kept_phone;
        }
        let birth = v.birth_date.to_string();
        let code = f.community_code.as_str();
        let relation = f.relation.trim();
        let note = f.note.trim();
        self.write(|tx, ctx| {
            let id = if f.id.is_empty() {
                let id = ctx.new_id();
                insert_resident(
                    tx,
                    ctx,
                    &NewResident {
                        id: &id,
                        code,
                        grid_id: &grid_id,
                        household_id: household,
                        name: &v.name,
                        gender: v.gender.code(),
                        birth_date: &birth,
                        id_number: v.id_number.as_deref(),
                        phone: v.phone.as_deref(),
                        relation,
                        note,
                    },
                )?;
                if !f.arrival.is_empty() {
                    // Born here: the birth date; moved in: today.
                    let date = if f.arrival == "born" { birth.clone() } else { ctx.today().to_string() };
                    let t = ctx.stamp();
                    tx.execute(
                        "INSERT INTO resident_events (id, community_code, resident_id, kind, event_date, to_household_id,
                                                      created_at, updated_at, updated_by)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
                        params![ctx.new_id(), code, id, f.arrival, date, household, t, ctx.device_id],
                    )?;
                }
                id
            } else {
                let t = ctx.stamp();
                let n = tx.execute(
                    concat!(
"UPDATE residents SET ",
 rebase!(),
 "grid_id = ?1, household_id = ?2, name = ?3, gender = ?4, birth_date = ?5,
                            id_number = ?6, id_rev = ?7, phone = ?8, phone_rev = ?9, relation = ?10, note = ?11,
                            updated_at = ?12, updated_by = ?13
                     WHERE id = ?14 AND community_code = ?15 AND deleted = 0"),
                    params![
                        grid_id,
                        household,
                        v.name,
                        v.gender.code(),
                        birth,
                        v.id_number,
                        v.id_number.as_deref().map(reversed),
                        v.phone,
                        v.phone.as_deref().map(phone_key),
                        relation,
                        note,
                        t,
                        ctx.device_id,
                        f.id,
                        code
                    ],
                )?;
                if n == 0 {
                    return Err(StoreError::NotFound("resident"));
                }
                f.id.clone()
            };
            // Tag links: tombstone the removed ones, add the new ones.
            let mut st = tx.prepare_cached("SELECT id, tag_id FROM resident_tags WHERE resident_id = ?1 AND deleted = 0")?;
            let current: Vec<(String, String)> = st.query_map([&id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
            for (link, tag) in &current {
                if !tag_ids.contains(tag) {
                    tx.execute(
                        concat!(
"UPDATE resident_tags SET ",
 rebase!(),
 "deleted = 1, updated_at = ?1, updated_by = ?2 WHERE id = ?3"),
                        params![ctx.stamp(), ctx.device_id, link],
                    )?;
                }
            }
            for tag in &tag_ids {
                if !current.iter().any(|(_, t)| t == tag) {
                    insert_resident_tag(tx, ctx, code, &id, tag)?;
                }
            }
            Ok(id)
        })
    }

    pub fn delete_resident(&mut self, id: &str) -> Result<()> {
        self.write(|tx, ctx| {
            let t = ctx.stamp();
            let n = tx.execute(
                concat!(
                    "UPDATE residents SET ",
                    rebase!(),
                    "deleted = 1, updated_at = ?1, updated_by = ?2 WHERE id = ?3 AND deleted = 0"
                ),
                params![t, ctx.device_id, id],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound("resident"));
            }
            tx.execute(
                concat!(
"UPDATE resident_tags SET ",
 rebase!(),
 "deleted = 1, updated_at = ?1, updated_by = ?2 WHERE resident_id = ?3 AND deleted = 0"),
                params![t, ctx.device_id, id],
            )?;
            Ok(())
        })
    }
}

/// The residents whose name has no initials yet, on the partial index that holds only them.
/// Named: the initials indexes also hold id and name (migration 16), and without statistics
/// SQLite preferred walking one of them whole (200,000 entries) to reading the partial index
/// and the few rows it points to: ~10 ms added to every save at street scale.
const PENDING_INITIALS: &str =
    "SELECT id, name FROM residents INDEXED BY residents_initials_pending WHERE name_initials IS NULL";

/// Fills the pinyin initials of every resident whose name has none yet (new, renamed, imported
/// or older rows); a partial index finds them, so with nothing to do this is one probe.
pub(crate) fn fill_initials(conn: &rusqlite::Connection) -> Result<()> {
    let pending: Vec<(String, String)> = conn
        .prepare_cached(PENDING_INITIALS)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut st = conn.prepare_cached("UPDATE residents SET name_initials = ?1 WHERE id = ?2")?;
    for (id, name) in pending {
        st.execute(params![crate::domain::pinyin::initials(&name), id])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::PENDING_INITIALS;
    use crate::storage::Store;

    fn plan(s: &Store) -> String {
        let mut st = s
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {PENDING_INITIALS}"))
            .unwrap();
        let rows = st.query_map([], |r| r.get::<_, String>(3)).unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
    }

    /// Every write looks for names without initials: on the partial index of those alone, with
    /// or without the planner's statistics, never a walk of an index of every resident.
    #[test]
    fn names_without_initials_are_found_on_their_partial_index() {
        let mut s = Store::open_in_memory(|| 1_764_000_000_000, 1).unwrap();
        s.load_sample(&crate::domain::sample::SampleOptions::community(
            1,
            1_764_000_000_000,
        ))
        .unwrap();
        let before = plan(&s);
        s.conn().execute_batch("ANALYZE").unwrap();
        for p in [before, plan(&s)] {
            assert!(
                p.contains("residents_initials_pending")
                    && !p.starts_with("SCAN residents USING COVERING"),
                "{p}"
            );
        }
    }
}
