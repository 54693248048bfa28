//! Residents' ledgers (居民台账) in and out: a plan from `domain::ledger` checked against the
//! database (grids, residents already there) and written in one transaction; resident lists
//! as spreadsheet tables.

use super::office::insert_tag;
use super::residents::{
    insert_household, insert_resident, insert_resident_tag, phone_key, reversed, NewHousehold,
    NewResident,
};
use super::{rebase, Result, Store};
use crate::domain::bundle::tables::{mask_if, Mask};
use crate::domain::ledger::{self, Cell, GridIndex, GridRef, Mapping, Plan, PlanInput};
use crate::protocol::{LedgerDone, ResidentQuery};
use rusqlite::{params, params_from_iter, OptionalExtension};
use std::collections::HashMap;

/// Residents already in the community, for matching rows: by ID number, and by name and
/// birth date among those without one.
struct Known {
    by_id: HashMap<String, String>,
    by_name_birth: HashMap<(String, String), String>,
}

impl ledger::Existing for Known {
    fn by_id_number(&self, id_number: &str) -> Option<String> {
        self.by_id.get(id_number).cloned()
    }
    fn by_name_birth(&self, name: &str, birth: &str) -> Option<String> {
        self.by_name_birth
            .get(&(name.to_string(), birth.to_string()))
            .cloned()
    }
}

/// A table of text for a spreadsheet: headers and rows.
pub struct TextTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Which personal fields an export masks.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExportMask {
    pub name: bool,
    pub id_number: bool,
    pub phone: bool,
}

