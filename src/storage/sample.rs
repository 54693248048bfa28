//! Writes a generated sample community (domain::sample) into the database in one transaction.

use super::office::{insert_community, insert_tag};
use super::residents::{
    insert_household, insert_resident, insert_resident_tag, NewHousehold, NewResident,
};
use super::staff::{insert_link_with_id, insert_staff_with_id};
use super::{Result, Store, StoreError};
use crate::domain::division;
use crate::domain::hlc::Hlc;
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
        self.load_sample_cases(&s, opts)?;
        self.load_sample_volunteers(&s, opts)?;
        self.load_sample_care(&s, opts)?;
        if self.local("device_name")?.is_none() {
            self.set_local("device_name", "社区办公室电脑")?;
        }
        self.set_local("actor_staff_id", &loaded.actor_staff_id)?;
        Ok(loaded)
    }
}

impl Store {
    /// The sample's volunteers and teams.
    fn load_sample_volunteers(&mut self, s: &sample::Sample, opts: &SampleOptions) -> Result<()> {
        use super::volunteers::{insert_member, insert_team, insert_volunteer, NewVolunteer};
        use crate::domain::volunteer::{validate, VolunteerDraft};
        let g = crate::domain::sample_volunteers::generate(s, opts);
        let code = opts.community_code.clone();
        let wishes = crate::domain::sample_wishes::generate(s, opts, &g);
        self.write(|tx, ctx| {
            for v in &g.volunteers {
                let checked = validate(&VolunteerDraft {
                    name: &v.name,
                    phone: &v.phone,
                    skills: &v.skills,
                    availability: &v.availability,
                    party_member: v.party_member,
                    in_service: v.in_service,
                    work_unit: &v.work_unit,
                    posts: &v.posts,
                })
                .map_err(|p| {
                    StoreError::Invalid(p.into_iter().map(|(a, b)| (a.into(), b.into())).collect())
                })?;
                insert_volunteer(
                    tx,
                    ctx,
                    &NewVolunteer {
                        id: &v.id,
                        code: &code,
                        resident_id: v.resident.map(|r| s.residents[r].id.as_str()),
                        grid_id: v.grid.map(|g| s.grids[g].id.as_str()),
                        v: &checked,
                        party_member: v.party_member,
                        in_service: v.in_service,
                        note: "",
                    },
                )?;
            }
            for t in &g.teams {
                insert_team(
                    tx,
                    ctx,
                    &t.id,
                    &code,
                    t.name,
                    Some(&g.volunteers[t.leader].id),
                    "",
                )?;
                for m in &t.members {
                    insert_member(tx, ctx, &code, &t.id, &g.volunteers[*m].id)?;
                }
            }
            for sh in &g.shifts {
                let form = crate::protocol::ShiftForm {
                    community_code: code.clone(),
                    title: sh.title.into(),
                    place: sh.place.into(),
                    role: sh.role.into(),
                    needed: sh.needed,
                    ..Default::default()
                };
                let grid = sh.grid.map(|i| s.grids[i].id.as_str());
                super::roster::insert_shift(
                    tx, ctx, &sh.id, &code, &sh.series, &form, grid, sh.start, sh.end,
                )?;
                for (v, status, checked) in &sh.people {
                    let link = super::roster::insert_person(
                        tx,
                        ctx,
                        &code,
                        &sh.id,
                        Some(&g.volunteers[*v].id),
                        None,
                        status,
                    )?;
                    if let Some((a, b)) = checked {
                        tx.execute(
                            "UPDATE shift_people SET check_in = ?1, check_out = ?2 WHERE id = ?3",
                            rusqlite::params![a, b, link],
                        )?;
                    }
                }
            }
            for t in &g.tasks {
                tx.execute(
                    "INSERT INTO service_hours (id, community_code, volunteer_id, day, minutes, task,
                                                created_at, updated_at, updated_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
                    rusqlite::params![
                        t.id,
                        code,
                        g.volunteers[t.volunteer].id,
                        t.day.to_string(),
                        t.minutes,
                        t.task,
                        ctx.stamp(),
                        ctx.device_id
                    ],
                )?;
            }
            load_sample_wishes(tx, ctx, s, &g, &code, &wishes)?;
            Ok(())
        })
    }

