//! Key-group care: cadences per tag, care plans, home visits and what is due; residents'
//! status history; the party organisation on the grids.
//!
//! Who is a key person and when they are due is computed on read (one indexed pass over the
//! tags that carry a cadence and the care plans, each person's last visit by index) and kept
//! while the care data and the day stay the same ([`CareVersion`]): in memory for the next
//! requests, and in `care_due_snapshot` for the next start of the worker. A merged bundle, a
//! new tag or a visit changes the answer at once, while paging the care list or moving the
//! dashboard's dates reuses it.

use super::{invalid, rebase, Result, Store, StoreError};
use crate::domain::care::{self, DueState, VisitDraft};
use crate::domain::date::Date;
use crate::protocol::{
    CareCount, CareInfo, CarePage, CarePlanForm, CareQuery, CareRow, KeyGroupRow, PartyMemberForm,
    PartyMemberRow, PartyOrgForm, PartyOrgRow, PartyTree, ResidentEventRow, StatusForm, TagCadence,
    VisitForm, VisitPage, VisitQuery, VisitRow,
};
use rusqlite::{params, OptionalExtension};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A hash map with a fast hasher (foldhash rather than SipHash) for the big in-memory joins.
type FastMap<K, V> = foldhash::HashMap<K, V>;

/// The last few answers of [`Store::due_people`] (a street office looks at the whole street and
/// one or two communities), valid for one version of the care data and one day.
#[derive(Default)]
pub(super) struct DueCache(RefCell<DueCacheInner>);

/// What the due lists are computed from, as it stands: for residents, the `care_epoch`
/// counter that a trigger moves when a resident's status, tombstone, grid or community changes
/// (migration 15: what the lists read of them; a new phone number does not count); for resident
/// tags, tags, care plans and visits, the newest change (HLC `updated_at`); and the number of
/// imports (an import may bring records older than the newest here). Every write of a shared
/// record sets its `updated_at` to a new, larger clock reading — incremental bundles rely on
/// the same rule — so a local change to any of those moves one of these, and a case step, a
/// shift or a resident's new phone number does not.
type CareVersion = [i64; 6];

/// A due list kept in `care_due_snapshot` was computed from this: the care data's version, the
/// code and — only if some due date depended on it — the day. Due dates come from the last
/// visit, the start and the cadence; the state (overdue, soon) is derived again on reading,
/// from the due date and today, so a list kept yesterday still serves this morning's first
/// dashboard. Bump [`DUE_CODE`] when who is due, or when, is computed differently.
fn snapshot_version(care: &CareVersion, day: Option<i64>) -> String {
    let day = day.map(|d| d.to_string()).unwrap_or_default();
    format!("{DUE_CODE}/{}/{care:?}/{day}", env!("CARGO_PKG_VERSION"))
}

/// The version of the due computation's code (see [`snapshot_version`]).
const DUE_CODE: u32 = 1;

/// One key person in `care_due_snapshot` (postcard): resident, community, grid, worker,
/// cadence, last visit, due date (days since 1970) and cadence tags.
type DueRecord = (
    String,
    String,
    String,
    Option<String>,
    u32,
    Option<String>,
    i64,
    Vec<String>,
);
type DueRecordRef<'a> = (
    &'a str,
    &'a str,
    &'a str,
    Option<&'a str>,
    u32,
    Option<&'a str>,
    i64,
    &'a [String],
);

#[derive(Default)]
struct DueCacheInner {
    key: (CareVersion, i64),
    lists: Vec<(String, Arc<Vec<Due>>)>,
    /// Changes made since the kept lists were last brought up to date that they follow in
    /// place: the care data's version before and after each, its person and what changed
    /// (`Store::flush_due_lists`).
    patches: Vec<(CareVersion, CareVersion, String, Patch)>,
    /// Lists computed and not yet written to `care_due_snapshot`: community, version, list.
    unsaved: Vec<(String, String, Arc<Vec<Due>>)>,
}

/// A key person before the page's details are joined.
#[derive(Debug, Clone)]
pub(super) struct Due {
    pub(super) resident: String,
    pub(super) community: String,
    pub(super) grid: String,
    worker: Option<String>,
    cadence: u32,
    last: Option<String>,
    due: Date,
    pub(super) state: DueState,
    /// The person's tags that have a cadence (ids), for the key groups' counts.
    pub(super) tags: Vec<String>,
}

/// A change to one person that a due list follows without being computed again.
#[derive(Debug, Clone)]
enum Patch {
    /// A visit on this date (YYYY-MM-DD): the person's last visit and due date move.
    Visit(String),
    /// The person left (moved out of the community, died): off the lists.
    Left,
    /// The person moved to a household in this grid of the community.
    Grid(String),
    /// The person came back (迁回): listed again as they are now.
    Back(Box<Due>),
}

/// `patch` of `resident_id` in the due list of `community_code` ("" for the street's).
fn patched(
    list: &mut Vec<Due>,
    community_code: &str,
    resident_id: &str,
    patch: &Patch,
    today: i64,
) {
    match patch {
        Patch::Visit(date) => {
            let Some(day) = Date::parse(date) else {
                return;
            };
            for d in list.iter_mut().filter(|d| d.resident == resident_id) {
                if d.last.as_deref().is_none_or(|last| last < date.as_str()) {
                    d.last = Some(date.to_string());
                    d.due = care::next_due(Some(day), day, d.cadence);
                    d.state = care::due_state(d.due, Date::from_days(today));
                }
            }
        }
        Patch::Left => list.retain(|d| d.resident != resident_id),
        Patch::Grid(grid) => {
            for d in list.iter_mut().filter(|d| d.resident == resident_id) {
                d.grid = grid.clone();
            }
        }
        Patch::Back(due) => {
            list.retain(|d| d.resident != resident_id);
            if community_code.is_empty() || community_code == due.community {
                // Lists are in resident id order (as computed).
                let at = list.partition_point(|d| d.resident.as_str() < resident_id);
                let mut due = (**due).clone();
                due.state = care::due_state(due.due, Date::from_days(today));
                list.insert(at, due);
            }
        }
    }
}

/// A person's tags that have a cadence: the smallest cadence, when first tagged (ms), the tags.
type DueTags = (u32, i64, Vec<String>);
/// A person's care plan in force: updated_at, worker, own cadence, start date.
type DuePlan = (i64, Option<String>, u32, String);

/// A person's due entry from their tags, plan and resident row (community, grid, last visit):
/// `None` when no cadence applies or they are no active resident. The flag: the due date
/// depended on today (a plan with no start and no tag).
fn due_of(
    rid: String,
    plan: Option<DuePlan>,
    tag: Option<DueTags>,
    found: Option<(String, String, Option<String>)>,
    today: Date,
) -> Option<(Due, bool)> {
    let tag_days: Vec<u32> = tag.as_ref().map(|t| vec![t.0]).unwrap_or_default();
    let cadence = care::cadence(plan.as_ref().map(|p| p.2).unwrap_or(0), &tag_days)?;
    let (community, grid, last) = found?;
    let mut used_today = false;
    let start = plan
        .as_ref()
        .and_then(|p| Date::parse(&p.3))
        .or_else(|| {
            tag.as_ref()
                .map(|t| Date::from_millis(t.1 + crate::domain::calendar::CST_OFFSET_MS))
        })
        .unwrap_or_else(|| {
            used_today = true;
            today
        });
    let due = care::next_due(last.as_deref().and_then(Date::parse), start, cadence);
    let mut tags = tag.map(|t| t.2).unwrap_or_default();
    // In one order whichever way the tags were read.
    tags.sort_unstable();
    Some((
        Due {
            resident: rid,
            community,
            grid,
            worker: plan.and_then(|p| p.1),
            cadence,
            last,
            due,
            state: care::due_state(due, today),
            tags,
        },
        used_today,
    ))
}

