//! Micro-wishes (微心愿) through the real store: from the wish to the thanks, refusals, release,
//! immutable events, the claim list, and travel in bundles with their photos.

#![cfg(feature = "store")]

use gridledger::domain::bundle;
use gridledger::domain::photo;
use gridledger::domain::sample::SampleOptions;
use gridledger::domain::wish::MoveInput;
use gridledger::protocol::{PhotoIn, StreetSetup, WishForm, WishQuery};
use gridledger::storage::bundle::ExportOptions;
use gridledger::storage::{Store, StoreError};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

static CLOCK: AtomicI64 = AtomicI64::new(1_795_000_000_000);
fn now() -> i64 {
    CLOCK.fetch_add(1000, Ordering::SeqCst)
}
static SEED: AtomicU64 = AtomicU64::new(7100);

const CODE: &str = "410103008005";

fn community() -> Store {
    let mut s = Store::open_in_memory(now, SEED.fetch_add(1, Ordering::SeqCst)).unwrap();
    let mut o = SampleOptions::community(3, now());
    o.households = 20;
    o.cases = 0;
    o.grids = 2;
    s.load_sample(&o).unwrap();
    s
}

fn street() -> Store {
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

fn first(s: &Store, sql: &str) -> String {
    s.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn a_volunteer(s: &Store) -> String {
    first(
        s,
        "SELECT id FROM volunteers WHERE deleted = 0 ORDER BY id LIMIT 1",
    )
}

fn record(s: &mut Store) -> String {
    let resident = first(s, "SELECT id FROM residents ORDER BY id LIMIT 1");
    s.record_wish(&WishForm {
        community_code: CODE.into(),
        resident_id: resident,
        title: "想要一台收音机".into(),
        detail: "想听戏曲广播".into(),
        due_date: "2026-12-31".into(),
        ..Default::default()
    })
    .unwrap()
}

fn mv(s: &mut Store, id: &str, m: &str, note: &str, volunteer_id: &str, minutes: u32) {
    s.wish_move(
        id,
        m,
        &MoveInput {
            note,
            volunteer_id,
            minutes,
        },
        &[],
    )
    .unwrap_or_else(|e| panic!("{m}: {e:?}"));
}

fn photo_in(w: u16, h: u16) -> PhotoIn {
    use base64::Engine;
    PhotoIn {
        data: base64::engine::general_purpose::STANDARD.encode(photo::jpeg_header(w, h)),
    }
}

#[test]
fn a_wish_goes_from_the_claim_list_to_the_thanks_and_every_step_is_kept() {
    let mut s = community();
    let vol = a_volunteer(&s);
    let id = record(&mut s);
    let v = s.get_wish(&id).unwrap();
    assert_eq!(v.row.state, "published");
    assert!(!v.form.wisher_name.is_empty(), "copied from the resident");
    assert_eq!(v.offered, ["claim", "cancel"]);
    let before = s.volunteer_hours(&vol).unwrap().total;
    mv(&mut s, &id, "claim", "", &vol, 0);
    assert_eq!(s.get_wish(&id).unwrap().row.volunteer_id, vol);
    s.wish_move(
        &id,
        "fulfil",
        &MoveInput {
            note: "送去收音机一台",
            volunteer_id: "",
            minutes: 90,
        },
        &[photo_in(800, 600)],
    )
    .unwrap();
    mv(&mut s, &id, "thank", "天天都在听，谢谢", "", 0);
    let v = s.get_wish(&id).unwrap();
    assert_eq!(v.row.state, "thanked");
    assert_eq!(
        (v.row.volunteer_id.as_str(), v.row.minutes),
        (vol.as_str(), 90)
    );
    assert!(!v.row.volunteer_name.is_empty());
    assert!(v.fulfilled_at.is_some());
    let moves: Vec<&str> = v.events.iter().map(|e| e.mv.as_str()).collect();
    assert_eq!(moves, ["publish", "claim", "fulfil", "thank"]);
    assert_eq!(v.events[1].volunteer_id, vol);
    assert_eq!(v.events[2].minutes, 90);
    assert!(v.offered.is_empty());
    // The photo belongs to the fulfil step and is read like a case photo.
    assert_eq!(v.photos.len(), 1);
    assert_eq!(v.photos[0].event_id, v.events[2].id);
    let p = s.get_photo(&v.photos[0].id).unwrap();
    assert_eq!(p.mime, "image/jpeg");
    // The claimer's time bank: the fulfil step's 90 minutes, as a wish credit.
    let hours = s.volunteer_hours(&vol).unwrap();
    assert_eq!(hours.total, before + 90);
    assert!(hours
        .entries
        .iter()
        .any(|e| e.kind == "wish" && e.id == id && e.minutes == 90));
}

#[test]
fn illegal_moves_and_missing_inputs_are_refused_and_nothing_is_recorded() {
    let mut s = community();
    let id = record(&mut s);
    let count = |s: &Store| -> i64 {
        s.conn()
            .query_row(
                "SELECT count(*) FROM wish_events WHERE wish_id = ?1",
                [&id],
                |r| r.get(0),
            )
            .unwrap()
    };
    let none = MoveInput::default();
    assert!(matches!(
        s.wish_move(
            &id,
            "fulfil",
            &MoveInput {
                note: "x",
                ..none.clone()
            },
            &[]
        ),
        Err(StoreError::Refused("wish_illegal_move"))
    ));
    assert!(matches!(
        s.wish_move(&id, "publish", &none, &[]),
        Err(StoreError::Refused("wish_illegal_move"))
    ));
    let field = |e: StoreError| match e {
        StoreError::Invalid(f) => f[0].clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field(s.wish_move(&id, "claim", &none, &[]).unwrap_err()),
        ("volunteer_id".into(), "wish_volunteer_required".into())
    );
    let unknown = MoveInput {
        volunteer_id: "0190c3a0-0000-7000-8000-000000000000",
        ..none.clone()
    };
    assert_eq!(
        field(s.wish_move(&id, "claim", &unknown, &[]).unwrap_err()),
        ("volunteer_id".into(), "unknown".into())
    );
    assert_eq!(
        field(s.wish_move(&id, "cancel", &none, &[]).unwrap_err()),
        ("note".into(), "wish_reason_required".into())
    );
    let vol = a_volunteer(&s);
    mv(&mut s, &id, "claim", "", &vol, 0);
    assert_eq!(
        field(s.wish_move(&id, "fulfil", &none, &[]).unwrap_err()),
        ("note".into(), "wish_note_required".into())
    );
    let long = MoveInput {
        note: "做了",
        minutes: 2000,
        ..none.clone()
    };
    assert_eq!(
        field(s.wish_move(&id, "fulfil", &long, &[]).unwrap_err()),
        ("minutes".into(), "wish_minutes_range".into())
    );
    assert_eq!(count(&s), 2, "publish and claim only");
    // The form's own checks.
    let e = s
        .record_wish(&WishForm {
            community_code: CODE.into(),
            title: " ".into(),
            due_date: "2026-02-30".into(),
            ..Default::default()
        })
        .unwrap_err();
    let StoreError::Invalid(problems) = e else {
        panic!("{e:?}")
    };
    let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["title", "due_date", "wisher_name", "grid_id"]);
}

#[test]
fn a_claimer_can_give_a_wish_back_and_another_takes_it() {
    let mut s = community();
    let id = record(&mut s);
    let vols: Vec<String> = s
        .conn()
        .prepare("SELECT id FROM volunteers ORDER BY id LIMIT 2")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    mv(&mut s, &id, "claim", "", &vols[0], 0);
    let mine = |s: &Store, v: &str| {
        s.list_wishes(&WishQuery {
            community_code: CODE.into(),
            volunteer_id: v.into(),
            limit: 50,
            ..Default::default()
        })
        .unwrap()
        .rows
        .iter()
        .any(|r| r.id == id)
    };
    assert!(mine(&s, &vols[0]));
    mv(&mut s, &id, "release", "临时出差", "", 0);
    let v = s.get_wish(&id).unwrap();
    assert_eq!(
        (v.row.state.as_str(), v.row.volunteer_id.as_str()),
        ("published", "")
    );
    assert!(!mine(&s, &vols[0]));
    mv(&mut s, &id, "claim", "", &vols[1], 0);
    assert!(mine(&s, &vols[1]));
    // The claim list: published wishes only, counted per state over the same filter.
    let list = s
        .list_wishes(&WishQuery {
            community_code: CODE.into(),
            state: "published".into(),
            limit: 200,
            ..Default::default()
        })
        .unwrap();
    assert!(list.rows.iter().all(|r| r.state == "published"));
    assert!(!list.rows.iter().any(|r| r.id == id));
    let published = list
        .by_state
        .iter()
        .find(|(st, _)| st == "published")
        .map(|(_, n)| *n)
        .unwrap_or(0);
    assert_eq!(published, list.total);
    let text = s
        .list_wishes(&WishQuery {
            community_code: CODE.into(),
            text: "收音机".into(),
            limit: 200,
            ..Default::default()
        })
        .unwrap();
    assert!(text.rows.iter().any(|r| r.id == id));
    assert!(text.rows.iter().all(|r| r.title.contains("收音机")));
}

#[test]
fn wish_events_and_photos_are_immutable() {
    let mut s = community();
    let id = record(&mut s);
    let vol = a_volunteer(&s);
    mv(&mut s, &id, "claim", "", &vol, 0);
    s.wish_move(
        &id,
        "fulfil",
        &MoveInput {
            note: "done",
            volunteer_id: "",
            minutes: 30,
        },
        &[photo_in(640, 480)],
    )
    .unwrap();
    for sql in [
        "UPDATE wish_events SET note = 'x'",
        "DELETE FROM wish_events",
        "UPDATE wish_photos SET mime = 'x'",
        "DELETE FROM wish_photos",
    ] {
        let e = s.conn().execute(sql, []).unwrap_err();
        assert!(e.to_string().contains("immutable"), "{sql}: {e}");
    }
}

#[test]
fn the_sample_has_wishes_in_every_state() {
    let s = community();
    let page = s
        .list_wishes(&WishQuery {
            community_code: CODE.into(),
            limit: 200,
            ..Default::default()
        })
        .unwrap();
    assert!((15..=30).contains(&page.total), "{}", page.total);
    let states: Vec<&str> = page.by_state.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        states,
        ["cancelled", "claimed", "fulfilled", "published", "thanked"]
    );
    // Open wishes first, the nearest due date first.
    let open: Vec<&str> = page
        .rows
        .iter()
        .take_while(|r| matches!(r.state.as_str(), "published" | "claimed"))
        .map(|r| r.due_date.as_str())
        .collect();
    assert!(open.windows(2).all(|w| w[0] <= w[1]), "{open:?}");
    assert!(page.rows.iter().all(|r| !r.flagged));
}

