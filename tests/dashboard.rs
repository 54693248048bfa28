//! The dashboard's figures on a hand-made community whose answers are worked out by hand in the
//! comments below (not by the code under test): cases in and out of the range, voided and
//! deleted ones, overdue and closed ones; residents with and without key-group tags, one moved
//! out; the grid filter and the whole-street view; an empty database gives "—", never NaN.

#![cfg(feature = "store")]

use gridledger::domain::dashboard::{percent, Tally};
use gridledger::protocol::{
    CommunitySetup, DashboardQuery, HouseholdForm, Request, ResidentForm, Response, StatusForm,
};
use gridledger::storage::Store;
use rusqlite::params;

/// 2026-12-01 12:00 in Beijing.
fn now() -> i64 {
    1_796_097_600_000
}
const CODE: &str = "410103008005";
const H: i64 = 3_600_000;

/// UTC ms of a Beijing date and hour.
fn at(date: &str, hour: i64) -> i64 {
    let d = gridledger::domain::date::Date::parse(date).unwrap();
    gridledger::domain::dashboard::day_start_ms(d) + hour * H
}

struct World {
    s: Store,
    a: String,
    a1: String,
    b: String,
}

fn world() -> World {
    let mut s = Store::open_in_memory(now, 77).unwrap();
    s.setup_community(&CommunitySetup {
        name: "永安社区".into(),
        code: CODE.into(),
        street_name: "淮河路街道".into(),
        device_name: "社区办公室".into(),
        actor_name: "王主任".into(),
        actor_role: "community_cadre".into(),
    })
    .unwrap();
    let root: String = s
        .conn()
        .query_row("SELECT id FROM grids WHERE parent_id IS NULL", [], |r| {
            r.get(0)
        })
        .unwrap();
    let a = s.create_grid(&root, "第一网格").unwrap();
    let b = s.create_grid(&root, "第二网格").unwrap();
    let a1 = s.create_grid(&a, "1号楼").unwrap();
    s.case_categories(CODE).unwrap();
    World { s, a, a1, b }
}

/// A case row as the store caches it from its events (the figures read only these columns).
#[allow(clippy::too_many_arguments)]
fn case(
    w: &World,
    n: u32,
    grid: &str,
    cat: &str,
    channel: &str,
    reported: i64,
    deadline: Option<i64>,
    closed: Option<i64>,
    rating: &str,
    state: &str,
    deleted: bool,
) {
    w.s.conn()
        .execute(
            "INSERT INTO cases (id, community_code, grid_id, category_code, title, channel,
                reported_at, deadline, created_at, updated_at, updated_by, state, rating,
                closed_at, deleted)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?7, 'dev', ?9, ?10, ?11, ?12)",
            params![
                format!("case-{n}"),
                CODE,
                grid,
                cat,
                format!("事件{n}"),
                channel,
                reported,
                deadline,
                state,
                rating,
                closed,
                deleted as i64
            ],
        )
        .unwrap();
}

fn cases(w: &World) {
    let (a, a1, b) = (w.a.clone(), w.a1.clone(), w.b.clone());
    // 1: 1号楼 (under 第一网格), 4 h to close, 满意.
    case(
        w,
        1,
        &a1,
        "0101",
        "patrol",
        at("2026-11-02", 10),
        Some(at("2026-11-02", 18)),
        Some(at("2026-11-02", 14)),
        "satisfied",
        "rated",
        false,
    );
    // 2: 第一网格, 48 h to close, 不满意.
    case(
        w,
        2,
        &a,
        "0102",
        "resident",
        at("2026-11-03", 10),
        None,
        Some(at("2026-11-05", 10)),
        "unsatisfied",
        "rated",
        false,
    );
    // 3: 第二网格, open and past its deadline: overdue.
    case(
        w,
        3,
        &b,
        "0201",
        "patrol",
        at("2026-11-10", 9),
        Some(at("2026-11-12", 9)),
        None,
        "",
        "in_hand",
        false,
    );
    // 4: 第二网格, open, deadline still ahead.
    case(
        w,
        4,
        &b,
        "0201",
        "hotline_12345",
        at("2026-11-20", 9),
        Some(at("2026-12-30", 9)),
        None,
        "",
        "dispatched",
        false,
    );
    // 5: voided: never counted.
    case(
        w,
        5,
        &b,
        "0201",
        "patrol",
        at("2026-11-21", 9),
        None,
        None,
        "",
        "voided",
        false,
    );
    // 6: reported before the range, closed in it: not received, but closed in the week of 11-02.
    case(
        w,
        6,
        &a,
        "0101",
        "patrol",
        at("2026-10-30", 9),
        None,
        Some(at("2026-11-02", 9)),
        "",
        "closed",
        false,
    );
    // 7: 第二网格, 24 h to close, 基本满意.
    case(
        w,
        7,
        &b,
        "0202",
        "photo",
        at("2026-11-25", 8),
        None,
        Some(at("2026-11-26", 8)),
        "basically_satisfied",
        "rated",
        false,
    );
    // 8: a tombstone: never counted.
    case(
        w,
        8,
        &b,
        "0201",
        "patrol",
        at("2026-11-22", 9),
        None,
        None,
        "",
        "reported",
        true,
    );
}