fn opt(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

impl Store {
    /// Every active key person of a community ("" for every community): residents with a tag
    /// that has a cadence, or with a care plan that sets one. Small indexed steps, joined here:
    /// the tags with a cadence (a handful) and their links by `resident_tags_by_tag`, the care
    /// plans by community, then per person their row by key and their last visit by
    /// `visits_by_resident` (a covering index).
    pub(super) fn due_people(&self, community_code: &str) -> Result<Arc<Vec<Due>>> {
        let key = (self.care_version()?, self.today().to_days());
        {
            let mut c = self.due_cache.0.borrow_mut();
            if c.key != key {
                c.key = key;
                c.lists.clear();
            }
            if let Some((_, l)) = c.lists.iter().find(|(k, _)| k == community_code) {
                return Ok(l.clone());
            }
        }
        let (list, unsaved) = match self.stored_due(community_code, &key) {
            Some(list) => (list, None),
            None => {
                let (list, used_today) = self.compute_due_people(community_code)?;
                let version = snapshot_version(&key.0, used_today.then_some(key.1));
                (list, Some(version))
            }
        };
        let list = Arc::new(list);
        let mut c = self.due_cache.0.borrow_mut();
        if let Some(version) = unsaved {
            // Kept for the next start by `flush_due_lists`, once the reply has gone (a
            // street's snapshot is 5 MB: 60–90 ms to write in the worker).
            c.unsaved.retain(|(code, ..)| code != community_code);
            c.unsaved
                .push((community_code.to_string(), version, list.clone()));
        }
        if c.lists.len() >= 4 {
            c.lists.remove(0);
        }
        c.lists.push((community_code.to_string(), list.clone()));
        Ok(list)
    }

    /// Computes and keeps the due list the home page's dashboard reads first (the whole street
    /// for a street office, its community for a community office), once an import has
    /// committed. An import changes the care data, so otherwise the first dashboard after it
    /// (often in a fresh worker, the next morning) computed the list: ~200 ms for a street's
    /// 34,000 key persons, now spent inside the import the person is already waiting for.
    pub fn keep_care_list(&self) -> Result<()> {
        let code = match self.office()? {
            Some(o) if o.kind == crate::protocol::OfficeKind::Community => o.code,
            Some(_) => String::new(),
            None => return Ok(()),
        };
        self.due_people(&code)?;
        self.flush_due_lists();
        Ok(())
    }

    /// The due list kept in `care_due_snapshot` for `community_code`, if it was computed from
    /// the same care data (and on the same day, if its due dates depended on the day).
    /// Anything unreadable counts as absent (it is computed again).
    fn stored_due(&self, community_code: &str, key: &(CareVersion, i64)) -> Option<Vec<Due>> {
        let (version, data): (String, Vec<u8>) = self
            .conn
            .prepare_cached("SELECT version, data FROM care_due_snapshot WHERE community_code = ?1")
            .ok()?
            .query_row([community_code], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .ok()??;
        if version != snapshot_version(&key.0, None)
            && version != snapshot_version(&key.0, Some(key.1))
        {
            return None;
        }
        let records: Vec<DueRecord> = postcard::from_bytes(&data).ok()?;
        let today = Date::from_days(key.1);
        Some(
            records
                .into_iter()
                .map(|r| {
                    let due = Date::from_days(r.6);
                    Due {
                        resident: r.0,
                        community: r.1,
                        grid: r.2,
                        worker: r.3,
                        cadence: r.4,
                        last: r.5,
                        due,
                        state: care::due_state(due, today),
                        tags: r.7,
                    }
                })
                .collect(),
        )
    }

    /// Keeps a computed due list for the next start (not while an import's preview holds its
    /// transaction open: that may still be cancelled). A cache: if it cannot be written, the
    /// next start computes the list again. Called by [`Store::flush_due_lists`].
    fn store_due(&self, community_code: &str, version: &str, list: &[Due]) {
        if self.has_staged() {
            return;
        }
        let records: Vec<DueRecordRef> = list
            .iter()
            .map(|d| {
                (
                    d.resident.as_str(),
                    d.community.as_str(),
                    d.grid.as_str(),
                    d.worker.as_deref(),
                    d.cadence,
                    d.last.as_deref(),
                    d.due.to_days(),
                    d.tags.as_slice(),
                )
            })
            .collect();
        let Ok(data) = postcard::to_allocvec(&records) else {
            return;
        };
        let _ = self.conn.execute(
            "INSERT INTO care_due_snapshot (community_code, version, data) VALUES (?1, ?2, ?3)
             ON CONFLICT (community_code) DO UPDATE SET version = excluded.version, data = excluded.data",
            params![community_code, version, data],
        );
    }

    /// See [`CareVersion`]: per community, one seek to the end of each table's
    /// `(community_code, updated_at)` index, and a count of a small table. (A plain
    /// `max(updated_at)` over a table walks that whole index instead: 15–30 ms at street scale
    /// natively, paid on every dashboard and care list.)
    fn care_version(&self) -> Result<CareVersion> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM local WHERE key = 'care_epoch'), 0),
                    coalesce(max((SELECT max(updated_at) FROM resident_tags x WHERE x.community_code = c.community_code)), 0),
                    coalesce(max((SELECT max(updated_at) FROM tags x WHERE x.community_code = c.community_code)), 0),
                    coalesce(max((SELECT max(updated_at) FROM care_plans x WHERE x.community_code = c.community_code)), 0),
                    coalesce(max((SELECT max(updated_at) FROM visits x WHERE x.community_code = c.community_code)), 0),
                    (SELECT count(*) FROM import_log)
                 FROM communities c",
            )?
            .query_row([], |r| {
                Ok([
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ])
            })?)
    }

    /// The due list, and whether some due date depended on today (a person with a care plan
    /// of no readable start date and no cadence tag starts from today).
    fn compute_due_people(&self, community_code: &str) -> Result<(Vec<Due>, bool)> {
        let today = self.today();
        // resident → (smallest tag cadence, when first tagged (ms), the tags)
        // Tens of thousands of people at a street: a fast hasher (foldhash, not SipHash), and
        // the maps sized once.
        let mut tagged: FastMap<String, DueTags> = FastMap::default();
        let tags: Vec<(String, i64)> = self
            .conn
            .prepare_cached(
                "SELECT id, visit_days FROM tags
                 WHERE (?1 = '' OR community_code = ?1) AND deleted = 0 AND visit_days > 0",
            )?
            .query_map([community_code], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        {
            let mut st = self.conn.prepare_cached(
                "SELECT resident_id, created_at FROM resident_tags WHERE tag_id = ?1 AND deleted = 0",
            )?;
            for (tag, days) in &tags {
                let days = (*days).clamp(0, care::MAX_CADENCE as i64) as u32;
                let mut rows = st.query([tag])?;
                while let Some(r) = rows.next()? {
                    let at = crate::domain::hlc::Hlc(r.get(1)?).millis();
                    let e = tagged.entry(r.get(0)?).or_insert((days, at, Vec::new()));
                    e.0 = e.0.min(days);
                    e.1 = e.1.min(at);
                    if !e.2.contains(tag) {
                        e.2.push(tag.clone());
                    }
                }
            }
        }
        // resident → the plan in force
        let mut plans: FastMap<String, DuePlan> = FastMap::default();
        {
            let sql = if community_code.is_empty() {
                "SELECT resident_id, updated_at, worker_id, visit_days, start_date FROM care_plans
                 WHERE deleted = 0 AND ?1 = ''"
            } else {
                "SELECT resident_id, updated_at, worker_id, visit_days, start_date FROM care_plans
                 WHERE community_code = ?1 AND deleted = 0"
            };
            let mut st = self.conn.prepare_cached(sql)?;
            let mut rows = st.query([community_code])?;
            while let Some(r) = rows.next()? {
                let rid: String = r.get(0)?;
                let plan: DuePlan = (
                    r.get(1)?,
                    r.get(2)?,
                    r.get::<_, i64>(3)?.clamp(0, care::MAX_CADENCE as i64) as u32,
                    r.get(4)?,
                );
                match plans.get(&rid) {
                    Some(p) if p.0 >= plan.0 => {}
                    _ => {
                        plans.insert(rid, plan);
                    }
                }
            }
        }
        let mut people: Vec<String> = tagged.keys().cloned().collect();
        people.extend(
            plans
                .iter()
                .filter(|(r, p)| p.2 > 0 && !tagged.contains_key(*r))
                .map(|(r, _)| r.clone()),
        );
        // In id order: the lookups below then walk the indexes in order (in hash order they
        // jump about the file and cost three times as much at street scale).
        people.sort_unstable();
        // Each person's row and last visit in one statement over the list (a round trip per
        // person costs more than the lookups themselves).
        let ids = serde_json::to_string(&people).unwrap_or_default();
        let mut found: FastMap<String, (String, String, Option<String>)> =
            FastMap::with_capacity_and_hasher(people.len(), Default::default());
        {
            let mut st = self.conn.prepare_cached(
                "SELECT r.id, r.community_code, r.grid_id,
                        (SELECT max(v.visit_date) FROM visits v WHERE v.resident_id = r.id AND v.deleted = 0)
                 FROM json_each(?1) j CROSS JOIN residents r ON r.id = j.value
                 WHERE r.deleted = 0 AND r.status = 'active'",
            )?;
            let mut rows = st.query([ids])?;
            while let Some(r) = rows.next()? {
                found.insert(r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?));
            }
        }
        let mut out = Vec::with_capacity(people.len());
        let mut used_today = false;
        // Each person's parts are moved out of the maps, not copied (tens of thousands of them).
        for rid in people {
            let plan = plans.remove(&rid);
            let tag = tagged.remove(&rid);
            let found = found.remove(rid.as_str());
            if let Some((due, on_today)) = due_of(rid, plan, tag, found, today) {
                used_today |= on_today;
                out.push(due);
            }
        }
        Ok((out, used_today))
    }

    /// One person's entry in the due lists as they are now (`None`: not listed), and whether
    /// its due date depended on today: [`Store::compute_due_people`] for one person.
    fn due_person(&self, resident_id: &str) -> Result<Option<(Due, bool)>> {
        let mut tag: Option<DueTags> = None;
        {
            let mut st = self.conn.prepare_cached(
                "SELECT t.id, t.visit_days, rt.created_at FROM resident_tags rt JOIN tags t ON t.id = rt.tag_id
                 WHERE rt.resident_id = ?1 AND rt.deleted = 0 AND t.deleted = 0 AND t.visit_days > 0",
            )?;
            let mut rows = st.query([resident_id])?;
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                let days = r.get::<_, i64>(1)?.clamp(0, care::MAX_CADENCE as i64) as u32;
                let at = crate::domain::hlc::Hlc(r.get(2)?).millis();
                let e = tag.get_or_insert((days, at, Vec::new()));
                e.0 = e.0.min(days);
                e.1 = e.1.min(at);
                if !e.2.contains(&id) {
                    e.2.push(id);
                }
            }
        }
        let plan: Option<DuePlan> = self
            .conn
            .prepare_cached(
                "SELECT updated_at, worker_id, visit_days, start_date FROM care_plans
                 WHERE resident_id = ?1 AND deleted = 0 ORDER BY updated_at DESC LIMIT 1",
            )?
            .query_row([resident_id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get::<_, i64>(2)?.clamp(0, care::MAX_CADENCE as i64) as u32,
                    r.get(3)?,
                ))
            })
            .optional()?;
        let found = self
            .conn
            .prepare_cached(
                "SELECT r.community_code, r.grid_id,
                        (SELECT max(v.visit_date) FROM visits v WHERE v.resident_id = r.id AND v.deleted = 0)
                 FROM residents r WHERE r.id = ?1 AND r.deleted = 0 AND r.status = 'active'",
            )?
            .query_row([resident_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        if tag.is_none() && plan.as_ref().is_none_or(|p| p.2 == 0) {
            return Ok(None);
        }
        Ok(due_of(
            resident_id.to_string(),
            plan,
            tag,
            found,
            self.today(),
        ))
    }

    /// Grid id → (first-level grid id, its name), for counts per grid.
    fn top_grids(&self, community_code: &str) -> Result<HashMap<String, (String, String)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, parent_id, level, name FROM grids WHERE (?1 = '' OR community_code = ?1) AND deleted = 0",
        )?;
        let rows: Vec<(String, Option<String>, i64, String)> = st
            .query_map([community_code], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let by_id: HashMap<&str, &(String, Option<String>, i64, String)> =
            rows.iter().map(|g| (g.0.as_str(), g)).collect();
        let mut out = HashMap::new();
        for g in &rows {
            let mut at = g;
            let mut steps = 0;
            while at.2 > 1 && steps < 16 {
                match at.1.as_deref().and_then(|p| by_id.get(p)) {
                    Some(p) => at = p,
                    None => break,
                }
                steps += 1;
            }
            out.insert(g.0.clone(), (at.0.clone(), at.3.clone()));
        }
        Ok(out)
    }

    pub fn key_groups(&self, community_code: &str) -> Result<Vec<KeyGroupRow>> {
        let people = self.due_people(community_code)?;
        let by_resident: HashMap<&str, &Due> =
            people.iter().map(|d| (d.resident.as_str(), d)).collect();
        let tops = self.top_grids(community_code)?;
        let mut st = self.conn.prepare_cached(
            "SELECT t.id, t.name, t.builtin, t.visit_days FROM tags t
             WHERE t.community_code = ?1 AND t.deleted = 0 ORDER BY t.builtin DESC, t.name",
        )?;
        let tags: Vec<(String, String, bool, i64)> = st
            .query_map([community_code], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut members = self.conn.prepare_cached(
            "SELECT r.id, r.grid_id FROM resident_tags rt JOIN residents r ON r.id = rt.resident_id
             WHERE rt.tag_id = ?1 AND rt.deleted = 0 AND r.deleted = 0 AND r.status = 'active'",
        )?;
        let mut out = Vec::new();
        for (id, name, builtin, days) in tags {
            let rows: Vec<(String, String)> = members
                .query_map([&id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut by_grid: Vec<CareCount> = Vec::new();
            let (mut overdue, mut soon) = (0, 0);
            for (rid, grid) in &rows {
                let (gid, gname) = tops.get(grid).cloned().unwrap_or_default();
                let i = match by_grid.iter().position(|c| c.id == gid) {
                    Some(i) => i,
                    None => {
                        by_grid.push(CareCount {
                            id: gid,
                            name: gname,
                            ..Default::default()
                        });
                        by_grid.len() - 1
                    }
                };
                by_grid[i].people += 1;
                match by_resident.get(rid.as_str()).map(|d| d.state) {
                    Some(DueState::Overdue(_)) => {
                        by_grid[i].overdue += 1;
                        overdue += 1;
                    }
                    Some(DueState::Soon) => {
                        by_grid[i].soon += 1;
                        soon += 1;
                    }
                    _ => {}
                }
            }
            by_grid.sort_by(|a, b| crate::domain::grid::natural_cmp(&a.name, &b.name));
            out.push(KeyGroupRow {
                tag_id: id,
                name,
                builtin,
                visit_days: days.max(0) as u32,
                people: rows.len() as u64,
                overdue,
                soon,
                by_grid,
            });
        }
        Ok(out)
    }

    pub fn set_tag_cadence(&mut self, tag_id: &str, visit_days: u32) -> Result<()> {
        if visit_days > care::MAX_CADENCE {
            return Err(invalid("visit_days", "out_of_range"));
        }
        self.write(|tx, ctx| {
            let t = ctx.stamp();
            let n = tx.execute(
                concat!(
                    "UPDATE tags SET ",
                    rebase!(),
                    "visit_days = ?1, updated_at = ?2, updated_by = ?3 WHERE id = ?4 AND deleted = 0"
                ),
                params![visit_days, t, ctx.device_id, tag_id],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound("tag"));
            }
            Ok(())
        })
    }

    pub fn care_list(&self, q: &CareQuery) -> Result<CarePage> {
        let all = self.due_people(&q.community_code)?;
        let mut people: Vec<&Due> = all.iter().collect();
        if !q.tag_id.is_empty() {
            let mut st = self.conn.prepare_cached(
                "SELECT resident_id FROM resident_tags WHERE tag_id = ?1 AND deleted = 0",
            )?;
            let with: HashSet<String> = st
                .query_map([&q.tag_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            people.retain(|d| with.contains(&d.resident));
        }
        if !q.grid_id.is_empty() {
            let sub: HashSet<String> = self.grid_subtree(&q.grid_id)?.into_iter().collect();
            people.retain(|d| sub.contains(&d.grid));
        }
        if !q.worker_id.is_empty() {
            people.retain(|d| d.worker.as_deref() == Some(q.worker_id.as_str()));
        }
        let tops = self.top_grids(&q.community_code)?;
        let mut page = CarePage {
            people: people.len() as u64,
            offset: q.offset,
            ..Default::default()
        };
        let mut by_grid: HashMap<String, CareCount> = HashMap::new();
        let mut by_worker: HashMap<String, CareCount> = HashMap::new();
        let mut by_community: HashMap<String, CareCount> = HashMap::new();
        for d in &people {
            let c = by_community
                .entry(d.community.clone())
                .or_insert_with(|| CareCount {
                    id: d.community.clone(),
                    ..Default::default()
                });
            c.people += 1;
            match d.state {
                DueState::Overdue(_) => c.overdue += 1,
                DueState::Soon => c.soon += 1,
                DueState::Ok => {}
            }
            let (gid, gname) = tops.get(&d.grid).cloned().unwrap_or_default();
            let g = by_grid.entry(gid.clone()).or_insert_with(|| CareCount {
                id: gid,
                name: gname,
                ..Default::default()
            });
            let wid = d.worker.clone().unwrap_or_default();
            let w = by_worker.entry(wid.clone()).or_insert_with(|| CareCount {
                id: wid,
                ..Default::default()
            });
            g.people += 1;
            w.people += 1;
            match d.state {
                DueState::Overdue(_) => {
                    page.overdue += 1;
                    g.overdue += 1;
                    w.overdue += 1;
                }
                DueState::Soon => {
                    page.soon += 1;
                    g.soon += 1;
                    w.soon += 1;
                }
                DueState::Ok => {}
            }
            if d.last.is_none() {
                page.never += 1;
            }
        }
        let mut workers: Vec<CareCount> = by_worker.into_values().collect();
        {
            let mut st = self
                .conn
                .prepare_cached("SELECT name FROM staff WHERE id = ?1")?;
            for w in workers.iter_mut().filter(|w| !w.id.is_empty()) {
                w.name = st
                    .query_row([&w.id], |r| r.get(0))
                    .optional()?
                    .unwrap_or_default();
            }
        }
        workers.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(a.name.cmp(&b.name)));
        let mut grids: Vec<CareCount> = by_grid.into_values().collect();
        grids.sort_by(|a, b| crate::domain::grid::natural_cmp(&a.name, &b.name));
        page.by_grid = grids;
        page.by_worker = workers;
        let names: HashMap<String, String> = self
            .conn
            .prepare_cached("SELECT community_code, name FROM communities WHERE deleted = 0")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut communities: Vec<CareCount> = by_community.into_values().collect();
        for c in communities.iter_mut() {
            c.name = names.get(&c.id).cloned().unwrap_or_default();
        }
        communities.sort_by(|a, b| a.id.cmp(&b.id));
        page.by_community = communities;
        people.retain(|d| match q.state.as_str() {
            "overdue" => matches!(d.state, DueState::Overdue(_)),
            "soon" => d.state == DueState::Soon,
            "due" => d.state != DueState::Ok,
            "never" => d.last.is_none(),
            _ => true,
        });
        // The most overdue first.
        people.sort_by(|a, b| a.due.cmp(&b.due).then(a.resident.cmp(&b.resident)));
        page.total = people.len() as u64;
        // u32::MAX: every row (the export); else a page of at most 200.
        let limit = if q.limit == u32::MAX {
            usize::MAX
        } else {
            q.limit.clamp(1, 200) as usize
        };
        for d in people.iter().skip(q.offset as usize).take(limit) {
            page.rows.push(self.care_row(d)?);
        }
        Ok(page)
    }

    /// Every row a care query finds (for the export), most overdue first.
    pub fn care_list_all(&self, q: &CareQuery) -> Result<Vec<CareRow>> {
        Ok(self
            .care_list(&CareQuery {
                offset: 0,
                limit: u32::MAX,
                ..q.clone()
            })?
            .rows)
    }

    fn care_row(&self, d: &Due) -> Result<CareRow> {
        let mut st = self.conn.prepare_cached(
            "SELECT r.name, r.gender, r.birth_date, coalesce(r.phone, ''), g.name,
                    coalesce(h.building || h.unit || h.room, ''),
                    (SELECT group_concat(t.name, ',') FROM resident_tags rt JOIN tags t ON t.id = rt.tag_id
                     WHERE rt.resident_id = r.id AND rt.deleted = 0 AND t.deleted = 0),
                    (SELECT s.name FROM care_plans cp JOIN staff s ON s.id = cp.worker_id
                     WHERE cp.resident_id = r.id AND cp.deleted = 0 ORDER BY cp.updated_at DESC LIMIT 1),
                    (SELECT m.name FROM care_plans cp JOIN party_members m ON m.id = cp.party_member_id
                     WHERE cp.resident_id = r.id AND cp.deleted = 0 ORDER BY cp.updated_at DESC LIMIT 1)
             FROM residents r JOIN grids g ON g.id = r.grid_id
             LEFT JOIN households h ON h.id = r.household_id
             WHERE r.id = ?1",
        )?;
        let (overdue_days, state) = match d.state {
            DueState::Overdue(n) => (n, "overdue"),
            s => (0, s.code()),
        };
        Ok(st.query_row([&d.resident], |r| {
            let tags: Option<String> = r.get(6)?;
            Ok(CareRow {
                resident_id: d.resident.clone(),
                name: r.get(0)?,
                gender: r.get(1)?,
                birth_date: r.get(2)?,
                phone: r.get(3)?,
                grid_name: r.get(4)?,
                address: r.get(5)?,
                tags: tags
                    .map(|t| t.split(',').map(str::to_string).collect())
                    .unwrap_or_default(),
                worker_name: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
                party_member_name: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
                cadence: d.cadence,
                last_visit: d.last.clone().unwrap_or_default(),
                due_date: d.due.to_string(),
                state: state.into(),
                overdue_days,
                community_code: d.community.clone(),
            })
        })?)
    }

    pub fn get_care(&self, resident_id: &str) -> Result<CareInfo> {
        let mut info = self
            .conn
            .query_row(
                "SELECT id, name, community_code, grid_id, coalesce(household_id, ''), status
                 FROM residents WHERE id = ?1 AND deleted = 0",
                [resident_id],
                |r| {
                    Ok(CareInfo {
                        resident_id: r.get(0)?,
                        name: r.get(1)?,
                        community_code: r.get(2)?,
                        grid_id: r.get(3)?,
                        household_id: r.get(4)?,
                        status: r.get(5)?,
                        ..Default::default()
                    })
                },
            )
            .optional()?
            .ok_or(StoreError::NotFound("resident"))?;
        let mut st = self.conn.prepare_cached(
            "SELECT t.id, t.name, t.visit_days FROM resident_tags rt JOIN tags t ON t.id = rt.tag_id
             WHERE rt.resident_id = ?1 AND rt.deleted = 0 AND t.deleted = 0 ORDER BY t.name",
        )?;
        info.tags = st
            .query_map([resident_id], |r| {
                Ok(TagCadence {
                    tag_id: r.get(0)?,
                    name: r.get(1)?,
                    visit_days: r.get::<_, i64>(2)?.max(0) as u32,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let plan = self
            .conn
            .query_row(
                "SELECT cp.resident_id, coalesce(cp.worker_id, ''), coalesce(cp.party_member_id, ''),
                        cp.visit_days, cp.start_date, cp.note, coalesce(s.name, ''), coalesce(m.name, '')
                 FROM care_plans cp LEFT JOIN staff s ON s.id = cp.worker_id
                 LEFT JOIN party_members m ON m.id = cp.party_member_id
                 WHERE cp.resident_id = ?1 AND cp.deleted = 0 ORDER BY cp.updated_at DESC LIMIT 1",
                [resident_id],
                |r| {
                    Ok((
                        CarePlanForm {
                            resident_id: r.get(0)?,
                            worker_id: r.get(1)?,
                            party_member_id: r.get(2)?,
                            visit_days: r.get::<_, i64>(3)?.max(0) as u32,
                            start_date: r.get(4)?,
                            note: r.get(5)?,
                        },
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                    ))
                },
            )
            .optional()?;
        if let Some((p, w, m)) = plan {
            info.plan = p;
            info.worker_name = w;
            info.party_member_name = m;
        }
        let tag_days: Vec<u32> = info.tags.iter().map(|t| t.visit_days).collect();
        info.cadence = care::cadence(info.plan.visit_days, &tag_days).unwrap_or(0);
        info.visits = self.visits_of(resident_id)?;
        info.last_visit = info
            .visits
            .iter()
            .map(|v| v.visit_date.clone())
            .max()
            .unwrap_or_default();
        if info.cadence > 0 && info.status == "active" {
            let start = Date::parse(&info.plan.start_date).unwrap_or_else(|| self.today());
            let due = care::next_due(Date::parse(&info.last_visit), start, info.cadence);
            let state = care::due_state(due, self.today());
            info.due_date = due.to_string();
            info.state = state.code().into();
            if let DueState::Overdue(n) = state {
                info.overdue_days = n;
            }
        }
        info.events = self.resident_events(resident_id)?;
        Ok(info)
    }

    fn visits_of(&self, resident_id: &str) -> Result<Vec<VisitRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT v.id, v.resident_id, r.name, g.name, v.visit_date, v.visitor_name, v.condition,
                    v.needs, v.note, coalesce(v.case_id, ''), coalesce(v.wish_id, '')
             FROM visits v JOIN residents r ON r.id = v.resident_id JOIN grids g ON g.id = r.grid_id
             WHERE v.resident_id = ?1 AND v.deleted = 0
             ORDER BY v.visit_date DESC, v.created_at DESC",
        )?;
        let rows = st.query_map([resident_id], visit_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn save_care_plan(&mut self, f: &CarePlanForm) -> Result<String> {
        let code = self.resident_community(&f.resident_id)?;
        let mut p: Vec<(String, String)> = Vec::new();
        if f.visit_days > care::MAX_CADENCE {
            p.push(("visit_days".into(), "out_of_range".into()));
        }
        if let Some(w) = opt(&f.worker_id) {
            if !self.exists("staff", w, &code)? {
                p.push(("worker_id".into(), "unknown".into()));
            }
        }
        if let Some(m) = opt(&f.party_member_id) {
            if !self.exists("party_members", m, &code)? {
                p.push(("party_member_id".into(), "unknown".into()));
            }
        }
        let start = if f.start_date.trim().is_empty() {
            self.today()
        } else {
            match Date::parse(&f.start_date) {
                Some(d) => d,
                None => {
                    p.push(("start_date".into(), "date_format".into()));
                    self.today()
                }
            }
        };
        if f.note.chars().count() > care::NEEDS_MAX {
            p.push(("note".into(), "too_long".into()));
        }
        if !p.is_empty() {
            return Err(StoreError::Invalid(p));
        }
        let current: Option<String> = self
            .conn
            .query_row(
                "SELECT id FROM care_plans WHERE resident_id = ?1 AND deleted = 0 ORDER BY updated_at DESC LIMIT 1",
                [&f.resident_id],
                |r| r.get(0),
            )
            .optional()?;
        let start = start.to_string();
        self.write(|tx, ctx| {
            let t = ctx.stamp();
            match current {
                Some(id) => {
                    tx.execute(
                        concat!(
                            "UPDATE care_plans SET ",
                            rebase!(),
                            "worker_id = ?1, party_member_id = ?2, visit_days = ?3, start_date = ?4, note = ?5,
                             updated_at = ?6, updated_by = ?7 WHERE id = ?8"
                        ),
                        params![
                            opt(&f.worker_id),
                            opt(&f.party_member_id),
                            f.visit_days,
                            start,
                            f.note.trim(),
                            t,
                            ctx.device_id,
                            id
                        ],
                    )?;
                    Ok(id)
                }
                None => {
                    let id = ctx.new_id();
                    tx.execute(
                        "INSERT INTO care_plans (id, community_code, resident_id, worker_id, party_member_id, visit_days,
                                                 start_date, note, created_at, updated_at, updated_by)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)",
                        params![
                            id,
                            code,
                            f.resident_id,
                            opt(&f.worker_id),
                            opt(&f.party_member_id),
                            f.visit_days,
                            start,
                            f.note.trim(),
                            t,
                            ctx.device_id
                        ],
                    )?;
                    Ok(id)
                }
            }
        })
    }

    fn resident_community(&self, resident_id: &str) -> Result<String> {
        self.conn
            .query_row(
                "SELECT community_code FROM residents WHERE id = ?1 AND deleted = 0",
                [resident_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound("resident"))
    }

    fn exists(&self, table: &str, id: &str, code: &str) -> Result<bool> {
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1 AND community_code = ?2 AND deleted = 0)"
        );
        Ok(self.conn.query_row(&sql, [id, code], |r| r.get(0))?)
    }

    pub fn record_visit(&mut self, f: &VisitForm) -> Result<String> {
        let code = self.resident_community(&f.resident_id)?;
        let today = self.today();
        let mut p: Vec<(String, String)> = care::check_visit(
            &VisitDraft {
                visit_date: &f.visit_date,
                visitor_name: &f.visitor_name,
                condition: &f.condition,
                needs: &f.needs,
                note: &f.note,
            },
            today,
        )
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        if let Some(v) = opt(&f.visitor_id) {
            if !self.exists("staff", v, &code)? {
                p.push(("visitor_id".into(), "unknown".into()));
            }
        }
        if let Some(m) = opt(&f.party_member_id) {
            if !self.exists("party_members", m, &code)? {
                p.push(("party_member_id".into(), "unknown".into()));
            }
        }
        if !p.is_empty() {
            return Err(StoreError::Invalid(p));
        }
        let date = Date::parse(&f.visit_date)
            .map(|d| d.to_string())
            .unwrap_or_default();
        let before = self.care_version()?;
        let id = self.write(|tx, ctx| {
            let id = ctx.new_id();
            let t = ctx.stamp();
            tx.execute(
                "INSERT INTO visits (id, community_code, resident_id, visit_date, visitor_id, party_member_id,
                                     visitor_name, condition, needs, note, created_at, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)",
                params![
                    id,
                    code,
                    f.resident_id,
                    date,
                    opt(&f.visitor_id),
                    opt(&f.party_member_id),
                    f.visitor_name.trim(),
                    f.condition,
                    f.needs.trim(),
                    f.note.trim(),
                    t,
                    ctx.device_id
                ],
            )?;
            Ok(id)
        })?;
        self.due_after(&before, &f.resident_id, Patch::Visit(date));
        Ok(id)
    }

    /// A new visit moves only its person's last visit, and with it their due date (a cadence
    /// after it); a person who leaves only drops off the lists; one who moves within the
    /// community only changes grid. The due lists kept for the care data as it stood before
    /// are updated in place and kept under the care data's new version, rather than computed
    /// again (a street's 34,000 key persons: ~200 ms in the next worker's first dashboard).
    /// In memory now; in `care_due_snapshot` by [`Store::flush_due_lists`], which the worker
    /// calls once the reply has gone (rewriting a street's snapshot takes 40–100 ms, not to be
    /// spent before the change is confirmed). A list kept for another version is left alone.
    fn due_after(&self, before: &CareVersion, resident_id: &str, patch: Patch) {
        let Ok(after) = self.care_version() else {
            return;
        };
        let today = self.today().to_days();
        let mut c = self.due_cache.0.borrow_mut();
        if c.key == (*before, today) {
            c.key = (after, today);
            for (code, list) in c.lists.iter_mut() {
                patched(
                    Arc::<Vec<Due>>::make_mut(list),
                    code,
                    resident_id,
                    &patch,
                    today,
                );
            }
        }
        c.patches
            .push((*before, after, resident_id.to_string(), patch));
    }

    /// Brings `care_due_snapshot` up to date: writes the lists computed since the last call,
    /// then applies the changes made since that they follow in place (see `due_after`). The worker calls it
    /// after posting each reply, so a request never waits for it. A cache: a list it cannot
    /// write or update is computed again when next read; nothing is written while an import's
    /// preview holds its transaction (what was computed then may be cancelled).
    pub fn flush_due_lists(&self) {
        let (unsaved, patches) = {
            let mut c = self.due_cache.0.borrow_mut();
            (
                std::mem::take(&mut c.unsaved),
                std::mem::take(&mut c.patches),
            )
        };
        if (unsaved.is_empty() && patches.is_empty()) || self.has_staged() {
            return;
        }
        for (code, version, list) in &unsaved {
            self.store_due(code, version, list);
        }
        if patches.is_empty() {
            return;
        }
        let today = self.today().to_days();
        let kept: Vec<(String, String)> = match self
            .conn
            .prepare_cached("SELECT community_code, version FROM care_due_snapshot")
            .and_then(|mut st| {
                st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()
            }) {
            Ok(k) => k,
            Err(_) => return,
        };
        for (code, version) in kept {
            let mut list: Option<Vec<Due>> = None;
            let mut version = version;
            for (before, after, resident, patch) in &patches {
                let day = if version == snapshot_version(before, None) {
                    None
                } else if version == snapshot_version(before, Some(today)) {
                    Some(today)
                } else {
                    continue;
                };
                if list.is_none() {
                    list = self.stored_due(&code, &(*before, today));
                }
                let Some(l) = list.as_mut() else {
                    break;
                };
                patched(l, &code, resident, patch, today);
                version = snapshot_version(after, day);
            }
            if let Some(l) = list {
                self.store_due(&code, &version, &l);
            }
        }
    }

    pub fn delete_visit(&mut self, id: &str) -> Result<()> {
        self.write(|tx, ctx| match super::tombstone(tx, ctx, "visits", id)? {
            0 => Err(StoreError::NotFound("visit")),
            _ => Ok(()),
        })
    }

    /// Links a visit to the case or wish its need became (`column`: case_id or wish_id).
    pub(crate) fn link_visit(
        tx: &rusqlite::Transaction,
        ctx: &mut super::Ctx,
        visit_id: &str,
        column: &str,
        target: &str,
    ) -> Result<()> {
        let sql = format!(
            concat!(
                "UPDATE visits SET ",
                rebase!(),
                "{col} = ?1, updated_at = ?2, updated_by = ?3 WHERE id = ?4 AND deleted = 0"
            ),
            col = column
        );
        let t = ctx.stamp();
        let n = tx.execute(&sql, params![target, t, ctx.device_id, visit_id])?;
        if n == 0 {
            return Err(invalid("visit_id", "unknown"));
        }
        Ok(())
    }

    pub fn list_visits(&self, q: &VisitQuery) -> Result<VisitPage> {
        let mut cond = vec!["v.deleted = 0".to_string()];
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if !q.community_code.is_empty() {
            cond.push("v.community_code = ?".into());
            args.push(q.community_code.clone().into());
        }
        if let Some(d) = Date::parse(&q.from) {
            cond.push("v.visit_date >= ?".into());
            args.push(d.to_string().into());
        }
        if let Some(d) = Date::parse(&q.to) {
            cond.push("v.visit_date <= ?".into());
            args.push(d.to_string().into());
        }
        if !q.grid_id.is_empty() {
            cond.push("r.grid_id IN (SELECT value FROM json_each(?))".into());
            args.push(
                serde_json::to_string(&self.grid_subtree(&q.grid_id)?)
                    .unwrap_or_default()
                    .into(),
            );
        }
        let where_ = cond.join(" AND ");
        let total: u64 = self.conn.query_row(
            &format!(
                "SELECT count(*) FROM visits v JOIN residents r ON r.id = v.resident_id WHERE {where_}"
            ),
            rusqlite::params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let limit = if q.xlsx {
            u32::MAX
        } else {
            q.limit.clamp(1, 200)
        };
        let sql = format!(
            "SELECT v.id, v.resident_id, r.name, g.name, v.visit_date, v.visitor_name, v.condition,
                    v.needs, v.note, coalesce(v.case_id, ''), coalesce(v.wish_id, '')
             FROM visits v JOIN residents r ON r.id = v.resident_id JOIN grids g ON g.id = r.grid_id
             WHERE {where_} ORDER BY v.visit_date DESC, v.created_at DESC LIMIT {limit} OFFSET {}",
            if q.xlsx { 0 } else { q.offset }
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(args.iter()), visit_row)?;
        Ok(VisitPage {
            total,
            offset: q.offset,
            rows: rows.collect::<rusqlite::Result<_>>()?,
        })
    }

    // ---- status history ----

    fn resident_events(&self, resident_id: &str) -> Result<Vec<ResidentEventRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT e.id, e.kind, e.event_date, coalesce(f.building || f.unit || f.room, ''),
                    coalesce(t.building || t.unit || t.room, ''), e.note
             FROM resident_events e
             LEFT JOIN households f ON f.id = e.from_household_id
             LEFT JOIN households t ON t.id = e.to_household_id
             WHERE e.resident_id = ?1 AND e.deleted = 0 ORDER BY e.event_date DESC, e.created_at DESC",
        )?;
        let rows = st.query_map([resident_id], |r| {
            Ok(ResidentEventRow {
                id: r.get(0)?,
                kind: r.get(1)?,
                event_date: r.get(2)?,
                from_address: r.get(3)?,
                to_address: r.get(4)?,
                note: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a status change and applies it: a move to another household here (迁移), out of
    /// the community (迁出: the resident stays findable, out of the household), death (死亡),
    /// a return (迁回). The history keeps where from and where to.
    pub fn change_status(&mut self, f: &StatusForm) -> Result<String> {
        let (code, status, household): (String, String, Option<String>) = self
            .conn
            .query_row(
                "SELECT community_code, status, household_id FROM residents WHERE id = ?1 AND deleted = 0",
                [&f.resident_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or(StoreError::NotFound("resident"))?;
        let mut p: Vec<(String, String)> = Vec::new();
        let Some(after) = care::status_after(&f.kind) else {
            return Err(invalid("kind", "unknown"));
        };
        if !care::may_change(&status, &f.kind) {
            p.push(("kind".into(), "status_not_now".into()));
        }
        let today = self.today();
        match Date::parse(&f.event_date) {
            None => p.push(("event_date".into(), "date_format".into())),
            Some(d) if d > today => p.push(("event_date".into(), "date_in_future".into())),
            _ => {}
        }
        let to = opt(&f.to_household_id).map(str::to_string);
        let mut to_grid: Option<String> = None;
        if let Some(h) = &to {
            to_grid = self
                .conn
                .query_row(
                    "SELECT grid_id FROM households WHERE id = ?1 AND community_code = ?2 AND deleted = 0",
                    [h, &code],
                    |r| r.get(0),
                )
                .optional()?;
            if to_grid.is_none() {
                p.push(("to_household_id".into(), "unknown".into()));
            }
        } else if f.kind == "moved" {
            p.push(("to_household_id".into(), "required".into()));
        }
        if f.note.chars().count() > care::NEEDS_MAX {
            p.push(("note".into(), "too_long".into()));
        }
        if !p.is_empty() {
            return Err(StoreError::Invalid(p));
        }
        let date = Date::parse(&f.event_date)
            .map(|d| d.to_string())
            .unwrap_or_default();
        // Leaving (out or dead) takes the resident out of the household; a move or a return
        // puts them in the new one.
        let new_household = match f.kind.as_str() {
            "moved_out" | "died" => None,
            _ => to.clone().or(household.clone()),
        };
        // What the kept due lists follow in place (a return: see below).
        let patch = match f.kind.as_str() {
            "moved_out" | "died" => Some(Patch::Left),
            "moved" => to_grid.clone().map(Patch::Grid),
            _ => None,
        };
        let before = self.care_version()?;
        let id = self.write(|tx, ctx| {
            let id = ctx.new_id();
            let t = ctx.stamp();
            tx.execute(
                "INSERT INTO resident_events (id, community_code, resident_id, kind, event_date, from_household_id,
                                              to_household_id, note, created_at, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)",
                params![
                    id,
                    code,
                    f.resident_id,
                    f.kind,
                    date,
                    household,
                    to,
                    f.note.trim(),
                    t,
                    ctx.device_id
                ],
            )?;
            let t = ctx.stamp();
            tx.execute(
                concat!(
                    "UPDATE residents SET ",
                    rebase!(),
                    "status = ?1, household_id = ?2, grid_id = coalesce(?3, grid_id), updated_at = ?4, updated_by = ?5
                     WHERE id = ?6"
                ),
                params![after, new_household, to_grid, t, ctx.device_id, f.resident_id],
            )?;
            Ok(id)
        })?;
        // Back, the person is listed again as they are now (their tags, plan and visits were
        // kept), unless their due date would depend on today: then the lists are computed again.
        let patch = match (patch, f.kind.as_str()) {
            (None, "returned") => match self.due_person(&f.resident_id)? {
                Some((due, false)) => Some(Patch::Back(Box::new(due))),
                Some((_, true)) => None,
                None => Some(Patch::Left),
            },
            (patch, _) => patch,
        };
        if let Some(p) = patch {
            self.due_after(&before, &f.resident_id, p);
        }
        Ok(id)
    }

    // ---- party organisation ----

    pub fn party_org(&self, community_code: &str) -> Result<PartyTree> {
        let mut st = self.conn.prepare_cached(
            "SELECT o.id, o.grid_id, g.name, coalesce(o.parent_id, ''), o.kind, o.name, o.note,
                    (SELECT count(*) FROM party_members m WHERE m.org_id = o.id AND m.deleted = 0)
             FROM party_orgs o JOIN grids g ON g.id = o.grid_id
             WHERE o.community_code = ?1 AND o.deleted = 0 ORDER BY o.kind, g.name, o.name",
        )?;
        let orgs: Vec<PartyOrgRow> = st
            .query_map([community_code], |r| {
                Ok(PartyOrgRow {
                    id: r.get(0)?,
                    grid_id: r.get(1)?,
                    grid_name: r.get(2)?,
                    parent_id: r.get(3)?,
                    kind: r.get(4)?,
                    name: r.get(5)?,
                    note: r.get(6)?,
                    members: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut st = self.conn.prepare_cached(
            "SELECT m.id, m.org_id, coalesce(m.resident_id, ''), m.name, m.phone, m.role, m.joined_on,
                    coalesce(m.center_household_id, ''), coalesce(h.building || h.unit || h.room, ''), m.note,
                    (SELECT count(*) FROM care_plans cp WHERE cp.party_member_id = m.id AND cp.deleted = 0
                       AND cp.id = (SELECT x.id FROM care_plans x WHERE x.resident_id = cp.resident_id AND x.deleted = 0
                                    ORDER BY x.updated_at DESC LIMIT 1))
             FROM party_members m LEFT JOIN households h ON h.id = m.center_household_id
             WHERE m.community_code = ?1 AND m.deleted = 0 ORDER BY m.name, m.id",
        )?;
        let members: Vec<PartyMemberRow> = st
            .query_map([community_code], |r| {
                Ok(PartyMemberRow {
                    id: r.get(0)?,
                    org_id: r.get(1)?,
                    resident_id: r.get(2)?,
                    name: r.get(3)?,
                    phone: r.get(4)?,
                    role: r.get(5)?,
                    joined_on: r.get(6)?,
                    center_household_id: r.get(7)?,
                    center_address: r.get(8)?,
                    note: r.get(9)?,
                    pairs: r.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let tops = self.top_grids(community_code)?;
        let org_grid: HashMap<&str, &str> = orgs
            .iter()
            .map(|o| (o.id.as_str(), o.grid_id.as_str()))
            .collect();
        let mut by_grid: Vec<CareCount> = Vec::new();
        let mut slot = |grid: &str| -> usize {
            let (gid, gname) = tops.get(grid).cloned().unwrap_or_default();
            match by_grid.iter().position(|c| c.id == gid) {
                Some(i) => i,
                None => {
                    by_grid.push(CareCount {
                        id: gid,
                        name: gname,
                        ..Default::default()
                    });
                    by_grid.len() - 1
                }
            }
        };
        let mut counts: Vec<(usize, u64, u64, u64)> = Vec::new(); // slot, orgs, members, centers
        for o in &orgs {
            counts.push((slot(&o.grid_id), 1, 0, 0));
        }
        for m in &members {
            if let Some(g) = org_grid.get(m.org_id.as_str()) {
                let centers = u64::from(!m.center_household_id.is_empty());
                counts.push((slot(g), 0, 1, centers));
            }
        }
        for (i, o, m, c) in counts {
            by_grid[i].soon += o;
            by_grid[i].people += m;
            by_grid[i].overdue += c;
        }
        by_grid.sort_by(|a, b| crate::domain::grid::natural_cmp(&a.name, &b.name));
        Ok(PartyTree {
            orgs,
            members,
            by_grid,
        })
    }

    pub fn save_party_org(&mut self, f: &PartyOrgForm) -> Result<String> {
        let mut p: Vec<(String, String)> = Vec::new();
        let name = f.name.trim();
        if name.is_empty() {
            p.push(("name".into(), "required".into()));
        } else if name.chars().count() > 40 {
            p.push(("name".into(), "too_long".into()));
        }
        if !care::ORG_KINDS.contains(&f.kind.as_str()) {
            p.push(("kind".into(), "required".into()));
        }
        if self.grid_community(&f.grid_id).ok().as_deref() != Some(f.community_code.as_str()) {
            p.push(("grid_id".into(), "unknown".into()));
        }
        if let Some(parent) = opt(&f.parent_id) {
            if !self.exists("party_orgs", parent, &f.community_code)? || parent == f.id {
                p.push(("parent_id".into(), "unknown".into()));
            }
        }
        if !p.is_empty() {
            return Err(StoreError::Invalid(p));
        }
        self.write(|tx, ctx| {
            let t = ctx.stamp();
            if f.id.is_empty() {
                let id = ctx.new_id();
                tx.execute(
                    "INSERT INTO party_orgs (id, community_code, grid_id, parent_id, kind, name, note, created_at, updated_at, updated_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
                    params![id, f.community_code, f.grid_id, opt(&f.parent_id), f.kind, name, f.note.trim(), t, ctx.device_id],
                )?;
                Ok(id)
            } else {
                let n = tx.execute(
                    concat!(
                        "UPDATE party_orgs SET ",
                        rebase!(),
                        "grid_id = ?1, parent_id = ?2, kind = ?3, name = ?4, note = ?5, updated_at = ?6, updated_by = ?7
                         WHERE id = ?8 AND deleted = 0"
                    ),
                    params![f.grid_id, opt(&f.parent_id), f.kind, name, f.note.trim(), t, ctx.device_id, f.id],
                )?;
                if n == 0 {
                    return Err(StoreError::NotFound("party_org"));
                }
                Ok(f.id.clone())
            }
        })
    }

    pub fn save_party_member(&mut self, f: &PartyMemberForm) -> Result<String> {
        let code: String = self
            .conn
            .query_row(
                "SELECT community_code FROM party_orgs WHERE id = ?1 AND deleted = 0",
                [&f.org_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| invalid("org_id", "required"))?;
        let mut p: Vec<(String, String)> = Vec::new();
        let mut name = f.name.trim().to_string();
        let mut phone = f.phone.trim().to_string();
        let mut household: Option<String> = None;
        if let Some(rid) = opt(&f.resident_id) {
            let r: Option<(String, Option<String>, Option<String>)> = self
                .conn
                .query_row(
                    "SELECT name, phone, household_id FROM residents WHERE id = ?1 AND community_code = ?2 AND deleted = 0",
                    [rid, &code],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            match r {
                Some((n, ph, h)) => {
                    name = n;
                    if phone.is_empty() {
                        phone = ph.unwrap_or_default();
                    }
                    household = h;
                }
                None => p.push(("resident_id".into(), "unknown".into())),
            }
        }
        if name.is_empty() {
            p.push(("name".into(), "required".into()));
        } else if name.chars().count() > 30 {
            p.push(("name".into(), "too_long".into()));
        }
        if !phone.is_empty() {
            match crate::domain::resident::normalize_phone(&phone) {
                Some(x) => phone = x,
                None => p.push(("phone".into(), "phone_format".into())),
            }
        }
        let role = if f.role.is_empty() { "member" } else { &f.role };
        if !care::MEMBER_ROLES.contains(&role) {
            p.push(("role".into(), "unknown".into()));
        }
        if !f.joined_on.trim().is_empty() && Date::parse(&f.joined_on).is_none() {
            p.push(("joined_on".into(), "date_format".into()));
        }
        if f.center && household.is_none() {
            p.push(("center".into(), "center_needs_household".into()));
        }
        if !p.is_empty() {
            return Err(StoreError::Invalid(p));
        }
        let joined = Date::parse(&f.joined_on)
            .map(|d| d.to_string())
            .unwrap_or_default();
        let center = if f.center { household } else { None };
        self.write(|tx, ctx| {
            let t = ctx.stamp();
            if f.id.is_empty() {
                let id = ctx.new_id();
                tx.execute(
                    "INSERT INTO party_members (id, community_code, org_id, resident_id, name, phone, role, joined_on,
                                                center_household_id, note, created_at, updated_at, updated_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)",
                    params![id, code, f.org_id, opt(&f.resident_id), name, phone, role, joined, center, f.note.trim(), t, ctx.device_id],
                )?;
                Ok(id)
            } else {
                let n = tx.execute(
                    concat!(
                        "UPDATE party_members SET ",
                        rebase!(),
                        "org_id = ?1, resident_id = ?2, name = ?3, phone = ?4, role = ?5, joined_on = ?6,
                         center_household_id = ?7, note = ?8, updated_at = ?9, updated_by = ?10
                         WHERE id = ?11 AND deleted = 0"
                    ),
                    params![f.org_id, opt(&f.resident_id), name, phone, role, joined, center, f.note.trim(), t, ctx.device_id, f.id],
                )?;
                if n == 0 {
                    return Err(StoreError::NotFound("party_member"));
                }
                Ok(f.id.clone())
            }
        })
    }

    pub fn delete_party_member(&mut self, id: &str) -> Result<()> {
        self.write(
            |tx, ctx| match super::tombstone(tx, ctx, "party_members", id)? {
                0 => Err(StoreError::NotFound("party_member")),
                _ => Ok(()),
            },
        )
    }
}

fn visit_row(r: &rusqlite::Row) -> rusqlite::Result<VisitRow> {
    Ok(VisitRow {
        id: r.get(0)?,
        resident_id: r.get(1)?,
        resident_name: r.get(2)?,
        grid_name: r.get(3)?,
        visit_date: r.get(4)?,
        visitor_name: r.get(5)?,
        condition: r.get(6)?,
        needs: r.get(7)?,
        note: r.get(8)?,
        case_id: r.get(9)?,
        wish_id: r.get(10)?,
    })
}
