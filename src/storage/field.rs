//! Field bundles (外勤数据包): what one grid worker takes to a phone, the phone set up from it
//! in field mode, and what it sends back. Field and return bundles are ordinary bundles with a
//! `scope.field`; export picks their records (`Store::field_selection`), the phone's device
//! records who it works for in `local`.

use std::collections::HashSet;

use rusqlite::{params, OptionalExtension};

use super::{Result, Store, StoreError};
use crate::domain::bundle::{Bundle, FieldScope};
use crate::domain::grid::Tree;
use crate::protocol::FieldInfo;

/// The destination a return bundle is logged under: what is "not sent back" counts from it.
pub const RETURN_DESTINATION: &str = "office";

/// What a field bundle for one grid worker holds, beyond what a grid-subtree export picks.
#[derive(Debug, Clone, Default)]
pub(super) struct FieldSelection {
    pub scope: FieldScope,
    pub community: String,
    /// The worker's grids with all their sub-grids.
    pub grids: HashSet<String>,
    /// Open cases (not closed, rated or voided) dispatched to the worker, wherever they are.
    pub cases: HashSet<String>,
    /// Shifts the worker is on.
    pub shifts: HashSet<String>,
    /// Residents whose ID number and phone travel unmasked: the key persons of those grids
    /// (the people on the worker's care list on the phone).
    pub unmasked: HashSet<String>,
}

