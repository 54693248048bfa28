//! Key-group care, residents' status history and the party organisation, through the store
//! the worker runs: cadences per tag and per person, due and overdue visits that change when a
//! visit is recorded, a need turned into a case linked to its visit, moves out and deaths kept
//! in the history with the resident still findable, branches, groups and members with
//! 党员中心户 and counts per grid, and all of it through a bundle (format 4) and the v10 fixture.

#![cfg(feature = "store")]

use gridledger::domain::bundle;
use gridledger::domain::sample::SampleOptions;
use gridledger::protocol::{
    CarePlanForm, CareQuery, CaseForm, ExportOptions, PartyMemberForm, PartyOrgForm, ResidentQuery,
    StatusForm, StreetSetup, VisitForm, VisitQuery,
};
use gridledger::storage::{Store, StoreError, SCHEMA_VERSION};
use std::path::Path;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

static CLOCK: AtomicI64 = AtomicI64::new(1_795_000_000_000);
fn now() -> i64 {
    CLOCK.fetch_add(1000, Ordering::SeqCst)
}
static SEED: AtomicU64 = AtomicU64::new(9100);
const CODE: &str = "410103008005";

fn community() -> Store {
    let mut s = Store::open_in_memory(now, SEED.fetch_add(1, Ordering::SeqCst)).unwrap();
    let mut o = SampleOptions::community(5, now());
    o.households = 120;
    o.cases = 20;
    o.grids = 3;
    s.load_sample(&o).unwrap();
    s
}

