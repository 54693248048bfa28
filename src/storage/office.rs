//! The office profile (community or street), this device's name and current actor, and the
//! status the UI starts from.

use super::{invalid, rebase, Ctx, Result, Store, StoreError};
use crate::domain::division::{self, CodeError};
use crate::domain::grid::DEFAULT_LEVELS;
use crate::domain::sample::KEY_TAGS;
use crate::domain::staff::Role;
use crate::protocol::{CommunityRow, CommunitySetup, Office, OfficeKind, StaffRow, StreetSetup};
use rusqlite::{params, OptionalExtension, Transaction};

fn code_problem(e: CodeError) -> &'static str {
    match e {
        CodeError::Empty => "required",
        CodeError::Digits(12) => "digits_12",
        CodeError::Digits(_) => "digits_9",
    }
}

fn required(p: &mut Vec<(String, String)>, field: &str, value: &str) {
    if value.trim().is_empty() {
        p.push((field.to_string(), "required".to_string()));
    } else if value.trim().chars().count() > 40 {
        p.push((field.to_string(), "too_long".to_string()));
    }
}

/// Inserts a community with its root grid.
pub(crate) fn insert_community(
    tx: &Transaction,
    ctx: &mut Ctx,
    name: &str,
    code: &str,
    street_name: &str,
    root: &str,
) -> Result<()> {
    let t = ctx.stamp();
    let levels = serde_json::to_string(&DEFAULT_LEVELS).unwrap_or_default();
    tx.execute(
        "INSERT INTO communities (id, community_code, name, street_name, street_code, level_names,
                                  created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
        params![
            ctx.new_id(),
            code,
            name,
            street_name,
            division::street_of(code),
            levels,
            t,
            ctx.device_id
        ],
    )?;
    tx.execute(
        "INSERT INTO grids (id, community_code, parent_id, level, name, created_at, updated_at, updated_by)
         VALUES (?1, ?2, NULL, 0, ?3, ?4, ?4, ?5)",
        params![root, code, name, t, ctx.device_id],
    )?;
    Ok(())
}

pub(crate) fn insert_tag(
    tx: &Transaction,
    ctx: &mut Ctx,
    id: &str,
    code: &str,
    name: &str,
    builtin: bool,
) -> Result<()> {
    let t = ctx.stamp();
    tx.execute(
        "INSERT INTO tags (id, community_code, name, builtin, visit_days, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
        params![
            id,
            code,
            name,
            builtin,
            // Built-in key groups come with their visit cadence; a tag made here has none.
            if builtin { crate::domain::care::default_cadence(name) } else { 0 },
            t,
            ctx.device_id
        ],
    )?;
    Ok(())
}