impl Store {
    pub(super) fn field_selection(&self, staff_id: &str) -> Result<FieldSelection> {
        let (name, community): (String, String) = self
            .conn
            .query_row(
                "SELECT name, community_code FROM staff WHERE id = ?1 AND deleted = 0",
                [staff_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(StoreError::NotFound("staff"))?;
        let own: Vec<(String, String)> = self
            .conn
            .prepare(
                "SELECT g.id, g.name FROM grid_staff gs JOIN grids g ON g.id = gs.grid_id
                 WHERE gs.staff_id = ?1 AND gs.deleted = 0 AND g.deleted = 0 ORDER BY g.name, g.id",
            )?
            .query_map([staff_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if own.is_empty() {
            return Err(StoreError::Refused("field_no_grids"));
        }
        let nodes = self.grid_nodes(&community)?;
        let tree = Tree::new(&nodes);
        let mut grids = HashSet::new();
        for (g, _) in &own {
            grids.extend(tree.subtree(g).into_iter().map(String::from));
        }
        let cases: HashSet<String> = self
            .conn
            .prepare(
                "SELECT id FROM cases WHERE community_code = ?1 AND assignee = ?2 AND deleted = 0
                   AND state NOT IN ('closed', 'rated', 'voided')",
            )?
            .query_map(params![community, name], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let shifts: HashSet<String> = self
            .conn
            .prepare(
                "SELECT DISTINCT shift_id FROM shift_people
                 WHERE staff_id = ?1 AND deleted = 0 AND status <> 'cancelled'",
            )?
            .query_map([staff_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let unmasked: HashSet<String> = self
            .due_people(&community)?
            .iter()
            .filter(|d| grids.contains(&d.grid))
            .map(|d| d.resident.clone())
            .collect();
        Ok(FieldSelection {
            scope: FieldScope {
                staff_id: staff_id.to_string(),
                staff_name: name,
                grid_ids: own.iter().map(|g| g.0.clone()).collect(),
                grid_names: own.into_iter().map(|g| g.1).collect(),
                returning: false,
            },
            community,
            grids,
            cases,
            shifts,
            unmasked,
        })
    }

    /// A fresh phone set up from a field bundle: the office is the bundle's community, every
    /// record of it is imported (all or nothing), and the device works as the bundle's grid
    /// worker in field mode from then on.
    pub(super) fn setup_field(
        &mut self,
        bundle: &Bundle,
        file_name: &str,
        device_name: &str,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<crate::protocol::ImportReport> {
        let Some(field) = bundle.scope.field.as_ref().filter(|f| !f.returning) else {
            return Err(StoreError::Refused("field_not_field_bundle"));
        };
        if device_name.trim().is_empty() {
            return Err(super::invalid("device_name", "required"));
        }
        let office = super::office::community_office(bundle)
            .ok_or(StoreError::Refused("field_not_field_bundle"))?;
        let report =
            self.restore_import(bundle, file_name, &office, &field.staff_name, progress)?;
        self.set_local("device_name", device_name.trim())?;
        self.remember_field(bundle)?;
        Ok(report)
    }

    /// After a field bundle was imported on a phone in field mode for the same worker: the
    /// phone now holds the newer bundle (its grids, as of its export).
    pub(super) fn field_bundle_imported(&mut self, bundle: &Bundle) -> Result<()> {
        let Some(field) = bundle.scope.field.as_ref().filter(|f| !f.returning) else {
            return Ok(());
        };
        if self.local("field_staff_id")?.as_deref() == Some(field.staff_id.as_str()) {
            self.remember_field(bundle)?;
        }
        Ok(())
    }

    fn remember_field(&mut self, bundle: &Bundle) -> Result<()> {
        let field = bundle.scope.field.as_ref().expect("a field bundle");
        if self.staff_row(&field.staff_id)?.is_none() {
            return Err(StoreError::Refused("field_not_field_bundle"));
        }
        let as_of = crate::domain::hlc::Hlc(bundle.exported_at).millis();
        for (k, v) in [
            ("field_staff_id", field.staff_id.clone()),
            ("field_staff_name", field.staff_name.clone()),
            (
                "field_grid_names",
                serde_json::to_string(&field.grid_names).unwrap_or_default(),
            ),
            ("field_as_of", as_of.to_string()),
            ("actor_staff_id", field.staff_id.clone()),
        ] {
            self.set_local(k, &v)?;
        }
        Ok(())
    }

    /// Field mode: whose bundle this phone holds and what it has not sent back; `None` on an
    /// office's device.
    pub fn field_info(&self) -> Result<Option<FieldInfo>> {
        let Some(staff_id) = self.local("field_staff_id")? else {
            return Ok(None);
        };
        let since: i64 = self
            .local(&format!("last_export_at:{RETURN_DESTINATION}"))?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let last_sent_millis = (since > 0).then(|| crate::domain::hlc::Hlc(since).millis());
        Ok(Some(FieldInfo {
            staff_id,
            staff_name: self.local("field_staff_name")?.unwrap_or_default(),
            grid_names: self
                .local("field_grid_names")?
                .and_then(|v| serde_json::from_str(&v).ok())
                .unwrap_or_default(),
            as_of_millis: self
                .local("field_as_of")?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            unsent: self.changed_here_since(since)?,
            last_sent_millis,
        }))
    }

    /// The return bundle made at clock time `exported_at` was handed on (shared or saved):
    /// what changed until then no longer counts as unsent.
    pub fn field_sent(&mut self, exported_at: i64) -> Result<()> {
        let key = format!("last_export_at:{RETURN_DESTINATION}");
        let before: i64 = self.local(&key)?.and_then(|v| v.parse().ok()).unwrap_or(0);
        self.set_local(&key, &exported_at.max(before).to_string())
    }

    /// A field bundle for another worker is not for this phone (it would bring that worker's
    /// key persons unmasked and leave the phone working as the first).
    pub(super) fn check_field_bundle(&self, bundle: &Bundle) -> Result<()> {
        let Some(f) = bundle.scope.field.as_ref().filter(|f| !f.returning) else {
            return Ok(());
        };
        match self.local("field_staff_id")? {
            Some(mine) if mine != f.staff_id => Err(StoreError::Refused("field_other_worker")),
            _ => Ok(()),
        }
    }

    /// Records this device created or changed after clock time `since`.
    fn changed_here_since(&self, since: i64) -> Result<u64> {
        let mut n = 0u64;
        for spec in crate::domain::bundle::tables::TABLES {
            let sql = format!(
                "SELECT count(*) FROM {} WHERE updated_by = ?1 AND updated_at > ?2",
                spec.name
            );
            let c: i64 = self
                .conn
                .prepare_cached(&sql)?
                .query_row(params![self.ctx.device_id, since], |r| r.get(0))?;
            n += c as u64;
        }
        Ok(n)
    }
}
