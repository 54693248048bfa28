//! Staff and their duties on grids (link records with ids and tombstones).

use super::{invalid, rebase, Ctx, Result, Store, StoreError};
use crate::domain::resident::normalize_phone;
use crate::domain::staff::{Duty, Role};
use crate::protocol::{StaffForm, StaffGrid, StaffRow};
use rusqlite::{params, OptionalExtension, Transaction};
use std::collections::HashMap;

pub(crate) fn insert_staff(
    tx: &Transaction,
    ctx: &mut Ctx,
    code: &str,
    name: &str,
    role: Role,
    phone: &str,
) -> Result<String> {
    let id = ctx.new_id();
    insert_staff_with_id(tx, ctx, &id, code, name, role, phone)?;
    Ok(id)
}

pub(crate) fn insert_staff_with_id(
    tx: &Transaction,
    ctx: &mut Ctx,
    id: &str,
    code: &str,
    name: &str,
    role: Role,
    phone: &str,
) -> Result<()> {
    let t = ctx.stamp();
    tx.execute(
        "INSERT INTO staff (id, community_code, name, role, phone, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
        params![id, code, name, role.code(), phone, t, ctx.device_id],
    )?;
    Ok(())
}

pub(crate) fn insert_link(
    tx: &Transaction,
    ctx: &mut Ctx,
    code: &str,
    grid: &str,
    staff: &str,
    duty: &str,
) -> Result<String> {
    let id = ctx.new_id();
    insert_link_with_id(tx, ctx, &id, code, grid, staff, duty)?;
    Ok(id)
}

pub(crate) fn insert_link_with_id(
    tx: &Transaction,
    ctx: &mut Ctx,
    id: &str,
    code: &str,
    grid: &str,
    staff: &str,
    duty: &str,
) -> Result<()> {
    let t = ctx.stamp();
    tx.execute(
        "INSERT INTO grid_staff (id, community_code, grid_id, staff_id, duty, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
        params![id, code, grid, staff, duty, t, ctx.device_id],
    )?;
    Ok(())
}

impl Store {
    fn staff_grids(&self, community_code: &str) -> Result<HashMap<String, Vec<StaffGrid>>> {
        let mut st = self.conn.prepare_cached(
            "SELECT l.staff_id, l.id, l.grid_id, g.name, l.duty
             FROM grid_staff l JOIN grids g ON g.id = l.grid_id
             WHERE l.community_code = ?1 AND l.deleted = 0 AND g.deleted = 0
             ORDER BY g.level, g.name",
        )?;
        let mut map: HashMap<String, Vec<StaffGrid>> = HashMap::new();
        let rows = st.query_map([community_code], |r| {
            Ok((
                r.get::<_, String>(0)?,
                StaffGrid {
                    link_id: r.get(1)?,
                    grid_id: r.get(2)?,
                    grid_name: r.get(3)?,
                    duty: r.get(4)?,
                },
            ))
        })?;
        for row in rows {
            let (staff, g) = row?;
            map.entry(staff).or_default().push(g);
        }
        Ok(map)
    }

    pub fn list_staff(&self, community_code: &str) -> Result<Vec<StaffRow>> {
        let mut grids = self.staff_grids(community_code)?;
        let mut st = self.conn.prepare_cached(
            "SELECT id, community_code, name, role, phone FROM staff
             WHERE community_code = ?1 AND deleted = 0 ORDER BY role, name",
        )?;
        let rows = st.query_map([community_code], |r| {
            Ok(StaffRow {
                id: r.get(0)?,
                community_code: r.get(1)?,
                name: r.get(2)?,
                role: r.get(3)?,
                phone: r.get(4)?,
                grids: Vec::new(),
            })
        })?;
        let mut out: Vec<StaffRow> = rows.collect::<rusqlite::Result<_>>()?;
        for s in &mut out {
            s.grids = grids.remove(&s.id).unwrap_or_default();
        }
        Ok(out)
    }

    pub fn staff_row(&self, id: &str) -> Result<Option<StaffRow>> {
        let row = self
            .conn
            .query_row(
                "SELECT id, community_code, name, role, phone FROM staff WHERE id = ?1 AND deleted = 0",
                [id],
                |r| Ok(StaffRow { id: r.get(0)?, community_code: r.get(1)?, name: r.get(2)?, role: r.get(3)?, phone: r.get(4)?, grids: Vec::new() }),
            )
            .optional()?;
        Ok(match row {
            Some(mut row) => {
                row.grids = self
                    .staff_grids(&row.community_code)?
                    .remove(&row.id)
                    .unwrap_or_default();
                Some(row)
            }
            None => None,
        })
    }

    pub fn save_staff(&mut self, f: &StaffForm) -> Result<String> {
        let mut p = Vec::new();
        let name = f.name.trim();
        if name.is_empty() {
            p.push(("name".to_string(), "required".to_string()));
        }
        let role = Role::from_code(&f.role);
        if role.is_none() {
            p.push(("role".into(), "required".into()));
        }
        let phone = if f.phone.trim().is_empty() {
            Some(String::new())
        } else {
            normalize_phone(&f.phone)
        };
        if phone.is_none() {
            p.push(("phone".into(), "phone_format".into()));
        }
        let (Some(role), Some(phone), true) = (role, phone, p.is_empty()) else {
            return Err(StoreError::Invalid(p));
        };
        self.level_names(&f.community_code)?; // the community exists
        self.write(|tx, ctx| {
            if f.id.is_empty() {
                insert_staff(tx, ctx, &f.community_code, name, role, &phone)
            } else {
                let n = tx.execute(
                    concat!(
                        "UPDATE staff SET ",
                        rebase!(),
                        "name = ?1, role = ?2, phone = ?3, updated_at = ?4, updated_by = ?5
                     WHERE id = ?6 AND deleted = 0"
                    ),
                    params![name, role.code(), phone, ctx.stamp(), ctx.device_id, f.id],
                )?;
                if n == 0 {
                    return Err(StoreError::NotFound("staff"));
                }
                Ok(f.id.clone())
            }
        })
    }

    pub fn assign_staff(&mut self, grid_id: &str, staff_id: &str, duty: &str) -> Result<String> {
        let duty = Duty::from_code(duty).ok_or_else(|| invalid("duty", "required"))?;
        let (code, staff_code): (String, Option<String>) = self
            .conn
            .query_row(
                "SELECT g.community_code, (SELECT community_code FROM staff WHERE id = ?2 AND deleted = 0)
                 FROM grids g WHERE g.id = ?1 AND g.deleted = 0",
                [grid_id, staff_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(StoreError::NotFound("grid"))?;
        if staff_code.as_deref() != Some(code.as_str()) {
            return Err(StoreError::NotFound("staff"));
        }
        let exists: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM grid_staff WHERE grid_id = ?1 AND staff_id = ?2 AND duty = ?3 AND deleted = 0)",
            [grid_id, staff_id, duty.code()],
            |r| r.get(0),
        )?;
        if exists {
            return Err(StoreError::Refused("already_assigned"));
        }
        self.write(|tx, ctx| insert_link(tx, ctx, &code, grid_id, staff_id, duty.code()))
    }

    pub fn unassign_staff(&mut self, link_id: &str) -> Result<()> {
        self.write(|tx, ctx| {
            let n = tx.execute(
                concat!(
                    "UPDATE grid_staff SET ",
                    rebase!(),
                    "deleted = 1, updated_at = ?1, updated_by = ?2 WHERE id = ?3 AND deleted = 0"
                ),
                params![ctx.stamp(), ctx.device_id, link_id],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound("assignment"));
            }
            Ok(())
        })
    }
}