/// A database file of its own under the temp dir (none yet), and how to open a store on it
/// (again: "the next start").
fn on_file(name: &str) -> (std::path::PathBuf, impl Fn() -> Store) {
    let path =
        std::env::temp_dir().join(format!("gridledger-{name}-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let at = path.clone();
    let open = move || {
        let conn = rusqlite::Connection::open(&at).unwrap();
        Store::open(conn, now, SEED.fetch_add(1, Ordering::SeqCst)).unwrap()
    };
    (path, open)
}

/// The sample community (120 households, 3 grids, no cases) loaded into `s`.
fn load_community(s: &mut Store, seed: u64) {
    let mut o = SampleOptions::community(seed, now());
    o.households = 120;
    o.cases = 0;
    o.grids = 3;
    s.load_sample(&o).unwrap();
}

fn first(s: &Store, sql: &str) -> String {
    s.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn count(s: &Store, sql: &str) -> i64 {
    s.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The care list, and then what the worker does after each reply: the kept lists written.
fn list(s: &Store, state: &str) -> gridledger::protocol::CarePage {
    let page = s
        .care_list(&CareQuery {
            community_code: CODE.into(),
            state: state.into(),
            limit: 200,
            ..Default::default()
        })
        .unwrap();
    s.flush_due_lists();
    page
}

fn codes(e: StoreError) -> Vec<(String, String)> {
    match e {
        StoreError::Invalid(v) => v,
        other => panic!("{other:?}"),
    }
}

#[test]
fn key_groups_have_cadences_and_the_sample_has_late_and_timely_visits() {
    let s = community();
    let groups = s.key_groups(CODE).unwrap();
    let alone = groups.iter().find(|g| g.name == "独居老人").unwrap();
    assert_eq!(alone.visit_days, 7);
    assert!(alone.people > 0);
    assert_eq!(
        alone.by_grid.iter().map(|g| g.people).sum::<u64>(),
        alone.people,
        "every person counted in one first-level grid"
    );
    assert!(
        alone.by_grid.iter().all(|g| g.name.starts_with('第')),
        "{:?}",
        alone.by_grid
    );
    assert_eq!(
        groups.iter().find(|g| g.name == "党员").unwrap().visit_days,
        0
    );
    let all = list(&s, "");
    assert!(all.people > 20, "{}", all.people);
    assert!(all.overdue > 0 && all.overdue < all.people, "{all:?}");
    assert!(all.never > 0);
    let overdue = list(&s, "overdue");
    assert_eq!(overdue.total, all.overdue);
    assert!(overdue
        .rows
        .iter()
        .all(|r| r.state == "overdue" && r.overdue_days > 0));
    // The most overdue first; every key person has a worker in the sample.
    let days: Vec<i64> = overdue.rows.iter().map(|r| r.overdue_days).collect();
    assert!(days.windows(2).all(|w| w[0] >= w[1]), "{days:?}");
    assert!(overdue.rows.iter().all(|r| !r.worker_name.is_empty()));
    assert_eq!(
        all.by_worker.iter().map(|w| w.overdue).sum::<u64>(),
        all.overdue
    );
    // Moved-out and deceased residents are nobody's key person.
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM residents WHERE status != 'active'"
        ),
        12
    );
}

#[test]
fn a_visit_takes_a_person_off_the_overdue_list_and_cadences_move_due_dates() {
    let mut s = community();
    let before = list(&s, "overdue");
    let who = before.rows[0].clone();
    let bad = s
        .record_visit(&VisitForm {
            resident_id: who.resident_id.clone(),
            visit_date: "2099-01-01".into(),
            visitor_name: "".into(),
            condition: "great".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(
        codes(bad),
        [
            ("visit_date".to_string(), "date_in_future".to_string()),
            ("visitor_name".into(), "required".into()),
            ("condition".into(), "required".into())
        ]
    );
    let today = s.today().to_string();
    s.record_visit(&VisitForm {
        resident_id: who.resident_id.clone(),
        visit_date: today.clone(),
        visitor_name: "李网格".into(),
        condition: "fair".into(),
        needs: "卫生间扶手松动".into(),
        ..Default::default()
    })
    .unwrap();
    let after = list(&s, "overdue");
    assert_eq!(after.overdue, before.overdue - 1);
    assert!(after.rows.iter().all(|r| r.resident_id != who.resident_id));
    let care = s.get_care(&who.resident_id).unwrap();
    assert_eq!(care.last_visit, today);
    assert_eq!(care.state, "ok");
    assert_eq!(care.visits[0].needs, "卫生间扶手松动");
    // A visit recorded by mistake is deleted (a tombstone) and the person is overdue again.
    let n = care.visits.len();
    s.delete_visit(&care.visits[0].id).unwrap();
    assert!(matches!(
        s.delete_visit(&care.visits[0].id),
        Err(StoreError::NotFound("visit"))
    ));
    let again = s.get_care(&who.resident_id).unwrap();
    assert_eq!(again.visits.len(), n - 1);
    assert_eq!(again.state, "overdue");
    s.record_visit(&VisitForm {
        resident_id: who.resident_id.clone(),
        visit_date: today.clone(),
        visitor_name: "李网格".into(),
        condition: "fair".into(),
        ..Default::default()
    })
    .unwrap();

    // A person's own cadence wins over their tags'; a tag's cadence applies to all with it.
    s.save_care_plan(&CarePlanForm {
        resident_id: who.resident_id.clone(),
        visit_days: 1,
        ..care.plan.clone()
    })
    .unwrap();
    assert_eq!(s.get_care(&who.resident_id).unwrap().cadence, 1);
    assert_eq!(s.get_care(&who.resident_id).unwrap().state, "soon");
    let tag = first(&s, "SELECT id FROM tags WHERE name = '独居老人'");
    let alone_before = s
        .care_list(&CareQuery {
            community_code: CODE.into(),
            tag_id: tag.clone(),
            limit: 1,
            ..Default::default()
        })
        .unwrap();
    s.set_tag_cadence(&tag, 0).unwrap();
    let alone_after = s
        .care_list(&CareQuery {
            community_code: CODE.into(),
            tag_id: tag.clone(),
            limit: 1,
            ..Default::default()
        })
        .unwrap();
    assert!(
        alone_after.people < alone_before.people,
        "no plan for 独居老人 alone any more"
    );
    assert!(s.set_tag_cadence(&tag, 400).is_err());
}

#[test]
fn a_need_found_on_a_visit_becomes_a_case_linked_to_it() {
    let mut s = community();
    let who = list(&s, "").rows[0].clone();
    let visit = s
        .record_visit(&VisitForm {
            resident_id: who.resident_id.clone(),
            visit_date: s.today().to_string(),
            visitor_name: "李网格".into(),
            condition: "poor".into(),
            needs: "楼道灯坏了".into(),
            ..Default::default()
        })
        .unwrap();
    let grid = first(
        &s,
        &format!(
            "SELECT grid_id FROM residents WHERE id = '{}'",
            who.resident_id
        ),
    );
    let category = first(
        &s,
        "SELECT code FROM case_categories WHERE parent_code IS NOT NULL ORDER BY code LIMIT 1",
    );
    let case = s
        .report_case(&CaseForm {
            community_code: CODE.into(),
            grid_id: grid,
            category_code: category,
            title: "楼道灯坏了".into(),
            channel: "visit".into(),
            reporter_id: who.resident_id.clone(),
            visit_id: visit.clone(),
            ..Default::default()
        })
        .unwrap();
    let care = s.get_care(&who.resident_id).unwrap();
    assert_eq!(care.visits[0].case_id, case);
}

#[test]
fn moves_and_deaths_are_kept_in_the_history_and_moved_out_residents_stay_findable() {
    let mut s = community();
    let r = first(
        &s,
        "SELECT r.id FROM residents r WHERE r.status = 'active' AND r.household_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM care_plans c WHERE c.resident_id = r.id) ORDER BY r.id LIMIT 1",
    );
    let name = first(&s, &format!("SELECT name FROM residents WHERE id = '{r}'"));
    let other_home = first(
        &s,
        &format!("SELECT id FROM households WHERE id != (SELECT household_id FROM residents WHERE id = '{r}') ORDER BY id LIMIT 1"),
    );
    let today = s.today().to_string();
    // A move needs the new household.
    let e = s
        .change_status(&StatusForm {
            resident_id: r.clone(),
            kind: "moved".into(),
            event_date: today.clone(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(
        codes(e),
        [("to_household_id".to_string(), "required".to_string())]
    );
    s.change_status(&StatusForm {
        resident_id: r.clone(),
        kind: "moved".into(),
        event_date: today.clone(),
        to_household_id: other_home.clone(),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(s.get_resident(&r).unwrap().household_id, other_home);
    s.change_status(&StatusForm {
        resident_id: r.clone(),
        kind: "moved_out".into(),
        event_date: today.clone(),
        note: "迁往外区".into(),
        ..Default::default()
    })
    .unwrap();
    let search = |s: &Store, status: &str| {
        s.search_residents(&ResidentQuery {
            community_code: CODE.into(),
            text: name.clone(),
            status: status.into(),
            limit: 50,
            ..Default::default()
        })
        .unwrap()
        .rows
        .into_iter()
        .filter(|x| x.id == r)
        .collect::<Vec<_>>()
    };
    assert!(search(&s, "").is_empty(), "not among the residents here");
    assert_eq!(search(&s, "moved_out")[0].status, "moved_out");
    assert_eq!(search(&s, "all").len(), 1);
    // Moved out: a move inside is refused; a return or a death is not.
    let e = s
        .change_status(&StatusForm {
            resident_id: r.clone(),
            kind: "moved".into(),
            event_date: today.clone(),
            to_household_id: other_home.clone(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(
        codes(e),
        [("kind".to_string(), "status_not_now".to_string())]
    );
    s.change_status(&StatusForm {
        resident_id: r.clone(),
        kind: "died".into(),
        event_date: today.clone(),
        ..Default::default()
    })
    .unwrap();
    let care = s.get_care(&r).unwrap();
    assert_eq!(care.status, "deceased");
    let kinds: Vec<&str> = care.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["died", "moved_out", "moved"]);
    assert!(!care.events[2].to_address.is_empty());
}

#[test]
fn party_branches_groups_and_members_count_per_grid_and_pair_with_key_persons() {
    let mut s = community();
    let tree = s.party_org(CODE).unwrap();
    assert!(tree
        .orgs
        .iter()
        .any(|o| o.kind == "branch" && o.name.ends_with("党支部")));
    assert!(tree.orgs.iter().any(|o| o.kind == "group"));
    assert_eq!(
        tree.by_grid.iter().map(|g| g.people).sum::<u64>(),
        tree.members.len() as u64
    );
    assert!(
        tree.members.iter().any(|m| m.pairs > 0),
        "sample members care for key persons"
    );
    let grid = first(
        &s,
        "SELECT id FROM grids WHERE level = 1 ORDER BY name LIMIT 1",
    );
    let branch = s
        .save_party_org(&PartyOrgForm {
            community_code: CODE.into(),
            grid_id: grid.clone(),
            kind: "branch".into(),
            name: "新建网格党支部".into(),
            ..Default::default()
        })
        .unwrap();
    let group = s
        .save_party_org(&PartyOrgForm {
            community_code: CODE.into(),
            grid_id: grid.clone(),
            parent_id: branch.clone(),
            kind: "group".into(),
            name: "1号楼党小组".into(),
            ..Default::default()
        })
        .unwrap();
    let resident = first(
        &s,
        "SELECT id FROM residents WHERE household_id IS NOT NULL AND status = 'active' ORDER BY id DESC LIMIT 1",
    );
    let e = s
        .save_party_member(&PartyMemberForm {
            org_id: group.clone(),
            name: "".into(),
            phone: "123".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(
        codes(e),
        [
            ("name".to_string(), "required".to_string()),
            ("phone".into(), "phone_format".into())
        ]
    );
    let member = s
        .save_party_member(&PartyMemberForm {
            org_id: group.clone(),
            resident_id: resident.clone(),
            role: "secretary".into(),
            joined_on: "2001-07-01".into(),
            center: true,
            ..Default::default()
        })
        .unwrap();
    let tree = s.party_org(CODE).unwrap();
    let m = tree.members.iter().find(|m| m.id == member).unwrap();
    assert!(!m.center_address.is_empty(), "党员中心户");
    assert_eq!(tree.orgs.iter().find(|o| o.id == group).unwrap().members, 1);
    // Picked for a care pairing.
    let key = list(&s, "").rows[0].resident_id.clone();
    let plan = s.get_care(&key).unwrap().plan;
    s.save_care_plan(&CarePlanForm {
        resident_id: key.clone(),
        party_member_id: member.clone(),
        ..plan
    })
    .unwrap();
    let care = s.get_care(&key).unwrap();
    assert_eq!(care.plan.party_member_id, member);
    assert!(!care.party_member_name.is_empty());
    assert!(s
        .save_care_plan(&CarePlanForm {
            resident_id: key,
            party_member_id: "nobody".into(),
            ..Default::default()
        })
        .is_err());
}

#[test]
fn care_travels_in_a_bundle_and_the_street_sees_the_same_due_list() {
    let mut office = community();
    let who = list(&office, "overdue").rows[0].resident_id.clone();
    let r = first(
        &office,
        "SELECT id FROM residents WHERE status = 'active' ORDER BY id LIMIT 1",
    );
    office
        .change_status(&StatusForm {
            resident_id: r.clone(),
            kind: "moved_out".into(),
            event_date: office.today().to_string(),
            ..Default::default()
        })
        .unwrap();
    let b = office.export_bundle(&ExportOptions::default()).unwrap();
    assert_eq!(b.version, 4);
    for t in [
        "visits",
        "care_plans",
        "party_orgs",
        "party_members",
        "resident_events",
    ] {
        assert!(b.tables.get(t).is_some_and(|x| !x.is_empty()), "{t}");
    }
    let parsed = bundle::parse(b.to_json().as_bytes()).unwrap();
    let mut st = Store::open_in_memory(now, 77).unwrap();
    st.setup_street(&StreetSetup {
        name: "建中街街道".into(),
        code: "410103008".into(),
        device_name: "街道".into(),
        actor_name: "王主任".into(),
    })
    .unwrap();
    st.import_bundle(&parsed, "x", false, "t").unwrap();
    let (a, b) = (list(&office, ""), list(&st, ""));
    assert_eq!(
        (a.people, a.overdue, a.soon, a.never),
        (b.people, b.overdue, b.soon, b.never)
    );
    // The street sees it per community.
    let street_wide = st
        .care_list(&CareQuery {
            community_code: String::new(),
            limit: 5,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(street_wide.by_community.len(), 1);
    let row = &street_wide.by_community[0];
    assert_eq!((row.id.as_str(), row.name.as_str()), (CODE, "永安社区"));
    assert_eq!(
        (row.people, row.overdue, row.soon),
        (a.people, a.overdue, a.soon)
    );
    assert_eq!(
        office.get_care(&who).unwrap().visits,
        st.get_care(&who).unwrap().visits
    );
    assert_eq!(st.get_care(&r).unwrap().status, "moved_out");
    let visits = st
        .list_visits(&VisitQuery {
            community_code: CODE.into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert!(visits.total > 100);
    // A version-3 bundle (before these tables and columns): its residents are all here, its
    // tags have no visit plan.
    let mut v3 = parsed.clone();
    v3.version = 3;
    for t in [
        "visits",
        "care_plans",
        "party_orgs",
        "party_members",
        "resident_events",
    ] {
        v3.tables.remove(t);
        v3.counts.remove(t);
    }
    for r in v3.tables.get_mut("residents").unwrap() {
        r.remove("status");
    }
    for r in v3.tables.get_mut("tags").unwrap() {
        r.remove("visit_days");
    }
    v3.masked.clear();
    v3.seal();
    let old = bundle::parse(v3.to_json().as_bytes()).unwrap();
    assert!(old.tables["residents"]
        .iter()
        .all(|r| r["status"] == "active"));
    assert!(old.tables["tags"].iter().all(|r| r["visit_days"] == 0));
    // A version-3 bundle that has a version-4 column is refused.
    let mut bad = v3.clone();
    bad.tables.get_mut("tags").unwrap()[0].insert("visit_days", 7.into());
    bad.seal();
    assert_eq!(
        bundle::parse(bad.to_json().as_bytes()).unwrap_err().code,
        "unknown_field"
    );
}

/// A copy of the schema-v`version` fixture (checked to be that version), opened and so
/// migrated to the current schema and checked for integrity; the copy's path to remove.
fn migrated_fixture(version: u32) -> (Store, std::path::PathBuf) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/schema-v{version}.sqlite"));
    let path = std::env::temp_dir().join(format!(
        "gridledger-care-v{version}-{}.sqlite",
        std::process::id()
    ));
    std::fs::copy(&fixture, &path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        v, version,
        "the fixture is (and must stay) a schema-v{version} database"
    );
    let s = Store::open(conn, now, 3).unwrap();
    assert_eq!(
        gridledger::storage::migrations::version(s.conn()).unwrap(),
        SCHEMA_VERSION
    );
    assert!(s.integrity_ok().unwrap());
    (s, path)
}

#[test]
fn the_schema_v10_fixture_migrates_with_cadences_for_the_builtin_tags() {
    let (s, path) = migrated_fixture(10);
    assert_eq!(
        count(&s, "SELECT visit_days FROM tags WHERE name = '独居老人'"),
        7
    );
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM residents WHERE status != 'active'"
        ),
        0
    );
    // Its key persons have never been visited: all due from when they were tagged.
    let page = list(&s, "");
    assert!(page.people > 0);
    assert_eq!(page.never, page.people);
    drop(s);
    let _ = std::fs::remove_file(&path);
}

/// Made by `gridledger sample --db tests/fixtures/schema-v12.sqlite --households 30 --grids 2`
/// with schema 12, then trimmed to its first 30 cases (the case-event triggers dropped for the
/// delete and made again with their own SQL) and vacuumed. Must stay a schema-v12 database.
#[test]
fn the_schema_v12_fixture_migrates_and_counts_households_on_an_index() {
    let (s, path) = migrated_fixture(12);
    let plan: Vec<String> = s
        .conn()
        .prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM households h WHERE h.community_code = ?1 AND h.deleted = 0")
        .unwrap()
        .query_map([CODE], |r| r.get(3))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert!(
        plan.iter()
            .any(|p| p.contains("COVERING INDEX households_by_community")),
        "{plan:?}"
    );
    drop(s);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn a_new_resident_born_or_moved_in_starts_their_history_and_exports_mask_on_request() {
    let mut s = community();
    let grid = first(
        &s,
        "SELECT id FROM grids WHERE level = 2 ORDER BY id LIMIT 1",
    );
    let id = s
        .save_resident(&gridledger::protocol::ResidentForm {
            community_code: CODE.into(),
            name: "新生儿".into(),
            gender: "F".into(),
            birth_date: "2026-11-01".into(),
            grid_id: grid.clone(),
            arrival: "born".into(),
            ..Default::default()
        })
        .unwrap();
    let care = s.get_care(&id).unwrap();
    assert_eq!(care.events.len(), 1);
    assert_eq!(
        (
            care.events[0].kind.as_str(),
            care.events[0].event_date.as_str()
        ),
        ("born", "2026-11-01")
    );
    let bad = s
        .save_resident(&gridledger::protocol::ResidentForm {
            community_code: CODE.into(),
            name: "某某".into(),
            gender: "M".into(),
            birth_date: "1990-01-01".into(),
            grid_id: grid,
            arrival: "fell_from_sky".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(codes(bad), [("arrival".to_string(), "unknown".to_string())]);

    // The visit list export masks the key persons' names and phones when asked.
    let mut session = gridledger::worker::Session::default();
    let export = |s: &mut Store, session: &mut gridledger::worker::Session, mask: Vec<String>| {
        let (mut reply, bytes) = gridledger::worker::handle_with(
            s,
            session,
            gridledger::protocol::Request::ExportCare {
                query: CareQuery {
                    community_code: CODE.into(),
                    ..Default::default()
                },
                mask,
            },
            None,
            [0; 28],
            0.0,
            &mut |_, _, _| {},
        );
        let bytes = bytes.unwrap().into_bytes(&mut reply);
        assert!(reply.is_ok(), "{reply:?}");
        gridledger::sheet::read(&bytes).unwrap().remove(0).rows
    };
    let plain = export(&mut s, &mut session, vec![]);
    let masked = export(&mut s, &mut session, vec!["name".into(), "phone".into()]);
    assert_eq!(plain.len(), masked.len());
    assert!(plain.len() > 20);
    assert_eq!(masked[0][0].as_text(), "姓名");
    assert!(masked[1..].iter().all(|r| r[0].as_text().contains('*')));
    assert!(plain[1..].iter().all(|r| !r[0].as_text().contains('*')));
    assert!(masked[1..]
        .iter()
        .all(|r| r[3].is_blank() || r[3].as_text().contains("****")));
}

/// The resident lists (here now, the default) count and page on a covering index, for one
/// community and for the whole street: no table scan, no sort (a regression made the street's
/// first page 150× slower at 200,000 residents once).
#[test]
fn resident_lists_count_and_page_on_an_index() {
    let s = community();
    for code in [CODE, ""] {
        for status in ["", "moved_out", "all"] {
            let plan = s
                .resident_list_plan(&ResidentQuery {
                    community_code: code.into(),
                    status: status.into(),
                    limit: 50,
                    ..Default::default()
                })
                .unwrap();
            assert!(
                plan.iter()
                    .all(|p| p.contains("COVERING INDEX") && !p.contains("TEMP B-TREE")),
                "{code:?} {status:?}: {plan:?}"
            );
        }
    }
}

/// A pinyin-initials search ("zs" finds 张三, 张顺…) counts and orders its matches on a covering
/// index: two letters match thousands of residents at street scale, and a table row read for
/// each made the search's p95 14 ms natively instead of 1.5 (migration 16).
#[test]
fn initials_searches_count_and_order_on_the_index_alone() {
    let s = community();
    for code in [CODE, ""] {
        let q = ResidentQuery {
            community_code: code.into(),
            text: "zs".into(),
            limit: 50,
            ..Default::default()
        };
        let plan = s.resident_list_plan(&q).unwrap();
        assert!(
            plan.iter()
                .any(|p| p.contains("residents_by_initials")
                    || p.contains("residents_initials_street"))
                && plan
                    .iter()
                    .all(|p| p.contains("COVERING INDEX") || p == "USE TEMP B-TREE FOR ORDER BY"),
            "{code:?}: {plan:?}"
        );
    }
}

/// A search by digits (a phone's or ID number's tail) looks up the few rows its indexes find;
/// it never walks a list index over every resident (57 ms at 200,000 natively once).
#[test]
fn digit_searches_look_up_the_rows_their_indexes_find() {
    let s = community();
    let grid = first(
        &s,
        "SELECT id FROM grids WHERE level = 2 ORDER BY id LIMIT 1",
    );
    for code in [CODE, ""] {
        for grid_id in [None, Some(grid.clone())] {
            let plan = s
                .resident_list_plan(&ResidentQuery {
                    community_code: code.into(),
                    text: "4931".into(),
                    grid_id: grid_id.clone(),
                    limit: 50,
                    ..Default::default()
                })
                .unwrap();
            assert!(
                plan.iter()
                    .any(|p| p.contains("INTEGER PRIMARY KEY (rowid=?)"))
                    && !plan.iter().any(|p| p.starts_with("SCAN r")
                        || p.contains("residents_by_status")
                        || p.contains("residents_by_name")
                        || p.contains("residents_by_grid")),
                "{code:?} {grid_id:?}: {plan:?}"
            );
        }
    }
}

#[test]
fn the_schema_v11_fixture_migrates_and_its_care_list_uses_the_covering_index() {
    let (s, path) = migrated_fixture(11);
    // The shape of the care list's lookup of its key persons (`Store::due_people`).
    let plan: Vec<String> = s
        .conn()
        .prepare(
            "EXPLAIN QUERY PLAN
             SELECT r.id, r.community_code, r.grid_id FROM json_each('[\"a\"]') j
             CROSS JOIN residents r ON r.id = j.value WHERE r.deleted = 0 AND r.status = 'active'",
        )
        .unwrap()
        .query_map([], |r| r.get(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let plan = plan.join(" | ");
    assert!(plan.contains("COVERING INDEX residents_care"), "{plan}");
    let page = list(&s, "");
    assert!(page.people > 0);
    drop(s);
    let _ = std::fs::remove_file(&path);
}

/// The due lists are kept until the care data change: a case step keeps them, a visit or an
/// import of older records (a community exported before the one already imported) does not.
#[test]
fn the_kept_due_list_follows_visits_and_imports_of_older_records() {
    let make = |code: &str, name: &str| {
        let mut s = Store::open_in_memory(now, SEED.fetch_add(1, Ordering::SeqCst)).unwrap();
        let mut o = SampleOptions::community(SEED.fetch_add(1, Ordering::SeqCst), now());
        o.households = 60;
        o.cases = 5;
        o.grids = 2;
        o.community_code = code.into();
        o.community_name = name.into();
        s.load_sample(&o).unwrap();
        s
    };
    // Made first: every record of `older` is older than any of `newer`.
    let mut older = make("410103008001", "和平社区");
    let mut newer = make("410103008002", "永安社区");
    let whole = |s: &Store| {
        s.care_list(&CareQuery {
            community_code: String::new(),
            state: String::new(),
            limit: 10,
            ..Default::default()
        })
        .unwrap()
        .people
    };
    let mut st = Store::open_in_memory(now, 78).unwrap();
    st.setup_street(&StreetSetup {
        name: "建中街街道".into(),
        code: "410103008".into(),
        device_name: "街道".into(),
        actor_name: "王主任".into(),
    })
    .unwrap();
    let nb = newer.export_bundle(&ExportOptions::default()).unwrap();
    st.import_bundle(
        &bundle::parse(nb.to_json().as_bytes()).unwrap(),
        "n",
        false,
        "t",
    )
    .unwrap();
    let after_newer = whole(&st);
    assert_eq!(after_newer, whole(&newer));
    let ob = older.export_bundle(&ExportOptions::default()).unwrap();
    st.import_bundle(
        &bundle::parse(ob.to_json().as_bytes()).unwrap(),
        "o",
        false,
        "t",
    )
    .unwrap();
    assert_eq!(
        whole(&st),
        after_newer + whole(&older),
        "the older community's people count"
    );

    // A visit takes someone off the overdue list at once.
    let overdue = |s: &Store| {
        s.care_list(&CareQuery {
            community_code: "410103008002".into(),
            state: "overdue".into(),
            limit: 200,
            ..Default::default()
        })
        .unwrap()
    };
    let before = overdue(&newer);
    let who = before.rows[0].resident_id.clone();
    let today = newer.today().to_string();
    newer
        .record_visit(&VisitForm {
            resident_id: who.clone(),
            visit_date: today,
            visitor_name: "李网格".into(),
            condition: "fair".into(),
            ..Default::default()
        })
        .unwrap();
    let after = overdue(&newer);
    assert_eq!(after.overdue + 1, before.overdue);
    assert!(after.rows.iter().all(|r| r.resident_id != who));
}

/// Made by `gridledger sample --db tests/fixtures/schema-v13.sqlite --households 30 --grids 2`
/// with schema 13, then trimmed to its first 30 cases like the v12 fixture and vacuumed. Must
/// stay a schema-v13 database.
#[test]
fn the_schema_v13_fixture_migrates_and_logs_bundle_checksums() {
    let (s, path) = migrated_fixture(13);
    let cols: Vec<String> = s
        .conn()
        .prepare("SELECT name FROM pragma_table_info('import_log')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert!(cols.iter().any(|c| c == "bundle_checksum"), "{cols:?}");
    let d = gridledger::domain::bundle::Declared {
        device: "d".into(),
        sequence: 1,
        exported_at: 1,
        checksum: format!("sha256:{}", "0".repeat(64)),
    };
    assert_eq!(s.import_of_bundle(&d).unwrap(), None);
    assert!(count(&s, "SELECT count(*) FROM residents WHERE deleted = 0") > 0);
    drop(s);
    let _ = std::fs::remove_file(&path);
}

/// The due list is kept for the next start (`care_due_snapshot`): a store opened again on the
/// same file answers from it while the care data stay the same; a change, or a snapshot that
/// cannot be read, makes it compute the list again.
#[test]
fn the_due_list_is_kept_for_the_next_start_and_follows_changes() {
    let (path, open) = on_file("due");
    let mut s = open();
    load_community(&mut s, 5);
    let before = list(&s, "overdue");
    assert!(before.overdue > 0);
    assert_eq!(count(&s, "SELECT count(*) FROM care_due_snapshot"), 1);
    s.conn()
        .execute_batch("CREATE TABLE kept AS SELECT data FROM care_due_snapshot")
        .unwrap();
    let who = before.rows[0].resident_id.clone();
    s.record_visit(&VisitForm {
        resident_id: who.clone(),
        visit_date: s.today().to_string(),
        visitor_name: "李网格".into(),
        condition: "fair".into(),
        ..Default::default()
    })
    .unwrap();
    let after = list(&s, "overdue");
    assert_eq!(after.overdue + 1, before.overdue);
    drop(s);

    // Opened again: the list comes from the snapshot. Proof: the older list put in its place
    // (under the current version) is what it answers.
    let s = open();
    assert_eq!(list(&s, "overdue"), after);
    s.conn()
        .execute_batch("UPDATE care_due_snapshot SET data = (SELECT data FROM kept)")
        .unwrap();
    drop(s);
    let s = open();
    assert_eq!(list(&s, "overdue").overdue, before.overdue);
    // Unreadable: computed again (and kept again).
    s.conn()
        .execute_batch("UPDATE care_due_snapshot SET data = x'ff00ff'")
        .unwrap();
    drop(s);
    let s = open();
    assert_eq!(list(&s, "overdue"), after);
    drop(s);
    let s = open();
    assert_eq!(list(&s, "overdue"), after);
    drop(s);

    // The next morning: due dates do not depend on the day (states are derived again), so the
    // list kept yesterday still serves, and agrees with computing it afresh.
    fn tomorrow() -> i64 {
        now() + 86_400_000
    }
    let open_tomorrow = || {
        let conn = rusqlite::Connection::open(&path).unwrap();
        Store::open(conn, tomorrow, SEED.fetch_add(1, Ordering::SeqCst)).unwrap()
    };
    let s = open_tomorrow();
    let kept = list(&s, "overdue");
    s.conn()
        .execute_batch("DELETE FROM care_due_snapshot")
        .unwrap();
    drop(s);
    let s = open_tomorrow();
    let computed = list(&s, "overdue");
    assert_eq!(kept, computed);
    s.conn()
        .execute_batch("UPDATE care_due_snapshot SET data = (SELECT data FROM kept)")
        .unwrap();
    drop(s);
    let s = open_tomorrow();
    assert_eq!(
        list(&s, "overdue").overdue,
        computed.overdue + 1,
        "read from the snapshot"
    );
    drop(s);
    let _ = std::fs::remove_file(&path);
}

/// What the due lists read of a resident is their status, tombstone, grid and community: a new
/// phone number leaves the kept list valid (the snapshot is not computed or written again),
/// a move out of the community changes it at once.
#[test]
fn only_what_the_due_list_reads_of_a_resident_makes_it_compute_again() {
    let mut s = community();
    let before = list(&s, "");
    let version = |s: &Store| first(s, "SELECT version FROM care_due_snapshot");
    let kept = version(&s);
    let who = before.rows[0].resident_id.clone();
    let mut form = s.get_resident(&who).unwrap();
    form.phone = "13912345678".into();
    s.save_resident(&form).unwrap();
    let after_phone = list(&s, "");
    assert_eq!(version(&s), kept, "a phone number is not care data");
    assert_eq!(after_phone.people, before.people);
    assert_eq!(
        after_phone
            .rows
            .iter()
            .find(|r| r.resident_id == who)
            .unwrap()
            .phone,
        "13912345678",
        "the page's details are read fresh"
    );
    s.change_status(&StatusForm {
        resident_id: who.clone(),
        kind: "moved_out".into(),
        event_date: s.today().to_string(),
        ..Default::default()
    })
    .unwrap();
    let after_move = list(&s, "");
    assert_ne!(version(&s), kept);
    assert_eq!(after_move.people + 1, before.people);
    assert!(after_move.rows.iter().all(|r| r.resident_id != who));
}

/// A visit updates the kept due lists in place (its person's last visit and due date) and keeps
/// them under the care data's new version, in memory at once and in the snapshot when the
/// worker flushes them: the next start reads them, and they are exactly what computing them
/// again gives, for the community's list and the street's ("").
#[test]
fn a_visit_updates_the_kept_due_lists_in_place() {
    kept_lists_follow("visit", |s, before| {
        // Two visits before the lists are flushed: each moves the version on.
        let who: Vec<String> = before.rows[..2]
            .iter()
            .map(|r| r.resident_id.clone())
            .collect();
        for w in &who {
            s.record_visit(&VisitForm {
                resident_id: w.clone(),
                visit_date: s.today().to_string(),
                visitor_name: "李网格".into(),
                condition: "good".into(),
                ..Default::default()
            })
            .unwrap();
        }
        let after = list(s, "overdue");
        assert_eq!(after.overdue + 2, before.overdue);
        assert!(!after.rows.iter().any(|r| who.contains(&r.resident_id)));
    });
}

/// Someone who moves out or dies only drops off the lists, someone who moves to a household
/// in another grid only changes grid, and someone who comes back is listed again: the kept
/// lists follow in place too.
#[test]
fn leaving_moving_or_coming_back_updates_the_kept_due_lists_in_place() {
    kept_lists_follow("status", |s, before| {
        let who: Vec<(String, String)> = before.rows[..3]
            .iter()
            .map(|r| {
                let grid = first(
                    s,
                    &format!(
                        "SELECT grid_id FROM residents WHERE id = '{}'",
                        r.resident_id
                    ),
                );
                (r.resident_id.clone(), grid)
            })
            .collect();
        let grid_name = before.rows[2].grid_name.clone();
        let change = |s: &mut Store, kind: &str, who: &str, to: &str| {
            s.change_status(&StatusForm {
                resident_id: who.into(),
                kind: kind.into(),
                event_date: s.today().to_string(),
                to_household_id: to.into(),
                note: String::new(),
            })
            .unwrap();
        };
        change(s, "moved_out", &who[0].0, "");
        change(s, "died", &who[1].0, "");
        let elsewhere = first(
            s,
            &format!(
                "SELECT id FROM households WHERE community_code = '{CODE}' AND deleted = 0
                   AND grid_id != '{}' ORDER BY id LIMIT 1",
                who[2].1
            ),
        );
        change(s, "moved", &who[2].0, &elsewhere);
        // Out and back again: listed as before.
        let back = &before.rows[3].resident_id;
        change(s, "moved_out", back, "");
        change(s, "returned", back, "");
        let after = list(s, "overdue");
        assert_eq!(after.overdue + 2, before.overdue);
        assert!(after.rows.iter().any(|r| r.resident_id == *back));
        assert!(!after
            .rows
            .iter()
            .any(|r| r.resident_id == who[0].0 || r.resident_id == who[1].0));
        let moved = after
            .rows
            .iter()
            .find(|r| r.resident_id == who[2].0)
            .unwrap();
        assert_ne!(moved.grid_name, grid_name, "listed in the new grid");
    });
}

/// The whole street's care list, and the kept lists written (as the worker does after a reply).
fn street_list(s: &Store) -> gridledger::protocol::CarePage {
    let page = s
        .care_list(&CareQuery {
            limit: 200,
            ..Default::default()
        })
        .unwrap();
    s.flush_due_lists();
    page
}

/// The kept due lists: community, version, the list's bytes.
fn kept_lists(s: &Store) -> Vec<(String, String, Vec<u8>)> {
    let mut st = s
        .conn()
        .prepare("SELECT community_code, version, data FROM care_due_snapshot ORDER BY 1")
        .unwrap();
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    rows.map(Result::unwrap).collect()
}

/// Kept lists (the community's and the street's) go through `change` and the flush after it;
/// computed again from scratch at the next start, they are the same bytes under the same
/// versions: what was kept is current, and the next start reads it.
fn kept_lists_follow(tag: &str, change: impl FnOnce(&mut Store, &gridledger::protocol::CarePage)) {
    let (path, open) = on_file(tag);
    let mut s = open();
    load_community(&mut s, 6);
    let before = list(&s, "overdue");
    assert!(before.overdue > 0);
    let _ = street_list(&s);
    assert_eq!(count(&s, "SELECT count(*) FROM care_due_snapshot"), 2);
    change(&mut s, &before);
    let after = list(&s, "overdue");
    // (The worker does this once the change's reply has gone.)
    s.flush_due_lists();
    let patched = kept_lists(&s);
    assert_eq!(patched.len(), 2);
    drop(s);
    let s = open();
    s.conn()
        .execute("DELETE FROM care_due_snapshot", [])
        .unwrap();
    assert_eq!(list(&s, "overdue"), after);
    let _ = street_list(&s);
    let computed = kept_lists(&s);
    let versions = |k: &[(String, String, Vec<u8>)]| -> Vec<(String, String)> {
        k.iter().map(|(c, v, _)| (c.clone(), v.clone())).collect()
    };
    assert_eq!(versions(&computed), versions(&patched));
    assert!(
        computed == patched,
        "the lists kept after the change differ from computed ones"
    );
    drop(s);
    let _ = std::fs::remove_file(&path);
}

/// Made by `gridledger sample --db tests/fixtures/schema-v14.sqlite --households 30 --grids 2`
/// with schema 14, trimmed to its first 30 cases like the v12 fixture, and vacuumed with 4 KiB
/// pages (every database of that version had them). Must stay a schema-v14 database.
#[test]
fn the_schema_v14_fixture_migrates_and_keeps_due_lists() {
    let (s, path) = migrated_fixture(14);
    assert_eq!(count(&s, "SELECT count(*) FROM care_due_snapshot"), 0);
    let page = list(&s, "");
    assert!(page.people > 0);
    assert_eq!(count(&s, "SELECT count(*) FROM care_due_snapshot"), 1);
    drop(s);
    let _ = std::fs::remove_file(&path);
}

/// Made by `gridledger sample --db tests/fixtures/schema-v15.sqlite --households 30 --grids 2`
/// at schema 15, then trimmed to 30 cases and vacuumed to 4 KiB pages (a small file). Must stay
/// a schema-v15 database.
#[test]
fn the_schema_v15_fixture_migrates_and_searches_initials_on_the_new_index() {
    let (s, path) = migrated_fixture(15);
    let (name, initials) = {
        let c = s.conn();
        c.query_row(
            "SELECT name, name_initials FROM residents WHERE deleted = 0 AND status = 'active'
             ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )
        .unwrap()
    };
    let q = ResidentQuery {
        text: initials.clone(),
        limit: 200,
        ..Default::default()
    };
    let page = s.search_residents(&q).unwrap();
    assert!(
        page.rows.iter().any(|r| r.name == name),
        "{initials}: {page:?}"
    );
    assert!(s
        .resident_list_plan(&q)
        .unwrap()
        .iter()
        .any(|p| p.contains("COVERING INDEX residents_initials_street")));
    drop(s);
    let _ = std::fs::remove_file(&path);
}

/// A new database is made with 16 KiB pages (a quarter of the OPFS reads of SQLite's 4 KiB in
/// the browser); a database that already has pages keeps its size through the migrations.
#[test]
fn new_databases_get_16_kib_pages_and_old_ones_keep_theirs() {
    let page_size = |s: &Store| count(s, "PRAGMA page_size");
    let fresh = Store::open(rusqlite::Connection::open_in_memory().unwrap(), now, 1).unwrap();
    assert_eq!(page_size(&fresh), 16384);
    let path = std::env::temp_dir().join(format!("gridledger-pages-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let on_disk = Store::open(rusqlite::Connection::open(&path).unwrap(), now, 1).unwrap();
    assert_eq!(page_size(&on_disk), 16384);
    drop(on_disk);
    let reopened = Store::open(rusqlite::Connection::open(&path).unwrap(), now, 1).unwrap();
    assert_eq!(page_size(&reopened), 16384);
    drop(reopened);
    let _ = std::fs::remove_file(&path);
    let (old, path) = migrated_fixture(13);
    assert_eq!(
        page_size(&old),
        4096,
        "the v13 fixture was made with 4 KiB pages"
    );
    drop(old);
    let _ = std::fs::remove_file(&path);
}
