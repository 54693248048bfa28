//! Duty rosters through the real store: weekly repeats, people on shifts, double-booking and
//! staffing shown, attendance, deletion, the sample's roster, and travel in bundles.

#![cfg(feature = "store")]

use gridledger::domain::bundle;
use gridledger::domain::roster::{week_start, DAY, HOUR, WEEK};
use gridledger::domain::sample::SampleOptions;
use gridledger::protocol::{ShiftForm, StreetSetup, VolunteerQuery};
use gridledger::storage::bundle::ExportOptions;
use gridledger::storage::Store;
use std::sync::atomic::{AtomicI64, Ordering};

static CLOCK: AtomicI64 = AtomicI64::new(1_795_000_000_000);
fn now() -> i64 {
    CLOCK.fetch_add(1000, Ordering::SeqCst)
}
const CODE: &str = "410103008005";

fn community() -> Store {
    let mut s = Store::open_in_memory(now, 51).unwrap();
    let mut o = SampleOptions::community(3, now());
    o.households = 60;
    o.cases = 0;
    o.grids = 2;
    s.load_sample(&o).unwrap();
    s
}

fn volunteers(s: &Store, n: usize) -> Vec<String> {
    s.list_volunteers(&VolunteerQuery {
        community_code: CODE.into(),
        limit: 200,
        ..Default::default()
    })
    .unwrap()
    .rows
    .into_iter()
    .take(n)
    .map(|r| r.id)
    .collect()
}

#[test]
fn a_repeated_shift_is_staffed_and_its_clashes_are_shown() {
    let mut s = community();
    // Next Saturday 18:00 local, three hours, three people, for 8 weeks.
    let sat = week_start(1_795_000_000_000) + 2 * WEEK + 5 * DAY + 18 * HOUR;
    let f = ShiftForm {
        community_code: CODE.into(),
        title: "周六晚巡逻".into(),
        place: "小区东门".into(),
        start_at: sat,
        end_at: sat + 3 * HOUR,
        needed: 3,
        weeks: 8,
        ..Default::default()
    };
    let ids = s.add_shifts(&f).unwrap();
    assert_eq!(ids.len(), 8);
    let bad = s
        .add_shifts(&ShiftForm {
            end_at: sat,
            weeks: 0,
            title: "".into(),
            ..f.clone()
        })
        .unwrap_err();
    let text = format!("{bad:?}");
    for field in ["title", "end", "weeks"] {
        assert!(text.contains(field), "{field}: {text}");
    }
    let v = volunteers(&s, 3);
    let a = s.assign_shift(&ids[0], &v[0], "").unwrap();
    s.assign_shift(&ids[0], &v[1], "").unwrap();
    assert!(
        s.assign_shift(&ids[0], &v[0], "").is_err(),
        "once per shift"
    );
    // Another shift overlapping the first one: v[0] is double-booked on both.
    let other = s
        .add_shifts(&ShiftForm {
            title: "议事会".into(),
            start_at: sat + HOUR,
            end_at: sat + 2 * HOUR,
            needed: 1,
            weeks: 1,
            ..f.clone()
        })
        .unwrap();
    s.assign_shift(&other[0], &v[0], "").unwrap();
    s.assign_shift(&other[0], &v[2], "").unwrap();
    let week = s
        .roster(CODE, week_start(sat), week_start(sat) + WEEK)
        .unwrap();
    let mine: Vec<_> = week
        .iter()
        .filter(|r| r.id == ids[0] || r.id == other[0])
        .collect();
    assert_eq!(mine.len(), 2);
    let first = mine.iter().find(|r| r.id == ids[0]).unwrap();
    assert!(first.day_off, "a Saturday");
    assert_eq!(first.people.len(), 2, "short: 2 of 3");
    let flagged: Vec<(&str, bool)> = first
        .people
        .iter()
        .map(|p| (p.person_id.as_str(), p.double_booked))
        .collect();
    assert_eq!(flagged, [(v[0].as_str(), true), (v[1].as_str(), false)]);
    // Off the second shift: no clash any more.
    let link = week.iter().find(|r| r.id == other[0]).unwrap().people[0]
        .link_id
        .clone();
    s.unassign_shift(&link).unwrap();
    let week = s
        .roster(CODE, week_start(sat), week_start(sat) + WEEK)
        .unwrap();
    assert!(week
        .iter()
        .flat_map(|r| &r.people)
        .filter(|p| p.person_id == v[0])
        .all(|p| !p.double_booked));
    // Attendance.
    s.mark_shift(&a, "done").unwrap();
    assert!(s.mark_shift(&a, "maybe").is_err());
    let week = s
        .roster(CODE, week_start(sat), week_start(sat) + WEEK)
        .unwrap();
    assert_eq!(
        week.iter().find(|r| r.id == ids[0]).unwrap().people[0].status,
        "done"
    );
    // The 8th week's shift is 7 weeks later at the same local time.
    let later = s
        .roster(CODE, week_start(sat) + 7 * WEEK, week_start(sat) + 8 * WEEK)
        .unwrap();
    assert!(later
        .iter()
        .any(|r| r.id == ids[7] && r.start_at == sat + 7 * WEEK));
    s.delete_shift(&ids[7]).unwrap();
    let later = s
        .roster(CODE, week_start(sat) + 7 * WEEK, week_start(sat) + 8 * WEEK)
        .unwrap();
    assert!(!later.iter().any(|r| r.id == ids[7]));
}

