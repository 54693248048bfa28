//! Cases through the real store: report, the whole loop, refusals, state always equal to what
//! the events make it, immutable events, and two devices acting on one case merged by bundles.

#![cfg(feature = "store")]

use gridledger::domain::bundle;
use gridledger::domain::case::MoveInput;
use gridledger::domain::photo;
use gridledger::domain::sample::SampleOptions;
use gridledger::protocol::{CaseForm, CaseQuery, CategoryRow, PhotoIn, StreetSetup};
use gridledger::storage::bundle::ExportOptions;
use gridledger::storage::Store;
use proptest::prelude::*;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

static CLOCK: AtomicI64 = AtomicI64::new(1_795_000_000_000);
fn now() -> i64 {
    CLOCK.fetch_add(1000, Ordering::SeqCst)
}
static SEED: AtomicU64 = AtomicU64::new(5000);

fn community() -> Store {
    let mut s = Store::open_in_memory(now, SEED.fetch_add(1, Ordering::SeqCst)).unwrap();
    let mut o = SampleOptions::community(3, now());
    o.households = 10;
    o.cases = 5;
    o.grids = 2;
    s.load_sample(&o).unwrap();
    s
}

const CODE: &str = "410103008005";

fn a_grid(s: &Store) -> String {
    s.conn()
        .query_row(
            "SELECT id FROM grids WHERE level = 2 ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

fn report(s: &mut Store) -> String {
    let grid = a_grid(s);
    s.case_categories(CODE).unwrap();
    s.report_case(&CaseForm {
        community_code: CODE.into(),
        grid_id: grid,
        category_code: "0101".into(),
        title: "楼下垃圾堆积".into(),
        description: "3号楼东侧垃圾两天未清运".into(),
        channel: "patrol".into(),
        reporter_name: "李大爷".into(),
        reporter_phone: "13800138000".into(),
        ..Default::default()
    })
    .unwrap()
}

fn mv(s: &mut Store, id: &str, m: &str, remark: &str, assignee: &str, rating: &str) {
    s.case_move(
        id,
        m,
        &MoveInput {
            remark,
            assignee,
            rating,
        },
    )
    .unwrap_or_else(|e| panic!("{m}: {e:?}"));
}

#[test]
fn a_case_goes_round_the_whole_loop_and_every_step_is_recorded() {
    let mut s = community();
    let id = report(&mut s);
    let v = s.get_case(&id).unwrap();
    assert_eq!(v.row.state, "reported");
    assert!(
        v.row.deadline.is_some(),
        "暴露垃圾 has a 4-working-hour limit"
    );
    assert_eq!(v.offered, ["accept", "urge", "void"]);
    mv(&mut s, &id, "accept", "", "", "");
    mv(&mut s, &id, "dispatch", "", "王网格员", "");
    mv(&mut s, &id, "start", "", "", "");
    mv(&mut s, &id, "feedback", "已联系环卫清运", "", "");
    mv(&mut s, &id, "verify", "现场已清理", "", "");
    mv(&mut s, &id, "close", "", "", "");
    mv(&mut s, &id, "rate", "很及时", "", "basically_satisfied");
    let v = s.get_case(&id).unwrap();
    assert_eq!(v.row.state, "rated");
    assert_eq!(v.row.assignee, "王网格员");
    assert_eq!(v.rating, "basically_satisfied");
    assert!(v.closed_at.is_some());
    let moves: Vec<&str> = v.events.iter().map(|e| e.mv.as_str()).collect();
    assert_eq!(
        moves,
        ["report", "accept", "dispatch", "start", "feedback", "verify", "close", "rate"]
    );
    assert!(v.events.iter().all(|e| !e.actor.is_empty()));
    assert!(v.offered.is_empty());
    let page = s
        .list_cases(&CaseQuery {
            community_code: CODE.into(),
            text: "楼下垃圾堆积".into(),
            limit: 50,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.figures.closed, 1);
    assert_eq!(page.figures.satisfaction_rate, Some(1.0));
}

#[test]
fn illegal_moves_and_missing_reasons_are_refused_and_nothing_is_recorded() {
    let mut s = community();
    let id = report(&mut s);
    let n = |s: &Store| s.get_case(&id).unwrap().events.len();
    for (m, input, code) in [
        ("close", MoveInput::default(), "case_illegal_move"),
        ("rate", MoveInput::default(), "case_illegal_move"),
        ("report", MoveInput::default(), "case_illegal_move"),
        ("void", MoveInput::default(), "case_reason_required"),
    ] {
        let e = s.case_move(&id, m, &input).unwrap_err();
        assert!(format!("{e:?}").contains(code), "{m}: {e:?}");
    }
    assert_eq!(n(&s), 1);
    // Events are history: the database itself refuses to change or remove one.
    assert!(s
        .conn()
        .execute("UPDATE case_events SET remark = 'x'", [])
        .is_err());
    assert!(s.conn().execute("DELETE FROM case_events", []).is_err());
}

fn stored_state(s: &Store, id: &str) -> String {
    s.conn()
        .query_row("SELECT state FROM cases WHERE id = ?1", [id], |r| r.get(0))
        .unwrap()
}

const MOVES: &[&str] = &[
    "accept", "dispatch", "start", "feedback", "verify", "close", "rate", "return", "escalate",
    "urge", "void",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Whatever is tried, legal or not, the stored state is what the events make it.
    #[test]
    fn the_stored_state_never_disagrees_with_the_events(tries in prop::collection::vec(0..MOVES.len(), 1..30)) {
        let mut s = community();
        let id = report(&mut s);
        for i in tries {
            let _ = s.case_move(&id, MOVES[i], &MoveInput { remark: "理由", assignee: "张三", rating: "satisfied" });
            let v = s.get_case(&id).unwrap();
            // Re-derive from the events the case page lists.
            let mut state = None;
            for e in &v.events {
                let m = gridledger::domain::case::Move::from_code(&e.mv).unwrap();
                state = match (state, m) {
                    (None, gridledger::domain::case::Move::Report) => Some(gridledger::domain::case::State::Reported),
                    (Some(st), m) => Some(gridledger::domain::case::next(st, m).expect("recorded moves are legal")),
                    _ => panic!("bad history"),
                };
            }
            prop_assert_eq!(state.unwrap().code(), stored_state(&s, &id));
            prop_assert_eq!(v.row.state.as_str(), stored_state(&s, &id));
        }
    }
}

/// Two devices act on the same case offline; bundles merge their events as a union; both
/// sides end with every event and the same derived state; an event that no longer fits is kept,
/// marked, and the case is flagged.
#[test]
fn two_devices_acting_on_one_case_keep_every_event() {
    let mut office = community();
    let id = report(&mut office);
    mv(&mut office, &id, "accept", "", "", "");
    mv(&mut office, &id, "dispatch", "", "王网格员", "");
    // The street office (another device) gets the case.
    let mut street = Store::open_in_memory(now, 999).unwrap();
    street
        .setup_street(&StreetSetup {
            name: "建中街街道".into(),
            code: "410103008".into(),
            device_name: "街道".into(),
            actor_name: "王主任".into(),
        })
        .unwrap();
    let export = |s: &mut Store| {
        let b = s.export_bundle(&ExportOptions::default()).unwrap();
        bundle::parse(b.to_json().as_bytes()).unwrap()
    };
    let b = export(&mut office);
    street.import_bundle(&b, "b", false, "t").unwrap();
    assert_eq!(street.get_case(&id).unwrap().row.state, "dispatched");
    // Offline: the office's worker takes it in hand and writes feedback; the street returns it.
    mv(&mut office, &id, "start", "", "", "");
    mv(&mut street, &id, "return", "需社区先核实", "", "");
    mv(&mut office, &id, "feedback", "已处理", "", "");
    let from_office = export(&mut office);
    let from_street = export(&mut street);
    office.import_bundle(&from_street, "s", false, "t").unwrap();
    street.import_bundle(&from_office, "o", false, "t").unwrap();
    let (a, b) = (office.get_case(&id).unwrap(), street.get_case(&id).unwrap());
    assert_eq!(
        a.events.len(),
        6,
        "report, accept, dispatch, start, return, feedback"
    );
    assert_eq!(a.events, b.events, "both sides hold every event");
    assert_eq!(a.row.state, b.row.state);
    // In clock order: start, return (to dispatched), feedback — illegal from dispatched.
    assert_eq!(a.row.state, "dispatched");
    assert!(a.row.flagged, "a person should look at it");
    let odd: Vec<&str> = a
        .events
        .iter()
        .filter(|e| e.out_of_order)
        .map(|e| e.mv.as_str())
        .collect();
    assert_eq!(odd, ["feedback"]);
}

fn street_store() -> Store {
    let mut s = Store::open_in_memory(now, SEED.fetch_add(1, Ordering::SeqCst)).unwrap();
    s.setup_street(&StreetSetup {
        name: "建中街街道".into(),
        code: "410103008".into(),
        device_name: "街道".into(),
        actor_name: "王主任".into(),
    })
    .unwrap();
    s
}

fn through_bundle(from: &mut Store, to: &mut Store) {
    let b = from.export_bundle(&ExportOptions::default()).unwrap();
    let b = bundle::parse(b.to_json().as_bytes()).unwrap();
    to.import_bundle(&b, "x", false, "t").unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// Two devices make random moves on the same case while apart; after they swap bundles
    /// (in either order) both hold every event of both and agree on the case.
    #[test]
    fn two_devices_adding_events_to_one_case_merge_as_a_union(
        a_moves in prop::collection::vec(0..MOVES.len(), 0..8),
        b_moves in prop::collection::vec(0..MOVES.len(), 0..8),
        office_first in any::<bool>(),
    ) {
        let mut office = community();
        let id = report(&mut office);
        let mut street = street_store();
        through_bundle(&mut office, &mut street);
        let input = MoveInput { remark: "理由", assignee: "张三", rating: "satisfied" };
        for i in &a_moves {
            let _ = office.case_move(&id, MOVES[*i], &input);
        }
        for i in &b_moves {
            let _ = street.case_move(&id, MOVES[*i], &input);
        }
        let mine = office.get_case(&id).unwrap().events.len();
        let theirs = street.get_case(&id).unwrap().events.len();
        if office_first {
            through_bundle(&mut office, &mut street);
            through_bundle(&mut street, &mut office);
        } else {
            through_bundle(&mut street, &mut office);
            through_bundle(&mut office, &mut street);
        }
        let (a, b) = (office.get_case(&id).unwrap(), street.get_case(&id).unwrap());
        // The union: the report is shared, everything else each side added survives.
        prop_assert_eq!(a.events.len(), mine + theirs - 1);
        prop_assert_eq!(&a.events, &b.events);
        prop_assert_eq!(&a.row.state, &b.row.state);
        prop_assert_eq!(a.row.flagged, b.row.flagged);
        prop_assert_eq!(stored_state(&office, &id), a.row.state.clone());
    }
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn photo_in(w: u16, h: u16) -> PhotoIn {
    PhotoIn {
        data: b64(&photo::jpeg_header(w, h)),
    }
}

#[test]
fn photos_are_stored_with_their_step_and_lists_never_carry_them() {
    let mut s = community();
    let grid = a_grid(&s);
    s.case_categories(CODE).unwrap();
    let form = CaseForm {
        community_code: CODE.into(),
        grid_id: grid,
        category_code: "0101".into(),
        title: "暴露垃圾".into(),
        channel: "photo".into(),
        photos: vec![photo_in(1600, 1200), photo_in(900, 1600)],
        ..Default::default()
    };
    let id = s.report_case(&form).unwrap();
    s.case_move(&id, "accept", &MoveInput::default()).unwrap();
    s.case_move(
        &id,
        "dispatch",
        &MoveInput {
            assignee: "王网格员",
            ..Default::default()
        },
    )
    .unwrap();
    s.case_move(&id, "start", &MoveInput::default()).unwrap();
    s.case_move_with_photos(
        &id,
        "feedback",
        &MoveInput {
            remark: "已清运",
            ..Default::default()
        },
        &[photo_in(1200, 900)],
    )
    .unwrap();
    let v = s.get_case(&id).unwrap();
    assert_eq!(v.photos.len(), 3);
    let report_event = &v.events[0].id;
    let feedback_event = &v.events.last().unwrap().id;
    assert_eq!(v.photos[0].event_id, *report_event);
    assert_eq!((v.photos[1].width, v.photos[1].height), (900, 1600));
    assert_eq!(v.photos[2].event_id, *feedback_event);
    let p = s.get_photo(&v.photos[2].id).unwrap();
    assert_eq!(p.mime, "image/jpeg");
    assert_eq!(p.data, b64(&photo::jpeg_header(1200, 900)));
    // The list row has no photo field at all; the page is small.
    let page = s
        .list_cases(&CaseQuery {
            community_code: CODE.into(),
            limit: 50,
            ..Default::default()
        })
        .unwrap();
    assert!(!serde_json::to_string(&page).unwrap().contains(&p.data));
    // Photos are history too.
    let err = s.conn().execute("DELETE FROM case_photos", []);
    assert!(err.is_err(), "photos cannot be deleted");
}

#[test]
fn what_is_not_a_small_image_is_refused_and_nothing_is_written() {
    let mut s = community();
    let grid = a_grid(&s);
    s.case_categories(CODE).unwrap();
    let before: i64 = s
        .conn()
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
        .unwrap();
    for (photos, code) in [
        (
            vec![PhotoIn {
                data: b64(b"<svg onload=alert(1)>"),
            }],
            "photo_not_image",
        ),
        (vec![PhotoIn { data: "!!!".into() }], "photo_not_image"),
        (vec![photo_in(4000, 3000)], "photo_too_big_dimensions"),
        (vec![photo_in(100, 100); 7], "photo_too_many"),
    ] {
        let e = s
            .report_case(&CaseForm {
                community_code: CODE.into(),
                grid_id: grid.clone(),
                category_code: "0101".into(),
                title: "x".into(),
                channel: "photo".into(),
                photos,
                ..Default::default()
            })
            .unwrap_err();
        assert!(format!("{e:?}").contains(code), "{code}: {e:?}");
    }
    let after: i64 = s
        .conn()
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
        .unwrap();
    assert_eq!(before, after);
}

#[test]
fn photos_travel_in_bundles_only_when_asked_and_within_the_cap() {
    let mut office = community();
    let id = report(&mut office);
    office
        .case_move_with_photos(
            &id,
            "accept",
            &MoveInput::default(),
            &[photo_in(800, 600), photo_in(640, 480)],
        )
        .unwrap();
    let (plain, _) = office
        .export_bundle_counted(&ExportOptions::default())
        .unwrap();
    assert!(!plain.tables.contains_key("case_photos"), "off by default");
    let (with, left_out) = office
        .export_bundle_counted(&ExportOptions {
            photos: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!((with.tables["case_photos"].len(), left_out), (2, 0));
    let parsed = bundle::parse(with.to_json().as_bytes()).unwrap();
    let mut street = street_store();
    street.import_bundle(&parsed, "x", false, "t").unwrap();
    let v = street.get_case(&id).unwrap();
    assert_eq!(v.photos.len(), 2);
    assert_eq!(
        street.get_photo(&v.photos[1].id).unwrap(),
        office.get_photo(&v.photos[1].id).unwrap()
    );
    // A re-import changes nothing (photos are immutable: no update is attempted).
    street.import_bundle(&parsed, "x", false, "t").unwrap();
    // A cap smaller than one photo leaves them all out, and says so.
    let size = photo::jpeg_header(800, 600).len();
    assert!(size < 1_000_000);
    let (capped, left_out) = office
        .export_bundle_counted(&ExportOptions {
            photos: true,
            photo_cap_mb: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(capped.tables["case_photos"].len(), 2, "both fit in 1 MB");
    assert_eq!(left_out, 0);
    // A tampered photo in a bundle is refused with the record named.
    let mut json: serde_json::Value = serde_json::from_str(&with.to_json()).unwrap();
    json["tables"]["case_photos"][0]["data"] = serde_json::Value::String(b64(b"GIF89a not a jpeg"));
    let mut b: bundle::Bundle = serde_json::from_value(json).unwrap();
    b.seal();
    let e = bundle::parse(b.to_json().as_bytes()).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.table.as_deref()),
        ("invalid_field", Some("case_photos"))
    );
}

#[test]
fn a_version_1_bundle_still_imports_and_may_not_carry_photos() {
    let mut office = community();
    let id = report(&mut office);
    let b = office.export_bundle(&ExportOptions::default()).unwrap();
    // What a version-1 app wrote: none of the tables version 2 added.
    let as_v1 = |mut b: bundle::Bundle| {
        b.strip_to(3);
        b.tables.retain(|t, _| {
            t == "case_photos" || bundle::tables::table(t).is_some_and(|s| s.since == 1)
        });
        b.version = 1;
        b.seal();
        b
    };
    let v1 = as_v1(b);
    assert!(!v1.tables.contains_key("volunteers"));
    let parsed = bundle::parse(v1.to_json().as_bytes()).unwrap();
    let mut street = street_store();
    street.import_bundle(&parsed, "old", false, "t").unwrap();
    assert_eq!(street.get_case(&id).unwrap().row.state, "reported");
    office
        .case_move_with_photos(&id, "accept", &MoveInput::default(), &[photo_in(800, 600)])
        .unwrap();
    let v1 = as_v1(
        office
            .export_bundle(&ExportOptions {
                photos: true,
                ..Default::default()
            })
            .unwrap(),
    );
    let e = bundle::parse(v1.to_json().as_bytes()).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.table.as_deref()),
        ("unknown_table", Some("case_photos"))
    );
}

#[test]
fn a_grid_export_carries_only_that_grids_cases_and_checks() {
    let mut s = community();
    for _ in 0..3 {
        report(&mut s);
    }
    let grid = a_grid(&s);
    let b = s
        .export_bundle(&ExportOptions {
            grid_id: Some(grid.clone()),
            ..Default::default()
        })
        .unwrap();
    bundle::parse(b.to_json().as_bytes()).expect("a grid bundle passes its own checks");
    let subtree = s.grid_subtree(&grid).unwrap();
    let cases = &b.tables["cases"];
    assert!(cases.len() >= 3);
    assert!(cases
        .iter()
        .all(|c| subtree.contains(&c["grid_id"].as_str().unwrap().to_string())));
}

#[test]
fn the_list_filters_by_category_channel_assignee_and_dates_and_sorts_by_deadline() {
    let mut s = community();
    let code = CODE.to_string();
    let q = |s: &Store, f: &dyn Fn(&mut CaseQuery)| {
        let mut q = CaseQuery {
            community_code: code.clone(),
            limit: 200,
            ..Default::default()
        };
        f(&mut q);
        s.list_cases(&q).unwrap()
    };
    let all = q(&s, &|_| {});
    assert!(all.total >= 5);
    let id = report(&mut s);
    mv(&mut s, &id, "accept", "", "", "");
    mv(&mut s, &id, "dispatch", "", "赵网格员", "");
    let by_assignee = q(&s, &|q| q.assignee = "赵网格员".into());
    assert_eq!(
        by_assignee
            .rows
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>(),
        [id.as_str()]
    );
    // 0101 is a 小类 of 01; the group takes it.
    let group = q(&s, &|q| q.category = "01".into());
    assert!(group.rows.iter().any(|r| r.id == id));
    let expected: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM cases WHERE category_code LIKE '01%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(group.total as i64, expected);
    let patrol = q(&s, &|q| q.channel = "patrol".into());
    assert!(patrol.rows.iter().all(|r| r.channel == "patrol"));
    assert!(patrol.rows.iter().any(|r| r.id == id));
    // Dates: the case was reported "today" by the test clock.
    let today = gridledger::domain::date::Date::from_millis(
        s.get_case(&id).unwrap().row.reported_at + gridledger::domain::calendar::CST_OFFSET_MS,
    )
    .to_string();
    let on_day = q(&s, &|q| {
        q.from = today.clone();
        q.to = today.clone();
    });
    assert!(on_day.rows.iter().any(|r| r.id == id));
    assert_eq!(
        on_day.figures.received,
        on_day.total - on_day.rows.iter().filter(|r| r.state == "voided").count() as u64
    );
    let before = q(&s, &|q| q.to = "2000-01-01".into());
    assert_eq!(before.total, 0);
    let bad = s.list_cases(&CaseQuery {
        community_code: code.clone(),
        from: "2026-13-40".into(),
        limit: 10,
        ..Default::default()
    });
    assert!(bad.is_err());
    // Deadline order: open cases first, nearest deadline first.
    let sorted = q(&s, &|q| q.sort = "deadline".into());
    let open: Vec<i64> = sorted
        .rows
        .iter()
        .take_while(|r| !matches!(r.state.as_str(), "closed" | "rated" | "voided"))
        .filter_map(|r| r.deadline)
        .collect();
    assert!(open.windows(2).all(|w| w[0] <= w[1]), "{open:?}");
}

#[test]
fn households_are_found_by_address_for_the_place_of_a_case() {
    let mut s = community();
    let (building, room): (String, String) = s
        .conn()
        .query_row(
            "SELECT building, room FROM households ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let hits = s
        .find_households(CODE, &format!("{building} {room}"), 10)
        .unwrap();
    assert!(!hits.is_empty());
    assert!(hits
        .iter()
        .all(|h| h.address.contains(&building) && h.address.contains(&room)));
    // The household decides the grid of the case.
    s.case_categories(CODE).unwrap();
    let id = s
        .report_case(&CaseForm {
            community_code: CODE.into(),
            household_id: hits[0].id.clone(),
            category_code: "0101".into(),
            title: "楼道堆物".into(),
            channel: "resident".into(),
            ..Default::default()
        })
        .unwrap();
    let v = s.get_case(&id).unwrap();
    assert_eq!(v.form.grid_id, hits[0].grid_id);
    assert_eq!(v.household_address, hits[0].address);
    assert!(
        s.find_households(CODE, "%", 10).unwrap().is_empty(),
        "LIKE wildcards are literal"
    );
}

#[test]
fn offices_edit_their_categories_and_working_calendar() {
    let mut s = community();
    s.case_categories(CODE).unwrap();
    // A community's own 小类 under an existing 大类.
    let row = CategoryRow {
        code: "0199".into(),
        parent_code: Some("01".into()),
        name: "楼道堆物".into(),
        filing: "楼道内堆放杂物影响通行".into(),
        limit_unit: "working_hours".into(),
        limit_n: 8,
        closing: "杂物清理完毕".into(),
        unit: "物业公司".into(),
    };
    s.save_category(CODE, &row).unwrap();
    let cats = s.case_categories(CODE).unwrap();
    assert_eq!(cats.iter().find(|c| c.code == "0199"), Some(&row));
    // Changed in place.
    s.save_category(
        CODE,
        &CategoryRow {
            limit_n: 16,
            ..row.clone()
        },
    )
    .unwrap();
    assert_eq!(
        s.case_categories(CODE)
            .unwrap()
            .iter()
            .filter(|c| c.code == "0199")
            .map(|c| c.limit_n)
            .collect::<Vec<_>>(),
        [16]
    );
    // Refusals name the field.
    let e = s
        .save_category(
            CODE,
            &CategoryRow {
                parent_code: Some("zz".into()),
                ..row.clone()
            },
        )
        .unwrap_err();
    assert!(format!("{e:?}").contains("parent_code"));
    let e = s
        .save_category(
            CODE,
            &CategoryRow {
                limit_n: 0,
                ..row.clone()
            },
        )
        .unwrap_err();
    assert!(format!("{e:?}").contains("limit_n"));
    let e = s
        .save_category(
            CODE,
            &CategoryRow {
                code: "".into(),
                name: "".into(),
                ..row.clone()
            },
        )
        .unwrap_err();
    assert!(format!("{e:?}").contains("\"code\"") && format!("{e:?}").contains("\"name\""));

    // The calendar: 2026-12-01 is a Tuesday; made a holiday it is not a working day.
    let d = gridledger::domain::date::Date::parse("2026-12-01").unwrap();
    assert!(s.calendar().is_working_day(d));
    s.set_calendar_day("2026-12-01", "holiday", "社区活动日")
        .unwrap();
    assert!(!s.calendar().is_working_day(d));
    assert_eq!(s.calendar_days().unwrap()[0].name, "社区活动日");
    // A Sunday made a working day (调休).
    let sunday = gridledger::domain::date::Date::parse("2026-12-06").unwrap();
    assert!(!s.calendar().is_working_day(sunday));
    s.set_calendar_day("2026-12-06", "workday", "调休").unwrap();
    assert!(s.calendar().is_working_day(sunday));
    s.set_calendar_day("2026-12-01", "", "").unwrap();
    assert!(s.calendar().is_working_day(d));
    assert!(s.set_calendar_day("12/01", "holiday", "").is_err());
}
