//! Volunteers and teams through the real store: saving with validation next to the field,
//! memberships as link records, search and filters, deletion, and travel in bundles.

#![cfg(feature = "store")]

use gridledger::domain::bundle;
use gridledger::domain::sample::SampleOptions;
use gridledger::protocol::{StreetSetup, TeamForm, VolunteerForm, VolunteerQuery};
use gridledger::storage::bundle::ExportOptions;
use gridledger::storage::Store;
use std::sync::atomic::{AtomicI64, Ordering};

static CLOCK: AtomicI64 = AtomicI64::new(1_795_000_000_000);
fn now() -> i64 {
    CLOCK.fetch_add(1000, Ordering::SeqCst)
}
const CODE: &str = "410103008005";

fn community() -> Store {
    let mut s = Store::open_in_memory(now, 41).unwrap();
    let mut o = SampleOptions::community(3, now());
    o.households = 40;
    o.cases = 0;
    o.grids = 2;
    s.load_sample(&o).unwrap();
    s
}

fn q(f: impl FnOnce(&mut VolunteerQuery)) -> VolunteerQuery {
    let mut q = VolunteerQuery {
        community_code: CODE.into(),
        limit: 200,
        ..Default::default()
    };
    f(&mut q);
    q
}

fn v(s: &[&str]) -> Vec<String> {
    s.iter().map(|x| x.to_string()).collect()
}

#[test]
fn the_sample_has_teams_and_volunteers() {
    let s = community();
    let teams = s.list_teams(CODE).unwrap();
    assert_eq!(teams.len(), 5);
    assert!(teams
        .iter()
        .any(|t| t.name == "楼院发声员" && t.members > 0 && !t.leader_name.is_empty()));
    let all = s.list_volunteers(&q(|_| {})).unwrap();
    assert!((40..=80).contains(&all.total), "{}", all.total);
}

