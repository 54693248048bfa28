//! Writes a generated sample community (domain::sample) into the database in one transaction.

use super::office::{insert_community, insert_tag};
use super::residents::{
    insert_household, insert_resident, insert_resident_tag, NewHousehold, NewResident,
};
use super::staff::{insert_link_with_id, insert_staff_with_id};
use super::{Result, Store, StoreError};
use crate::domain::division;
use crate::domain::sample::{self, SampleOptions, KEY_TAGS};
use crate::domain::staff::Role;
use rusqlite::params;

/// What was loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedSample {
    pub community_code: String,
    pub grids: usize,
    pub households: usize,
    pub residents: usize,
    /// The staff member this device acts as (a community cadre).
    pub actor_staff_id: String,
}

impl Store {
    /// Sets this (empty) office up as the sample community.
    pub fn load_sample(&mut self, opts: &SampleOptions) -> Result<LoadedSample> {
        if self.office()?.is_some() {
            return Err(StoreError::AlreadySetUp);
        }
        let s = sample::generate(opts);
        let code = opts.community_code.clone();
        let loaded = self.write(|tx, ctx| {
            tx.execute(
                "INSERT INTO office (id, kind, name, code, street_name, street_code) VALUES (1, 'community', ?1, ?2, ?3, ?4)",
                params![opts.community_name, code, opts.street_name, division::street_of(&code)],
            )?;
            insert_community(tx, ctx, &opts.community_name, &code, &opts.street_name, &s.grids[0].id)?;
            for g in &s.grids[1..] {
                let t = ctx.stamp();
                let parent = g.parent.map(|p| s.grids[p].id.as_str());
                tx.execute(
                    "INSERT INTO grids (id, community_code, parent_id, level, name, created_at, updated_at, updated_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
                    params![g.id, code, parent, g.level as i64, g.name, t, ctx.device_id],
                )?;
            }
            for (i, tag) in KEY_TAGS.iter().enumerate() {
                insert_tag(tx, ctx, &s.tag_ids[i], &code, tag, true)?;
            }
            for st in &s.staff {
                insert_staff_with_id(tx, ctx, &st.id, &code, &st.name, st.role, &st.phone)?;
            }
            for l in &s.grid_staff {
                insert_link_with_id(tx, ctx, &l.id, &code, &s.grids[l.grid].id, &s.staff[l.staff].id, l.duty.code())?;
            }
            for h in &s.households {
                insert_household(
                    tx,
                    ctx,
                    &NewHousehold {
                        id: &h.id,
                        code: &code,
                        grid_id: &s.grids[h.grid].id,
                        building: &h.building,
                        unit: &h.unit,
                        room: &h.room,
                    },
                )?;
            }
            for r in &s.residents {
                let birth = r.birth_date.to_string();
                insert_resident(
                    tx,
                    ctx,
                    &NewResident {
                        id: &r.id,
                        code: &code,
                        grid_id: &s.grids[r.grid].id,
                        household_id: Some(&s.households[r.household].id),
                        name: &r.name,
                        gender: r.gender.code(),
                        birth_date: &birth,
                        id_number: Some(&r.id_number),
                        phone: r.phone.as_deref(),
                        relation: r.relation,
                        note: "",
                    },
                )?;
                for t in &r.tags {
                    insert_resident_tag(tx, ctx, &code, &r.id, &s.tag_ids[*t])?;
                }
            }
            let actor = s.staff.iter().find(|st| st.role == Role::CommunityCadre).map(|st| st.id.clone()).unwrap_or_default();
            Ok(LoadedSample {
                community_code: code.clone(),
                grids: s.grids.len(),
                households: s.households.len(),
                residents: s.residents.len(),
                actor_staff_id: actor,
            })
        })?;
        if self.local("device_name")?.is_none() {
            self.set_local("device_name", "社区办公室电脑")?;
        }
        self.set_local("actor_staff_id", &loaded.actor_staff_id)?;
        Ok(loaded)
    }
}