fn q(grid: &str) -> DashboardQuery {
    DashboardQuery {
        community_code: CODE.into(),
        grid_id: grid.into(),
        from: "2026-11-01".into(),
        to: "2026-11-30".into(),
        ..Default::default()
    }
}

#[test]
fn case_figures_by_hand() {
    let w = world();
    cases(&w);
    let d = w.s.dashboard(&q("")).unwrap();
    // Received: 1, 2, 3, 4, 7. Closed: 1, 2, 7. Rated: 1, 2, 7; satisfied: 1, 7. Overdue: 3.
    assert_eq!(
        d.cases,
        Tally {
            received: 5,
            closed: 3,
            rated: 3,
            satisfied: 2,
            overdue: 1,
            close_ms: (4 + 48 + 24) * H,
        }
    );
    assert_eq!(percent(d.cases.closure_rate()), "60.0%");
    assert_eq!(percent(d.cases.satisfaction_rate()), "66.7%");
    // (4 + 48 + 24) / 3 = 25.33 h.
    assert!((d.cases.mean_hours().unwrap() - 25.333).abs() < 0.01);
    // Weeks from Monday 10-26 (11-01 is a Sunday) to Monday 11-30.
    let weeks: Vec<(&str, u64, u64)> = d
        .weeks
        .iter()
        .map(|w| (w.start.as_str(), w.received, w.closed))
        .collect();
    assert_eq!(
        weeks,
        [
            ("2026-10-26", 0, 0),
            ("2026-11-02", 2, 3),
            ("2026-11-09", 1, 0),
            ("2026-11-16", 1, 0),
            ("2026-11-23", 1, 1),
            ("2026-11-30", 0, 0),
        ]
    );
    // By grid: 第一网格 counts 1号楼's case too; no case sits on the community's root.
    let grids: Vec<(&str, u64, u64, u64)> = d
        .by_grid
        .iter()
        .map(|g| {
            (
                g.name.as_str(),
                g.tally.received,
                g.tally.closed,
                g.tally.overdue,
            )
        })
        .collect();
    assert_eq!(grids, [("第一网格", 2, 2, 0), ("第二网格", 3, 1, 1)]);
    // By 大类: 01 市容环境 (cases 1, 2), 02 宣传广告 (3, 4, 7).
    let cats: Vec<(&str, &str, u64)> = d
        .by_category
        .iter()
        .map(|g| (g.key.as_str(), g.name.as_str(), g.tally.received))
        .collect();
    assert_eq!(cats, [("02", "宣传广告", 3), ("01", "市容环境", 2)]);
    let chans: Vec<(&str, u64)> = d
        .by_channel
        .iter()
        .map(|g| (g.key.as_str(), g.tally.received))
        .collect();
    assert_eq!(
        chans,
        [
            ("patrol", 2),
            ("hotline_12345", 1),
            ("photo", 1),
            ("resident", 1)
        ]
    );
    assert!(d.by_community.is_empty(), "one community: no street table");

    // Narrowed to 第一网格: cases 1 and 2; rows are 1号楼 and the grid itself.
    let d = w.s.dashboard(&q(&w.a)).unwrap();
    assert_eq!((d.cases.received, d.cases.closed), (2, 2));
    let grids: Vec<(&str, u64)> = d
        .by_grid
        .iter()
        .map(|g| (g.name.as_str(), g.tally.received))
        .collect();
    assert_eq!(grids, [("1号楼", 1), ("", 1)]);

    // The whole street (empty community code): the same cases, and one line per community.
    let mut street = q("");
    street.community_code = String::new();
    let d = w.s.dashboard(&street).unwrap();
    assert_eq!(d.cases.received, 5);
    assert_eq!(d.by_community.len(), 1);
    assert_eq!(d.by_community[0].name, "永安社区");
    assert_eq!(d.by_community[0].tally.closed, 3);

    // A range with nothing in it: zeros and dashes.
    let mut empty = q("");
    empty.from = "2025-01-01".into();
    empty.to = "2025-01-31".into();
    let d = w.s.dashboard(&empty).unwrap();
    assert_eq!(d.cases, Tally::default());
    assert_eq!(percent(d.cases.closure_rate()), "—");
    assert_eq!(percent(d.cases.satisfaction_rate()), "—");
}