#[test]
fn volunteers_are_saved_found_filtered_and_deleted() {
    let mut s = community();
    let team = s
        .save_team(&TeamForm {
            community_code: CODE.into(),
            name: "应急救援队".into(),
            ..Default::default()
        })
        .unwrap();
    let grid: String = s
        .conn()
        .query_row(
            "SELECT id FROM grids WHERE level = 2 ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // Problems come back per field; nothing is written.
    let e = s
        .save_volunteer(&VolunteerForm {
            community_code: CODE.into(),
            name: "".into(),
            phone: "123".into(),
            in_service: true,
            skills: v(&["juggling"]),
            ..Default::default()
        })
        .unwrap_err();
    let text = format!("{e:?}");
    for f in [
        "\"name\"",
        "\"phone\"",
        "\"skills\"",
        "\"work_unit\"",
        "\"party_member\"",
    ] {
        assert!(text.contains(f), "{f} in {text}");
    }
    let id = s
        .save_volunteer(&VolunteerForm {
            community_code: CODE.into(),
            grid_id: grid.clone(),
            name: "程医生".into(),
            phone: "139-0000-1111".into(),
            skills: v(&["medical", "counselling"]),
            availability: v(&["evenings"]),
            party_member: true,
            in_service: true,
            work_unit: "区人民医院".into(),
            posts: v(&["service"]),
            team_ids: vec![team.clone()],
            ..Default::default()
        })
        .unwrap();
    let f = s.get_volunteer(&id).unwrap();
    assert_eq!(f.phone, "13900001111");
    assert_eq!(f.skills, v(&["medical", "counselling"]));
    assert_eq!(f.team_ids, vec![team.clone()]);
    let ids = |p: gridledger::protocol::VolunteerPage| {
        p.rows.into_iter().map(|r| r.id).collect::<Vec<_>>()
    };
    assert_eq!(
        ids(s.list_volunteers(&q(|q| q.text = "程医".into())).unwrap()),
        vec![id.clone()]
    );
    assert_eq!(
        ids(s
            .list_volunteers(&q(|q| q.text = "0000 1111".into()))
            .unwrap()),
        vec![id.clone()]
    );
    assert_eq!(
        ids(s.list_volunteers(&q(|q| q.team_id = team.clone())).unwrap()),
        vec![id.clone()]
    );
    let medics = s
        .list_volunteers(&q(|q| q.skill = "medical".into()))
        .unwrap();
    assert!(medics.rows.iter().any(|r| r.id == id));
    assert!(medics
        .rows
        .iter()
        .all(|r| r.skills.contains(&"medical".to_string())));
    let in_grid = s.list_volunteers(&q(|q| q.grid_id = grid.clone())).unwrap();
    assert!(in_grid.rows.iter().any(|r| r.id == id));
    let party = s.list_volunteers(&q(|q| q.party_only = true)).unwrap();
    assert!(party.rows.iter().all(|r| r.party_member));
    // Leaving the team leaves a tombstoned link; the team shows no member.
    s.save_volunteer(&VolunteerForm {
        team_ids: vec![],
        ..f.clone()
    })
    .unwrap();
    assert!(s.get_volunteer(&id).unwrap().team_ids.is_empty());
    let links: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM team_members WHERE volunteer_id = ?1 AND deleted = 1",
            [&id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(links, 1);
    // The leader of a team is one of its members.
    s.save_team(&TeamForm {
        id: team.clone(),
        community_code: CODE.into(),
        name: "应急救援队".into(),
        leader_id: id.clone(),
        note: String::new(),
    })
    .unwrap();
    assert_eq!(s.get_volunteer(&id).unwrap().team_ids, vec![team.clone()]);
    let dup = s.save_team(&TeamForm {
        community_code: CODE.into(),
        name: "应急救援队".into(),
        ..Default::default()
    });
    assert!(format!("{:?}", dup.unwrap_err()).contains("duplicate"));
    // Deleting leaves a tombstone and the team without its leader.
    s.delete_volunteer(&id).unwrap();
    assert!(s.get_volunteer(&id).is_err());
    let t = s
        .list_teams(CODE)
        .unwrap()
        .into_iter()
        .find(|t| t.id == team)
        .unwrap();
    assert_eq!((t.leader_id.as_str(), t.members), ("", 0));
}

#[test]
fn volunteers_travel_in_bundles_and_their_phones_can_be_masked() {
    let mut s = community();
    let n: i64 = s
        .conn()
        .query_row("SELECT count(*) FROM volunteers", [], |r| r.get(0))
        .unwrap();
    assert!(n > 0, "{n}");
    let b = s.export_bundle(&ExportOptions::default()).unwrap();
    let parsed = bundle::parse(b.to_json().as_bytes()).unwrap();
    for t in ["volunteers", "volunteer_teams", "team_members"] {
        assert!(
            parsed.counts.get(t).is_some_and(|n| *n > 0),
            "{t}: {:?}",
            parsed.counts
        );
    }
    let mut street = Store::open_in_memory(now, 77).unwrap();
    street
        .setup_street(&StreetSetup {
            name: "建中街街道".into(),
            code: "410103008".into(),
            device_name: "街道".into(),
            actor_name: "王主任".into(),
        })
        .unwrap();
    street.import_bundle(&parsed, "a", false, "t").unwrap();
    assert_eq!(
        street.list_volunteers(&q(|_| {})).unwrap(),
        s.list_volunteers(&q(|_| {})).unwrap()
    );
    assert_eq!(
        street.list_teams(CODE).unwrap(),
        s.list_teams(CODE).unwrap()
    );
    // Masked: the phones leave as 138****5678 and never overwrite the real ones.
    let mut mask = std::collections::BTreeMap::new();
    mask.insert("volunteers".to_string(), vec!["phone".to_string()]);
    let m = s
        .export_bundle(&ExportOptions {
            mask,
            ..Default::default()
        })
        .unwrap();
    let parsed = bundle::parse(m.to_json().as_bytes()).unwrap();
    assert!(parsed.tables["volunteers"]
        .iter()
        .all(|r| r["phone"].as_str().unwrap().contains('*')));
    // A grid's bundle checks too (volunteers outside it stay home).
    let grid: String = s
        .conn()
        .query_row(
            "SELECT id FROM grids WHERE level = 1 ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let g = s
        .export_bundle(&ExportOptions {
            grid_id: Some(grid),
            ..Default::default()
        })
        .unwrap();
    bundle::parse(g.to_json().as_bytes()).expect("a grid bundle with volunteers checks");
}