#[test]
fn wishes_travel_in_bundles_with_their_history_photos_and_masks() {
    let mut office = community();
    let id = record(&mut office);
    let vol = a_volunteer(&office);
    mv(&mut office, &id, "claim", "", &vol, 0);
    office
        .wish_move(
            &id,
            "fulfil",
            &MoveInput {
                note: "送到了",
                volunteer_id: "",
                minutes: 45,
            },
            &[photo_in(800, 600), photo_in(640, 480)],
        )
        .unwrap();
    let plain = office.export_bundle(&ExportOptions::default()).unwrap();
    assert!(plain.tables.contains_key("wishes"));
    assert!(
        !plain.tables.contains_key("wish_photos"),
        "photos only when asked"
    );
    assert_eq!(plain.version, gridledger::domain::bundle::VERSION);
    let with = office
        .export_bundle(&ExportOptions {
            photos: true,
            ..Default::default()
        })
        .unwrap();
    let parsed = bundle::parse(with.to_json().as_bytes()).unwrap();
    let mut st = street();
    st.import_bundle(&parsed, "x", false, "t").unwrap();
    let (a, b) = (office.get_wish(&id).unwrap(), st.get_wish(&id).unwrap());
    assert_eq!(b.row.state, "fulfilled", "derived again on import");
    assert_eq!(
        (b.row.volunteer_id.as_str(), b.row.minutes),
        (vol.as_str(), 45)
    );
    assert_eq!(a.events, b.events);
    assert_eq!(b.photos.len(), 2);
    assert_eq!(
        st.get_photo(&b.photos[1].id).unwrap(),
        office.get_photo(&b.photos[1].id).unwrap()
    );
    // Every sample wish arrives in the state it has at home.
    let states = |s: &Store| -> Vec<(String, String)> {
        s.conn()
            .prepare("SELECT id, state FROM wishes ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(states(&office), states(&st));
    // The street thanks it; the thanks travel back.
    mv(&mut st, &id, "thank", "谢谢", "", 0);
    let back = st.export_bundle(&ExportOptions::default()).unwrap();
    let back = bundle::parse(back.to_json().as_bytes()).unwrap();
    office.import_bundle(&back, "s", false, "t").unwrap();
    assert_eq!(office.get_wish(&id).unwrap().row.state, "thanked");
    // Masked for the street: the wisher's name and phone.
    let mut mask = std::collections::BTreeMap::new();
    mask.insert(
        "wishes".to_string(),
        vec!["wisher_name".to_string(), "wisher_phone".to_string()],
    );
    let masked = office
        .export_bundle(&ExportOptions {
            mask,
            ..Default::default()
        })
        .unwrap();
    let masked = bundle::parse(masked.to_json().as_bytes()).unwrap();
    let w = masked.tables["wishes"]
        .iter()
        .find(|r| r["id"] == id.as_str())
        .unwrap();
    assert!(w["wisher_name"].as_str().unwrap().contains('*'));
    // A bad move code in a bundle is refused with the record named.
    let mut json: serde_json::Value = serde_json::from_str(&with.to_json()).unwrap();
    json["tables"]["wish_events"][0]["move"] = serde_json::Value::String("dance".into());
    let mut bad: bundle::Bundle = serde_json::from_value(json).unwrap();
    bad.seal();
    let e = bundle::parse(bad.to_json().as_bytes()).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.table.as_deref(), e.field.as_deref()),
        ("invalid_field", Some("wish_events"), Some("move"))
    );
    // A version-2 bundle may not carry wishes.
    let mut v2 = plain.clone();
    v2.version = 2;
    v2.seal();
    let e = bundle::parse(v2.to_json().as_bytes()).unwrap_err();
    assert_eq!(e.code, "unknown_table");
}

#[test]
fn a_grid_export_carries_that_grids_wishes_and_their_claimers() {
    let mut s = community();
    let grid = first(
        &s,
        "SELECT grid_id FROM wishes WHERE volunteer_id IS NOT NULL ORDER BY id LIMIT 1",
    );
    let b = s
        .export_bundle(&ExportOptions {
            grid_id: Some(grid.clone()),
            ..Default::default()
        })
        .unwrap();
    // The checks pass: every claimer the events name is in the bundle.
    let b = bundle::parse(b.to_json().as_bytes()).unwrap();
    let subtree = s.grid_subtree(&grid).unwrap();
    let wishes = &b.tables["wishes"];
    assert!(!wishes.is_empty());
    assert!(wishes
        .iter()
        .all(|w| subtree.contains(&w["grid_id"].as_str().unwrap().to_string())));
    let mut st = street();
    st.import_bundle(&b, "g", false, "t").unwrap();
}