#[test]
fn the_sample_roster_has_eight_weeks_and_something_to_resolve() {
    let s = community();
    let from = week_start(1_795_000_000_000) - 4 * WEEK;
    let all = s.roster(CODE, from, from + 20 * WEEK).unwrap();
    assert_eq!(all.len(), 32);
    assert!(
        all.iter().any(|r| (r.people.len() as u32) < r.needed),
        "under-staffed"
    );
    assert!(all
        .iter()
        .flat_map(|r| &r.people)
        .any(|p| p.status == "done"));
    assert!(
        all.iter().flat_map(|r| &r.people).any(|p| p.double_booked),
        "double-booked"
    );
    assert!(all
        .iter()
        .flat_map(|r| &r.people)
        .any(|p| p.status == "done" && p.check_out.is_some()));
    // Hours in the bank: the sample's checked and planned shifts and its tasks.
    let year = gridledger::domain::roster::local_date(from + 4 * WEEK).year;
    let bank = s.time_bank(CODE, year).unwrap();
    assert!(bank.community.total > 0 && bank.volunteers.len() > 5);
}

#[test]
fn rosters_travel_in_bundles() {
    let mut s = community();
    let b = s.export_bundle(&ExportOptions::default()).unwrap();
    let parsed = bundle::parse(b.to_json().as_bytes()).unwrap();
    assert_eq!(parsed.counts["shifts"], 32);
    let mut street = Store::open_in_memory(now, 52).unwrap();
    street
        .setup_street(&StreetSetup {
            name: "建中街街道".into(),
            code: "410103008".into(),
            device_name: "街道".into(),
            actor_name: "王主任".into(),
        })
        .unwrap();
    street.import_bundle(&parsed, "a", false, "t").unwrap();
    let from = week_start(1_795_000_000_000) - 4 * WEEK;
    assert_eq!(
        street.roster(CODE, from, from + 20 * WEEK).unwrap(),
        s.roster(CODE, from, from + 20 * WEEK).unwrap()
    );
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
    bundle::parse(g.to_json().as_bytes()).expect("a grid bundle with shifts checks");
}