    /// The sample's case history: cases and their events as the office recorded them (times in
    /// the past), each case's state derived from its events.
    fn load_sample_cases(&mut self, s: &sample::Sample, opts: &SampleOptions) -> Result<()> {
        if opts.cases == 0 {
            return Ok(());
        }
        let code = opts.community_code.clone();
        self.case_categories(&code)?;
        let cases = crate::domain::sample_cases::generate(s, opts, &self.calendar());
        self.write(|tx, ctx| {
            let mut case_st = tx.prepare_cached(
                "INSERT INTO cases (id, community_code, grid_id, household_id, category_code, title, description, address,
                                    channel, priority, reporter_id, reporter_name, reporter_phone, reported_at, deadline,
                                    created_at, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '', ?8, 'normal', ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15)",
            )?;
            let mut ev_st = tx.prepare_cached(
                "INSERT INTO case_events (id, community_code, case_id, move, actor, actor_role, remark, assignee, rating,
                                          wall_at, created_at, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)",
            )?;
            for c in &cases {
                // Clock times of the past: the events happened then.
                let stamp = |ms: i64, n: usize| Hlc::from_parts(ms, n as i64).0;
                let reporter = c.reporter.map(|r| &s.residents[r]);
                case_st.execute(params![
                    c.id,
                    code,
                    s.grids[c.grid].id,
                    c.household.map(|h| s.households[h].id.clone()),
                    c.category_code,
                    c.title,
                    c.description,
                    c.channel,
                    reporter.map(|r| r.id.clone()),
                    reporter.map(|r| r.name.clone()).unwrap_or_default(),
                    reporter.and_then(|r| r.phone.clone()).unwrap_or_default(),
                    c.reported_at,
                    c.deadline,
                    stamp(c.reported_at, 0),
                    ctx.device_id
                ])?;
                for (i, e) in c.events.iter().enumerate() {
                    let who = &s.staff[e.actor];
                    ev_st.execute(params![
                        e.id,
                        code,
                        c.id,
                        e.mv.code(),
                        who.name,
                        who.role.code(),
                        e.remark,
                        e.assignee,
                        e.rating,
                        e.at,
                        stamp(e.at, i + 1),
                        ctx.device_id
                    ])?;
                }
                super::cases::rederive(tx, &c.id)?;
            }
            Ok(())
        })
    }
}