impl Store {
    /// The community's grids for resolving the names a ledger writes.
    pub fn grid_index(&self, community_code: &str) -> Result<GridIndex> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, parent_id, name FROM grids WHERE community_code = ?1 AND deleted = 0",
        )?;
        let grids = st
            .query_map([community_code], |r| {
                Ok(GridRef {
                    id: r.get(0)?,
                    parent_id: r.get(1)?,
                    name: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(GridIndex::new(grids))
    }

    fn known_residents(&self, community_code: &str) -> Result<Known> {
        let mut known = Known {
            by_id: HashMap::new(),
            by_name_birth: HashMap::new(),
        };
        let mut st = self.conn.prepare(
            "SELECT id, id_number, name, birth_date FROM residents
             WHERE community_code = ?1 AND deleted = 0",
        )?;
        let mut rows = st.query([community_code])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            match r.get::<_, Option<String>>(1)? {
                Some(idn) if !idn.is_empty() => {
                    known.by_id.insert(idn, id);
                }
                _ => {
                    known.by_name_birth.insert((r.get(2)?, r.get(3)?), id);
                }
            }
        }
        Ok(known)
    }

    /// Reads, checks and matches a ledger's rows against the community. Nothing is written.
    pub fn plan_ledger(
        &self,
        community_code: &str,
        rows: &[(u32, Vec<Cell>)],
        headers: &[String],
        mapping: &Mapping,
        default_grid: Option<&str>,
    ) -> Result<Plan> {
        let grids = self.grid_index(community_code)?;
        let default_grid = match default_grid.filter(|g| !g.is_empty()) {
            Some(g) => {
                let code: Option<String> = self
                    .conn
                    .query_row(
                        "SELECT community_code FROM grids WHERE id = ?1 AND deleted = 0",
                        [g],
                        |r| r.get(0),
                    )
                    .optional()?;
                if code.as_deref() != Some(community_code) {
                    return Err(super::invalid("default_grid", "unknown"));
                }
                Some(g)
            }
            None => None,
        };
        let known = self.known_residents(community_code)?;
        Ok(ledger::plan(
            &PlanInput {
                rows,
                headers,
                mapping,
                grids: &grids,
                default_grid,
                today: self.today(),
            },
            &known,
        ))
    }

    /// Writes a plan's rows in one transaction: new residents, updates of the matched ones
    /// (cells left empty keep what the ledger has; tags are added, never removed), the
    /// households and tags the rows name. `progress(done, total)` every few hundred rows.
    pub fn apply_ledger(
        &mut self,
        community_code: &str,
        plan: &Plan,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<LedgerDone> {
        let code = community_code;
        let total = plan.rows.len() as u64;
        self.write(|tx, ctx| {
            let mut done = LedgerDone::default();
            let mut tags: HashMap<String, String> = HashMap::new();
            {
                let mut st = tx.prepare(
                    "SELECT name, id FROM tags WHERE community_code = ?1 AND deleted = 0",
                )?;
                let mut rows = st.query([code])?;
                while let Some(r) = rows.next()? {
                    tags.insert(r.get(0)?, r.get(1)?);
                }
            }
            let mut homes: HashMap<(String, String, String, String), String> = HashMap::new();
            {
                let mut st = tx.prepare(
                    "SELECT grid_id, building, unit, room, id FROM households
                     WHERE community_code = ?1 AND deleted = 0",
                )?;
                let mut rows = st.query([code])?;
                while let Some(r) = rows.next()? {
                    homes.insert((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?), r.get(4)?);
                }
            }
            for (i, row) in plan.rows.iter().enumerate() {
                if i % 500 == 0 {
                    progress(i as u64, total);
                }
                // The resident's household, found or created.
                let household = match &row.household {
                    Some((b, u, r)) => {
                        let key = (row.grid_id.clone(), b.clone(), u.clone(), r.clone());
                        Some(match homes.get(&key) {
                            Some(id) => id.clone(),
                            None => {
                                let id = ctx.new_id();
                                insert_household(
                                    tx,
                                    ctx,
                                    &NewHousehold {
                                        id: &id,
                                        code,
                                        grid_id: &row.grid_id,
                                        building: b,
                                        unit: u,
                                        room: r,
                                    },
                                )?;
                                done.households_created += 1;
                                homes.insert(key, id.clone());
                                id
                            }
                        })
                    }
                    None => None,
                };
                let v = &row.resident;
                let birth = v.birth_date.to_string();
                let resident_id = match &row.existing {
                    None => {
                        let id = ctx.new_id();
                        insert_resident(
                            tx,
                            ctx,
                            &NewResident {
                                id: &id,
                                code,
                                grid_id: &row.grid_id,
                                household_id: household.as_deref(),
                                name: &v.name,
                                gender: v.gender.code(),
                                birth_date: &birth,
                                id_number: v.id_number.as_deref(),
                                phone: v.phone.as_deref(),
                                relation: &row.relation,
                                note: &row.note,
                            },
                        )?;
                        done.created += 1;
                        id
                    }
                    Some(id) => {
                        let t = ctx.stamp();
                        let grid = row.grid_from_row.then_some(row.grid_id.as_str());
                        // The household's grid wins over the resident's own.
                        let mut st = tx.prepare_cached(concat!(
                            "UPDATE residents SET ",
                            rebase!(),
                            "name = ?1, gender = ?2, birth_date = ?3,
                             id_number = coalesce(?4, id_number), id_rev = coalesce(?5, id_rev),
                             phone = coalesce(?6, phone), phone_rev = coalesce(?7, phone_rev),
                             relation = CASE WHEN ?8 = '' THEN relation ELSE ?8 END,
                             note = CASE WHEN ?9 = '' THEN note ELSE ?9 END,
                             household_id = coalesce(?10, household_id),
                             grid_id = CASE WHEN ?10 IS NOT NULL THEN ?11 ELSE coalesce(?12, grid_id) END,
                             updated_at = ?13, updated_by = ?14
                             WHERE id = ?15 AND deleted = 0"
                        ))?;
                        st.execute(params![
                            v.name,
                            v.gender.code(),
                            birth,
                            v.id_number,
                            v.id_number.as_deref().map(reversed),
                            v.phone,
                            v.phone.as_deref().map(phone_key),
                            row.relation,
                            row.note,
                            household,
                            row.grid_id,
                            grid,
                            t,
                            ctx.device_id,
                            id
                        ])?;
                        done.updated += 1;
                        id.clone()
                    }
                };
                for name in &row.tags {
                    let tag = match tags.get(name) {
                        Some(t) => t.clone(),
                        None => {
                            let id = ctx.new_id();
                            insert_tag(tx, ctx, &id, code, name, false)?;
                            done.tags_created.push(name.clone());
                            tags.insert(name.clone(), id.clone());
                            id
                        }
                    };
                    let linked: bool = tx
                        .prepare_cached(
                            "SELECT EXISTS (SELECT 1 FROM resident_tags
                             WHERE resident_id = ?1 AND tag_id = ?2 AND deleted = 0)",
                        )?
                        .query_row([&resident_id, &tag], |r| r.get(0))?;
                    if !linked {
                        insert_resident_tag(tx, ctx, code, &resident_id, &tag)?;
                    }
                }
            }
            progress(total, total);
            Ok(done)
        })
    }

    /// Every resident a query finds (no paging), as a table with the headers a ledger import
    /// reads back; `mask` hides personal fields as the bundle export does.
    pub fn export_residents(&self, q: &ResidentQuery, mask: ExportMask) -> Result<TextTable> {
        let (where_, args) = self.resident_filter(q)?;
        let mut paths: HashMap<String, String> = HashMap::new();
        let sql = format!(
            "SELECT r.name, r.gender, r.birth_date, coalesce(r.id_number, ''), coalesce(r.phone, ''),
                    r.grid_id, r.community_code, coalesce(h.building, ''), coalesce(h.unit, ''),
                    coalesce(h.room, ''), r.relation,
                    (SELECT group_concat(t.name, '、') FROM resident_tags rt JOIN tags t ON t.id = rt.tag_id
                     WHERE rt.resident_id = r.id AND rt.deleted = 0 AND t.deleted = 0),
                    r.note, c.name
             FROM residents r
             LEFT JOIN households h ON h.id = r.household_id
             LEFT JOIN communities c ON c.community_code = r.community_code
             WHERE {where_}
             ORDER BY r.community_code, r.name, r.id"
        );
        let street = q.community_code.is_empty();
        let mut headers: Vec<String> = Vec::new();
        if street {
            headers.push("社区".into());
        }
        headers.extend(
            [
                "姓名",
                "性别",
                "出生日期",
                "身份证号",
                "联系电话",
                "所属网格",
                "楼栋",
                "单元",
                "门牌号",
                "与户主关系",
                "标签",
                "备注",
            ]
            .map(String::from),
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(params_from_iter(args.iter()))?;
        let mut out = Vec::new();
        let mut indexes: HashMap<String, GridIndex> = HashMap::new();
        while let Some(r) = rows.next()? {
            let name: String = r.get(0)?;
            let gender: String = r.get(1)?;
            let id_number: String = r.get(3)?;
            let phone: String = r.get(4)?;
            let grid_id: String = r.get(5)?;
            let community: String = r.get(6)?;
            let path = match paths.get(&grid_id) {
                Some(p) => p.clone(),
                None => {
                    if !indexes.contains_key(&community) {
                        indexes.insert(community.clone(), self.grid_index(&community)?);
                    }
                    let p = indexes[&community].path(&grid_id);
                    paths.insert(grid_id.clone(), p.clone());
                    p
                }
            };
            let mut line = Vec::with_capacity(headers.len());
            if street {
                line.push(r.get::<_, Option<String>>(13)?.unwrap_or(community.clone()));
            }
            line.extend([
                mask_if(mask.name, Mask::Name, &name),
                match gender.as_str() {
                    "M" => "男".into(),
                    "F" => "女".into(),
                    _ => gender,
                },
                r.get(2)?,
                mask_if(mask.id_number, Mask::IdNumber, &id_number),
                mask_if(mask.phone, Mask::Phone, &phone),
                path,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get::<_, Option<String>>(11)?.unwrap_or_default(),
                r.get(12)?,
            ]);
            out.push(line);
        }
        Ok(TextTable { headers, rows: out })
    }
}