#[test]
fn checking_in_and_out_credits_the_time_bank_with_tasks_and_teams() {
    let mut s = community();
    let t0 = CLOCK.load(Ordering::SeqCst);
    let f = ShiftForm {
        community_code: CODE.into(),
        title: "助老服务".into(),
        start_at: t0 + 30 * 60_000,
        end_at: t0 + 150 * 60_000,
        needed: 1,
        weeks: 2,
        ..Default::default()
    };
    let ids = s.add_shifts(&f).unwrap();
    let v = volunteers(&s, 1).remove(0);
    let before = s.volunteer_hours(&v).unwrap();
    let link = s.assign_shift(&ids[0], &v, "").unwrap();
    let next_week = s.assign_shift(&ids[1], &v, "").unwrap();
    // Out before in, and in a week early, are refused with the field named.
    let e = format!("{:?}", s.check_shift(&link, "out").unwrap_err());
    assert!(e.contains("not_checked_in"), "{e}");
    let e = format!("{:?}", s.check_shift(&next_week, "in").unwrap_err());
    assert!(e.contains("not_now"), "{e}");
    s.check_shift(&link, "in").unwrap();
    let day = s.roster(CODE, t0, t0 + DAY).unwrap();
    let me = &day.iter().find(|r| r.id == ids[0]).unwrap().people[0];
    assert!(me.check_in.is_some() && me.status == "planned");
    CLOCK.fetch_add(100 * 60_000, Ordering::SeqCst);
    s.check_shift(&link, "out").unwrap();
    let day = s.roster(CODE, t0, t0 + DAY).unwrap();
    let me = &day.iter().find(|r| r.id == ids[0]).unwrap().people[0];
    assert_eq!(me.status, "done");
    let worked = (me.check_out.unwrap() - me.check_in.unwrap()) / 60_000;
    assert!((100..=101).contains(&worked), "{worked}");
    // A task logged by hand; bad entries refused field by field.
    let today = gridledger::domain::roster::local_date(t0).to_string();
    s.log_hours(&gridledger::protocol::HoursForm {
        volunteer_id: v.clone(),
        day: today.clone(),
        minutes: 45,
        task: "陪同就医".into(),
        case_id: String::new(),
    })
    .unwrap();
    let e = format!(
        "{:?}",
        s.log_hours(&gridledger::protocol::HoursForm {
            volunteer_id: v.clone(),
            day: "2026-02-30".into(),
            minutes: 0,
            task: "x".into(),
            case_id: "nope".into(),
        })
        .unwrap_err()
    );
    for f in ["day", "minutes", "case_id"] {
        assert!(e.contains(f), "{f}: {e}");
    }
    let after = s.volunteer_hours(&v).unwrap();
    assert_eq!(after.total - before.total, worked + 45);
    assert!(after
        .entries
        .iter()
        .any(|e| e.kind == "shift" && e.id == link && e.minutes == worked));
    // The year's bank: the volunteer, every team they are in, and the community agree.
    let year = gridledger::domain::roster::local_date(t0).year;
    let month = gridledger::domain::roster::local_date(t0).month as usize - 1;
    let bank = s.time_bank(CODE, year).unwrap();
    let line = bank.volunteers.iter().find(|l| l.id == v).unwrap();
    assert_eq!(line.total, line.months.iter().sum::<i64>());
    assert!(line.months[month] >= worked + 45);
    let all: i64 = bank.volunteers.iter().map(|l| l.total).sum();
    assert_eq!(bank.community.total, all);
    assert!(bank.volunteers.windows(2).all(|w| w[0].total >= w[1].total));
    let teams: Vec<String> = s
        .conn()
        .prepare("SELECT team_id FROM team_members WHERE volunteer_id = ?1 AND deleted = 0")
        .unwrap()
        .query_map([&v], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in &teams {
        let team = bank.teams.iter().find(|l| &l.id == t).unwrap();
        assert!(team.total >= line.total);
    }
    // The credits travel: a street sees the same bank.
    let b = s.export_bundle(&ExportOptions::default()).unwrap();
    let parsed = bundle::parse(b.to_json().as_bytes()).unwrap();
    assert!(parsed.counts["service_hours"] >= 1);
    let mut street = Store::open_in_memory(now, 53).unwrap();
    street
        .setup_street(&StreetSetup {
            name: "建中街街道".into(),
            code: "410103008".into(),
            device_name: "街道".into(),
            actor_name: "王主任".into(),
        })
        .unwrap();
    street.import_bundle(&parsed, "a", false, "t").unwrap();
    assert_eq!(street.time_bank(CODE, year).unwrap(), bank);
}

#[test]
fn a_version_2_bundle_reads_without_attendance_and_may_not_carry_it() {
    let mut s = community();
    let b = s.export_bundle(&ExportOptions::default()).unwrap();
    let as_v2 = |mut b: bundle::Bundle, strip: bool| {
        b.strip_to(3);
        b.tables
            .retain(|t, _| bundle::tables::table(t).is_some_and(|s| s.since <= 2));
        if strip {
            for r in b.tables.get_mut("shift_people").unwrap() {
                r.remove("check_in");
                r.remove("check_out");
            }
        }
        b.version = 2;
        b.seal();
        b
    };
    let parsed = bundle::parse(as_v2(b.clone(), true).to_json().as_bytes()).unwrap();
    assert!(parsed.tables["shift_people"]
        .iter()
        .all(|r| r["check_in"].is_null() && r["check_out"].is_null()));
    let e = bundle::parse(as_v2(b, false).to_json().as_bytes()).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        ("unknown_field", Some("check_in"))
    );
}

#[test]
fn duties_of_a_person_and_of_a_team() {
    let s = community();
    let from = week_start(1_795_000_000_000) - 4 * WEEK;
    let to = from + 20 * WEEK;
    let all = s.roster(CODE, from, to).unwrap();
    let (team, members): (String, Vec<String>) = {
        let t: String = s
            .conn()
            .query_row(
                "SELECT team_id FROM team_members WHERE deleted = 0 GROUP BY team_id ORDER BY count(*) DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let m = s
            .conn()
            .prepare("SELECT volunteer_id FROM team_members WHERE team_id = ?1 AND deleted = 0")
            .unwrap()
            .query_map([&t], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        (t, m)
    };
    let team_duties = s.duties(&team, from, to).unwrap();
    let expected: Vec<&str> = all
        .iter()
        .filter(|r| r.people.iter().any(|p| members.contains(&p.person_id)))
        .map(|r| r.id.as_str())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(
        team_duties
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>(),
        expected
    );
    let one = &members[0];
    let mine = s.duties(one, from, to).unwrap();
    assert!(mine
        .iter()
        .all(|r| r.people.iter().any(|p| &p.person_id == one)));
    assert!(mine.len() <= team_duties.len());
    assert!(s.duties("no-such-id", from, to).is_err());
}