impl Store {
    /// The sample's party organisation, care plans, visits and residents who left.
    fn load_sample_care(&mut self, s: &sample::Sample, opts: &SampleOptions) -> Result<()> {
        let c = crate::domain::sample_care::generate(s, opts);
        let code = opts.community_code.clone();
        self.write(|tx, ctx| {
            let mut st = tx.prepare_cached(
                "INSERT INTO party_orgs (id, community_code, grid_id, parent_id, kind, name, created_at, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
            )?;
            for o in &c.orgs {
                st.execute(params![
                    o.id,
                    code,
                    s.grids[o.grid].id,
                    o.parent.map(|p| c.orgs[p].id.as_str()),
                    o.kind,
                    o.name,
                    ctx.stamp(),
                    ctx.device_id
                ])?;
            }
            let mut st = tx.prepare_cached(
                "INSERT INTO party_members (id, community_code, org_id, resident_id, name, phone, role, joined_on,
                                            center_household_id, created_at, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)",
            )?;
            for m in &c.members {
                let r = &s.residents[m.resident];
                st.execute(params![
                    m.id,
                    code,
                    c.orgs[m.org].id,
                    r.id,
                    r.name,
                    r.phone.as_deref().unwrap_or(""),
                    m.role,
                    m.joined_on,
                    m.center.then(|| s.households[r.household].id.as_str()),
                    ctx.stamp(),
                    ctx.device_id
                ])?;
            }
            let mut st = tx.prepare_cached(
                "INSERT INTO care_plans (id, community_code, resident_id, worker_id, party_member_id, visit_days, start_date,
                                         created_at, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?7, ?8)",
            )?;
            for p in &c.plans {
                st.execute(params![
                    p.id,
                    code,
                    s.residents[p.resident].id,
                    p.worker.map(|w| s.staff[w].id.as_str()),
                    p.member.map(|m| c.members[m].id.as_str()),
                    p.start_date,
                    ctx.stamp(),
                    ctx.device_id
                ])?;
            }
            let mut st = tx.prepare_cached(
                "INSERT INTO visits (id, community_code, resident_id, visit_date, visitor_id, party_member_id, visitor_name,
                                     condition, needs, note, created_at, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)",
            )?;
            for v in &c.visits {
                st.execute(params![
                    v.id,
                    code,
                    s.residents[v.resident].id,
                    v.date,
                    v.visitor.map(|w| s.staff[w].id.as_str()),
                    v.member.map(|m| c.members[m].id.as_str()),
                    v.visitor_name,
                    v.condition,
                    v.needs,
                    v.note,
                    ctx.stamp(),
                    ctx.device_id
                ])?;
            }
            for e in &c.statuses {
                let r = &s.residents[e.resident];
                let status = crate::domain::care::status_after(e.kind).unwrap_or("active");
                tx.execute(
                    "INSERT INTO resident_events (id, community_code, resident_id, kind, event_date, from_household_id,
                                                  note, created_at, updated_at, updated_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
                    params![e.id, code, r.id, e.kind, e.date, s.households[r.household].id, e.note, ctx.stamp(), ctx.device_id],
                )?;
                tx.execute(
                    "UPDATE residents SET status = ?1, household_id = NULL, updated_at = ?2 WHERE id = ?3",
                    params![status, ctx.stamp(), r.id],
                )?;
            }
            Ok(())
        })
    }
}

/// The sample's micro-wishes and their histories (clock times of the past), each wish's state
/// derived from its events.
fn load_sample_wishes(
    tx: &rusqlite::Transaction,
    ctx: &mut super::Ctx,
    s: &sample::Sample,
    g: &crate::domain::sample_volunteers::SampleVolunteers,
    code: &str,
    wishes: &[crate::domain::sample_wishes::SampleWish],
) -> Result<()> {
    use super::wishes::{insert_wish, NewWish};
    let mut ev_st = tx.prepare_cached(
        "INSERT INTO wish_events (id, community_code, wish_id, move, actor, actor_role, volunteer_id, note, minutes,
                                  wall_at, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)",
    )?;
    for w in wishes {
        let r = &s.residents[w.resident];
        insert_wish(
            tx,
            ctx,
            &NewWish {
                id: &w.id,
                code,
                grid_id: &s.grids[w.grid].id,
                resident_id: Some(&r.id),
                wisher_name: &r.name,
                wisher_phone: r.phone.as_deref().unwrap_or(""),
                title: w.title,
                detail: w.detail,
                due_date: &w.due_date,
            },
        )?;
        for (i, e) in w.events.iter().enumerate() {
            let who = &s.staff[e.actor];
            ev_st.execute(params![
                e.id,
                code,
                w.id,
                e.mv.code(),
                who.name,
                who.role.code(),
                e.volunteer.map(|v| g.volunteers[v].id.as_str()),
                e.note,
                e.minutes,
                e.at,
                Hlc::from_parts(e.at, i as i64).0,
                ctx.device_id
            ])?;
        }
        super::wishes::rederive(tx, &w.id)?;
    }
    Ok(())
}