impl Store {
    pub fn office(&self) -> Result<Option<Office>> {
        Ok(self
            .conn
            .query_row(
                "SELECT kind, name, code, street_name, street_code FROM office WHERE id = 1",
                [],
                |r| {
                    let kind: String = r.get(0)?;
                    Ok(Office {
                        kind: if kind == "street" {
                            OfficeKind::Street
                        } else {
                            OfficeKind::Community
                        },
                        name: r.get(1)?,
                        code: r.get(2)?,
                        street_name: r.get(3)?,
                        street_code: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    fn ensure_not_set_up(&self) -> Result<()> {
        if self.office()?.is_some() {
            return Err(StoreError::AlreadySetUp);
        }
        Ok(())
    }

    pub fn setup_community(&mut self, s: &CommunitySetup) -> Result<()> {
        self.ensure_not_set_up()?;
        let mut p = Vec::new();
        required(&mut p, "name", &s.name);
        let code = division::community_code(&s.code)
            .map_err(|e| p.push(("code".into(), code_problem(e).into())))
            .ok();
        required(&mut p, "street_name", &s.street_name);
        required(&mut p, "device_name", &s.device_name);
        required(&mut p, "actor_name", &s.actor_name);
        let role = Role::from_code(&s.actor_role);
        if role.is_none() {
            p.push(("actor_role".into(), "required".into()));
        }
        let (Some(code), Some(role), true) = (code, role, p.is_empty()) else {
            return Err(StoreError::Invalid(p));
        };
        let actor = self.write(|tx, ctx| {
            let name = s.name.trim();
            let street = s.street_name.trim();
            tx.execute(
                "INSERT INTO office (id, kind, name, code, street_name, street_code) VALUES (1, 'community', ?1, ?2, ?3, ?4)",
                params![name, code, street, division::street_of(&code)],
            )?;
            let root = ctx.new_id();
            insert_community(tx, ctx, name, &code, street, &root)?;
            for tag in KEY_TAGS {
                let id = ctx.new_id();
                insert_tag(tx, ctx, &id, &code, tag, true)?;
            }
            let actor = super::staff::insert_staff(tx, ctx, &code, s.actor_name.trim(), role, "")?;
            super::staff::insert_link(tx, ctx, &code, &root, &actor, "worker")?;
            Ok(actor)
        })?;
        self.set_local("device_name", s.device_name.trim())?;
        self.set_local("actor_staff_id", &actor)?;
        Ok(())
    }

    pub fn setup_street(&mut self, s: &StreetSetup) -> Result<()> {
        self.ensure_not_set_up()?;
        let mut p = Vec::new();
        required(&mut p, "name", &s.name);
        let code = division::street_code(&s.code)
            .map_err(|e| p.push(("code".into(), code_problem(e).into())))
            .ok();
        required(&mut p, "device_name", &s.device_name);
        required(&mut p, "actor_name", &s.actor_name);
        let (Some(code), true) = (code, p.is_empty()) else {
            return Err(StoreError::Invalid(p));
        };
        self.write(|tx, _| {
            tx.execute(
                "INSERT INTO office (id, kind, name, code, street_name, street_code) VALUES (1, 'street', ?1, ?2, ?1, ?2)",
                params![s.name.trim(), code],
            )?;
            Ok(())
        })?;
        self.set_local("device_name", s.device_name.trim())?;
        self.set_local("actor_name", s.actor_name.trim())?;
        Ok(())
    }

    /// A fresh device set up from a full backup (every community of the office, nothing
    /// masked, not one grid, not only the changes): the office is the backup's source, every
    /// record comes back, all or nothing. The person using this device is the staff member of
    /// that name (a community) or, if there is none, added as a community cadre.
    pub fn restore_backup(
        &mut self,
        bundle: &crate::domain::bundle::Bundle,
        file_name: &str,
        device_name: &str,
        actor_name: &str,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<crate::protocol::ImportReport> {
        self.ensure_not_set_up()?;
        if bundle.scope.field.is_some() {
            // A grid worker's field bundle: the phone works as that worker.
            return self.setup_field(bundle, file_name, device_name, progress);
        }
        let mut p = Vec::new();
        required(&mut p, "device_name", device_name);
        required(&mut p, "actor_name", actor_name);
        if !p.is_empty() {
            return Err(StoreError::Invalid(p));
        }
        if bundle.scope.grid_id.is_some() || bundle.scope.since.is_some() {
            return Err(StoreError::Refused("restore_partial"));
        }
        // A street's records may hold the masked values its communities sent; a community's
        // backup is never masked.
        if !bundle.masked.is_empty() && bundle.source.kind == "community" {
            return Err(StoreError::Refused("restore_masked"));
        }
        let src = &bundle.source;
        let office = match src.kind.as_str() {
            "community" => {
                community_office(bundle).ok_or(StoreError::Refused("restore_partial"))?
            }
            "street" => {
                let code = division::street_code(&src.code)
                    .map_err(|_| StoreError::Refused("restore_partial"))?;
                Office {
                    kind: OfficeKind::Street,
                    name: src.name.clone(),
                    street_name: src.name.clone(),
                    street_code: code.clone(),
                    code,
                }
            }
            _ => return Err(StoreError::Refused("restore_partial")),
        };
        let actor = actor_name.trim();
        let report = self.restore_import(bundle, file_name, &office, actor, progress)?;
        self.set_local("device_name", device_name.trim())?;
        if office.kind == OfficeKind::Street {
            self.set_local("actor_name", actor)?;
            return Ok(report);
        }
        let known: Option<String> = self
            .conn
            .query_row(
                "SELECT id FROM staff WHERE community_code = ?1 AND name = ?2 AND deleted = 0
                 ORDER BY id LIMIT 1",
                params![office.code, actor],
                |r| r.get(0),
            )
            .optional()?;
        let id = match known {
            Some(id) => id,
            None => self.write(|tx, ctx| {
                super::staff::insert_staff(tx, ctx, &office.code, actor, Role::CommunityCadre, "")
            })?,
        };
        self.set_local("actor_staff_id", &id)?;
        Ok(report)
    }

    pub fn set_device(&mut self, device_name: &str, actor_staff_id: Option<&str>) -> Result<()> {
        if device_name.trim().is_empty() {
            return Err(invalid("device_name", "required"));
        }
        self.set_local("device_name", device_name.trim())?;
        if let Some(id) = actor_staff_id {
            if self.staff_row(id)?.is_none() {
                return Err(StoreError::NotFound("staff"));
            }
            self.set_local("actor_staff_id", id)?;
        }
        Ok(())
    }

    /// Who is using this device: a staff member, or (at a street office) a named person.
    pub fn actor(&self) -> Result<Option<StaffRow>> {
        if let Some(id) = self.local("actor_staff_id")? {
            if let Some(row) = self.staff_row(&id)? {
                return Ok(Some(row));
            }
        }
        Ok(self.local("actor_name")?.map(|name| StaffRow {
            id: String::new(),
            community_code: String::new(),
            name,
            role: Role::StreetCadre.code().into(),
            phone: String::new(),
            grids: Vec::new(),
        }))
    }

    pub fn communities(&self) -> Result<Vec<CommunityRow>> {
        let mut st = self.conn.prepare(
            "SELECT c.community_code, c.name, c.street_name, c.level_names,
                    (SELECT count(*) FROM grids g WHERE g.community_code = c.community_code AND g.deleted = 0)
             FROM communities c WHERE c.deleted = 0 ORDER BY c.community_code",
        )?;
        let rows = st.query_map([], |r| {
            let levels: String = r.get(3)?;
            Ok(CommunityRow {
                code: r.get(0)?,
                name: r.get(1)?,
                street_name: r.get(2)?,
                level_names: serde_json::from_str(&levels).unwrap_or_default(),
                grids: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn level_names(&self, community_code: &str) -> Result<Vec<String>> {
        let s: Option<String> = self
            .conn
            .query_row(
                "SELECT level_names FROM communities WHERE community_code = ?1 AND deleted = 0",
                [community_code],
                |r| r.get(0),
            )
            .optional()?;
        let s = s.ok_or(StoreError::NotFound("community"))?;
        Ok(serde_json::from_str(&s)
            .unwrap_or_else(|_| DEFAULT_LEVELS.iter().map(|s| s.to_string()).collect()))
    }

    /// Renames the grid levels; there must be at least two and at most six, none empty, and
    /// no fewer than the tree already uses.
    pub fn set_level_names(&mut self, community_code: &str, names: &[String]) -> Result<()> {
        let names: Vec<String> = names.iter().map(|n| n.trim().to_string()).collect();
        if names.len() < 2
            || names.len() > 6
            || names.iter().any(|n| n.is_empty() || n.chars().count() > 10)
        {
            return Err(invalid("level_names", "level_names"));
        }
        let deepest: Option<i64> = self.conn.query_row(
            "SELECT max(level) FROM grids WHERE community_code = ?1 AND deleted = 0",
            [community_code],
            |r| r.get(0),
        )?;
        if deepest.unwrap_or(0) as usize >= names.len() {
            return Err(invalid("level_names", "levels_in_use"));
        }
        let json = serde_json::to_string(&names).unwrap_or_default();
        self.write(|tx, ctx| {
            let n = tx.execute(
                concat!(
                    "UPDATE communities SET ",
                    rebase!(),
                    "level_names = ?1, updated_at = ?2, updated_by = ?3
                 WHERE community_code = ?4 AND deleted = 0"
                ),
                params![json, ctx.stamp(), ctx.device_id, community_code],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound("community"));
            }
            Ok(())
        })
    }
}

/// The community office a bundle comes from: its source, a community in its scope, with the
/// street's name from the community's record. `None` when the bundle is not a community's.
pub(super) fn community_office(bundle: &crate::domain::bundle::Bundle) -> Option<Office> {
    let src = &bundle.source;
    let code = division::community_code(&src.code)
        .ok()
        .filter(|c| src.kind == "community" && bundle.scope.communities.contains(c))?;
    let street_name = bundle
        .tables
        .get("communities")
        .and_then(|rows| {
            rows.iter()
                .find(|r| crate::domain::bundle::text(r, "community_code") == Some(code.as_str()))
        })
        .and_then(|r| crate::domain::bundle::text(r, "street_name"))
        .unwrap_or_default()
        .to_string();
    Some(Office {
        kind: OfficeKind::Community,
        name: src.name.clone(),
        street_code: division::street_of(&code).to_string(),
        code,
        street_name,
    })
}
