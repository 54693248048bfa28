//! Cases through the real store: report, the whole loop, refusals, state always equal to what
//! the events make it, immutable events, and two devices acting on one case merged by bundles.

#![cfg(feature = "store")]

use gridledger::domain::bundle;
use gridledger::domain::case::MoveInput;
use gridledger::domain::sample::SampleOptions;
use gridledger::protocol::{CaseForm, CaseQuery, StreetSetup};
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