#[test]
fn people_figures_by_hand() {
    let mut w = world();
    let tags = w.s.list_tags(CODE).unwrap();
    let tag = |n: &str| tags.iter().find(|t| t.name == n).unwrap().id.clone();
    let (alone, disabled, party) = (tag("独居老人"), tag("残疾人"), tag("党员"));
    let mut house = |grid: &str, room: &str| {
        w.s.save_household(&HouseholdForm {
            id: String::new(),
            community_code: CODE.into(),
            grid_id: grid.into(),
            building: "1".into(),
            unit: String::new(),
            room: room.into(),
        })
        .unwrap()
    };
    let (a, a1, b) = (w.a.clone(), w.a1.clone(), w.b.clone());
    let h1 = house(&a1, "101");
    let h2 = house(&a, "102");
    let h3 = house(&b, "103");
    let mut person = |name: &str, grid: &str, h: &str, tags: Vec<String>| {
        w.s.save_resident(&ResidentForm {
            community_code: CODE.into(),
            name: name.into(),
            gender: "M".into(),
            birth_date: "1940-03-01".into(),
            grid_id: grid.into(),
            household_id: h.into(),
            relation: "户主".into(),
            tag_ids: tags,
            ..Default::default()
        })
        .unwrap()
    };
    // 张一: 独居老人 and 残疾人 (one key person, counted under both tags).
    person("张一", &a1, &h1, vec![alone.clone(), disabled.clone()]);
    // 李二: 独居老人.
    person("李二", &a, &h2, vec![alone.clone()]);
    // 王三: 党员 only (a tag without a visit cadence): not a key person.
    person("王三", &b, &h3, vec![party]);
    // 赵四: 残疾人, moved out: neither a resident here nor a key person.
    let gone = person("赵四", &b, &h3, vec![disabled.clone()]);
    w.s.change_status(&StatusForm {
        resident_id: gone,
        kind: "moved_out".into(),
        event_date: "2026-11-20".into(),
        ..Default::default()
    })
    .unwrap();
    let d = w.s.dashboard(&q("")).unwrap();
    assert_eq!((d.residents, d.households, d.key_persons), (3, 3, 2));
    let by_tag: Vec<(&str, u64)> = d
        .key_by_tag
        .iter()
        .map(|c| (c.name.as_str(), c.n))
        .collect();
    assert_eq!(by_tag, [("独居老人", 2), ("残疾人", 1)]);
    let by_grid: Vec<(&str, u64)> = d
        .key_by_grid
        .iter()
        .map(|k| (k.name.as_str(), k.people))
        .collect();
    assert_eq!(by_grid, [("第一网格", 2), ("第二网格", 0)]);
    // Both key persons were never visited: their first visit is due from the plan's start.
    assert_eq!(d.visit_people, 2);
    // 第二网格 only: 王三 (赵四 moved out).
    let d = w.s.dashboard(&q(&b)).unwrap();
    assert_eq!((d.residents, d.households, d.key_persons), (1, 1, 0));
}

#[test]
fn the_worker_draws_the_charts_with_the_readers_words() {
    let mut w = world();
    cases(&w);
    let reply = gridledger::worker::handle(&mut w.s, Request::Dashboard(q("")), 0.0);
    let Ok(Response::Dashboard(d)) = reply else {
        panic!("{reply:?}")
    };
    let ids: Vec<&str> = d.charts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["weeks", "categories", "places", "rates", "channels"]);
    for c in &d.charts {
        assert!(c.svg.starts_with("<svg"), "{}: {}", c.id, c.svg);
    }
    let channels = &d.charts[4].svg;
    assert!(channels.contains("网格巡查"), "channel names, not codes");
    let mut en = q("");
    en.lang = "en".into();
    let Ok(Response::Dashboard(d)) =
        gridledger::worker::handle(&mut w.s, Request::Dashboard(en), 0.0)
    else {
        panic!()
    };
    assert!(d.charts[4].svg.contains("Patrol"));
    assert_eq!(d.charts[0].title, "Cases per week (received / closed)");
    // A bad range is refused with the field named.
    let mut bad = q("");
    bad.to = "2026-10-01".into();
    let Err(e) = gridledger::worker::handle(&mut w.s, Request::Dashboard(bad), 0.0) else {
        panic!()
    };
    assert_eq!(e.for_field("to"), Some("date_before_from"));
}

#[test]
fn the_data_version_moves_with_every_change_and_only_then() {
    let mut w = world();
    let v = |s: &mut Store| match gridledger::worker::handle(s, Request::DataVersion, 0.0) {
        Ok(Response::DataVersion(v)) => v,
        other => panic!("{other:?}"),
    };
    let before = v(&mut w.s);
    // Reading changes nothing.
    w.s.dashboard(&q("")).unwrap();
    assert_eq!(v(&mut w.s), before);
    let root = w.a.clone();
    w.s.create_grid(&root, "2号楼").unwrap();
    let after = v(&mut w.s);
    assert!(after > before, "{after} > {before}");
}
