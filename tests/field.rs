//! Field bundles through the real store: the office's bundle for one grid worker (their grids,
//! masked by the field profile, their open cases and shifts), a phone set up from it, a day's
//! work there, the return bundle holding only that work, and the office taking it back with
//! no real value overwritten by a masked one.

#![cfg(feature = "store")]

use std::collections::HashSet;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use gridledger::domain::bundle::{self, id_of, tables::is_masked, text, Bundle};
use gridledger::domain::case::MoveInput;
use gridledger::domain::sample::SampleOptions;
use gridledger::protocol::{CaseForm, ShiftForm, VisitForm};
use gridledger::storage::bundle::ExportOptions;
use gridledger::storage::Store;

static CLOCK: AtomicI64 = AtomicI64::new(1_795_000_000_000);
fn now() -> i64 {
    CLOCK.fetch_add(1000, Ordering::SeqCst)
}
static SEED: AtomicU64 = AtomicU64::new(9000);

const CODE: &str = "410103008005";

fn office() -> Store {
    let mut s = Store::open_in_memory(now, SEED.fetch_add(1, Ordering::SeqCst)).unwrap();
    let mut o = SampleOptions::community(7, now());
    o.households = 60;
    o.cases = 40;
    o.grids = 3;
    s.load_sample(&o).unwrap();
    s
}

fn phone() -> Store {
    Store::open_in_memory(now, SEED.fetch_add(1, Ordering::SeqCst)).unwrap()
}

fn through_file(b: &Bundle) -> Bundle {
    bundle::parse(b.to_json().as_bytes()).unwrap()
}

fn one(s: &Store, sql: &str, p: &[&dyn rusqlite::ToSql]) -> String {
    s.conn().query_row(sql, p, |r| r.get(0)).unwrap()
}

fn count(s: &Store, sql: &str, p: &[&dyn rusqlite::ToSql]) -> i64 {
    s.conn().query_row(sql, p, |r| r.get(0)).unwrap()
}

/// A grid worker linked to a bottom grid that has key persons, with one case dispatched to
/// them (open), one closed, and one shift.
struct Setup {
    staff_id: String,
    staff_name: String,
    open_case: String,
    closed_case: String,
    shift: String,
    other_shift: String,
}

fn prepare(s: &mut Store) -> Setup {
    // The worker of the grid holding the most key persons' tags.
    let (staff_id, staff_name): (String, String) = s
        .conn()
        .query_row(
            "SELECT st.id, st.name FROM grid_staff gs JOIN staff st ON st.id = gs.staff_id
             JOIN grids g ON g.parent_id = gs.grid_id
             JOIN residents r ON r.grid_id = g.id
             JOIN resident_tags rt ON rt.resident_id = r.id
             JOIN tags t ON t.id = rt.tag_id AND t.visit_days > 0
             WHERE gs.duty = 'worker' AND gs.deleted = 0
             GROUP BY st.id ORDER BY count(*) DESC, st.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let grid = one(
        s,
        "SELECT grid_id FROM grid_staff WHERE staff_id = ?1 ORDER BY grid_id LIMIT 1",
        &[&staff_id],
    );
    s.case_categories(CODE).unwrap();
    let case = |s: &mut Store, title: &str| {
        let id = s
            .report_case(&CaseForm {
                community_code: CODE.into(),
                grid_id: grid.clone(),
                category_code: "0101".into(),
                title: title.into(),
                channel: "patrol".into(),
                reporter_name: "李大爷".into(),
                reporter_phone: "13800138000".into(),
                ..Default::default()
            })
            .unwrap();
        for (m, a) in [("accept", ""), ("dispatch", staff_name.as_str())] {
            let input = MoveInput {
                remark: "请处理",
                assignee: a,
                rating: "",
            };
            s.case_move(&id, m, &input).unwrap();
        }
        id
    };
    let open_case = case(s, "楼道堆物");
    let closed_case = case(s, "路灯不亮");
    for m in ["start", "feedback", "verify", "close"] {
        let input = MoveInput {
            remark: "已处理",
            assignee: "",
            rating: "",
        };
        s.case_move(&closed_case, m, &input).unwrap();
    }
    // Within the hour: the worker can check in on the phone.
    let day = CLOCK.load(Ordering::SeqCst) + 3_600_000;
    let shift = |s: &mut Store, title: &str| {
        s.add_shifts(&ShiftForm {
            community_code: CODE.into(),
            title: title.into(),
            start_at: day,
            end_at: day + 3_600_000,
            needed: 2,
            weeks: 1,
            ..Default::default()
        })
        .unwrap()
        .remove(0)
    };
    let mine = shift(s, "网格巡查");
    let other_shift = shift(s, "夜间值守");
    s.assign_shift(&mine, "", &staff_id).unwrap();
    Setup {
        staff_id,
        staff_name,
        open_case,
        closed_case,
        shift: mine,
        other_shift,
    }
}

fn field_bundle(s: &mut Store, staff_id: &str) -> Bundle {
    through_file(
        &s.export_bundle(&ExportOptions {
            field_staff_id: Some(staff_id.into()),
            actor: "社区".into(),
            ..Default::default()
        })
        .unwrap(),
    )
}

/// Residents with a tag that has a visit cadence.
fn key_persons(s: &Store) -> HashSet<String> {
    s.conn()
        .prepare(
            "SELECT DISTINCT rt.resident_id FROM resident_tags rt
             JOIN tags t ON t.id = rt.tag_id AND t.visit_days > 0 WHERE rt.deleted = 0",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn ids(b: &Bundle, t: &str) -> HashSet<String> {
    b.tables
        .get(t)
        .map(|v| v.iter().map(|r| id_of(r).to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn a_field_bundle_holds_the_workers_grids_masked_their_open_cases_and_shifts() {
    let mut office = office();
    let st = prepare(&mut office);
    let b = field_bundle(&mut office, &st.staff_id);
    let field = b.scope.field.clone().expect("a field scope");
    assert_eq!(field.staff_name, st.staff_name);
    assert!(!field.returning);
    assert!(!field.grid_ids.is_empty());

    // Cases: the open one dispatched to them, not the closed one, nothing not theirs.
    let cases = ids(&b, "cases");
    assert!(cases.contains(&st.open_case));
    assert!(!cases.contains(&st.closed_case));
    for id in &cases {
        let (assignee, state): (String, String) = office
            .conn()
            .query_row(
                "SELECT assignee, state FROM cases WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(assignee, st.staff_name);
        assert!(!["closed", "rated", "voided"].contains(&state.as_str()));
    }
    // The open case's whole timeline travels.
    let events = b.tables["case_events"]
        .iter()
        .filter(|r| text(r, "case_id") == Some(st.open_case.as_str()))
        .count() as i64;
    assert_eq!(
        events,
        count(
            &office,
            "SELECT count(*) FROM case_events WHERE case_id = ?1",
            &[&st.open_case]
        )
    );
    // Shifts: theirs only.
    let shifts = ids(&b, "shifts");
    assert!(shifts.contains(&st.shift));
    assert!(!shifts.contains(&st.other_shift));

    // Residents of their grids (and their sub-grids) are all there; no one from elsewhere
    // except the people the bundle's records point at.
    let grids = ids(&b, "grids");
    let in_grids = count(
        &office,
        &format!(
            "SELECT count(*) FROM residents WHERE deleted = 0 AND grid_id IN ({})",
            grids
                .iter()
                .map(|g| format!("'{g}'"))
                .collect::<Vec<_>>()
                .join(",")
        ),
        &[],
    );
    let residents = &b.tables["residents"];
    assert!(
        residents.len() as i64 >= in_grids / 2,
        "the grid's residents travel"
    );
    let all = count(&office, "SELECT count(*) FROM residents", &[]);
    assert!((residents.len() as i64) < all, "not the whole community");

    // The field profile: key persons of those grids unmasked, everyone else masked.
    let key = key_persons(&office);
    let (mut masked, mut real) = (0, 0);
    for r in residents {
        let id = text(r, "id_number").unwrap_or("");
        if id.is_empty() {
            continue;
        }
        let status = one(
            &office,
            "SELECT status FROM residents WHERE id = ?1",
            &[&id_of(r)],
        );
        if key.contains(id_of(r)) && status == "active" {
            assert!(!is_masked(id), "a key person's ID number travels: {id}");
            real += 1;
        } else {
            assert!(is_masked(id), "{id} should be masked");
            if let Some(p) = text(r, "phone").filter(|p| !p.is_empty()) {
                assert!(is_masked(p));
            }
            masked += 1;
        }
    }
    assert!(masked > 0 && real > 0, "masked {masked}, real {real}");
    assert_eq!(
        b.masked.get("residents").cloned().unwrap_or_default(),
        vec!["id_number".to_string(), "phone".to_string()]
    );
    // Dictionaries travel whole.
    for t in ["case_categories", "tags", "staff"] {
        assert!(!ids(&b, t).is_empty(), "{t}");
    }

    // A staff member with no grid gets no field bundle.
    let e = office
        .export_bundle(&ExportOptions {
            field_staff_id: Some("0190f000-0000-7000-8000-000000000000".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(gridledger::protocol::ApiError::from(e).code, "not_found");
}

#[test]
fn a_day_in_the_field_comes_back_as_a_return_bundle_and_nothing_real_is_overwritten() {
    let mut office = office();
    let st = prepare(&mut office);
    let b = field_bundle(&mut office, &st.staff_id);

    // The phone: set up from the field bundle, in field mode as that worker.
    let mut phone = phone();
    phone
        .restore_backup(
            &b,
            "外勤.gridledger.json",
            "张三的手机",
            "",
            &mut |_, _, _| {},
        )
        .unwrap();
    let info = phone.field_info().unwrap().expect("field mode");
    assert_eq!(info.staff_name, st.staff_name);
    assert_eq!(info.unsent, 0);
    assert!(info.as_of_millis > 0);
    assert_eq!(phone.actor().unwrap().unwrap().id, st.staff_id);
    assert!(office.field_info().unwrap().is_none());

    // A day's work: the dispatched case handled, a new case found on patrol, a visit.
    for m in ["start", "feedback"] {
        let input = MoveInput {
            remark: "已清理",
            assignee: "",
            rating: "",
        };
        phone.case_move(&st.open_case, m, &input).unwrap();
    }
    let grid = one(
        &phone,
        "SELECT grid_id FROM cases WHERE id = ?1",
        &[&st.open_case],
    );
    let new_case = phone
        .report_case(&CaseForm {
            community_code: CODE.into(),
            grid_id: grid,
            category_code: "0101".into(),
            title: "井盖松动".into(),
            channel: "patrol".into(),
            ..Default::default()
        })
        .unwrap();
    let key_person = one(
        &phone,
        "SELECT r.id FROM residents r JOIN resident_tags rt ON rt.resident_id = r.id
         JOIN tags t ON t.id = rt.tag_id AND t.visit_days > 0 WHERE r.status = 'active'
         ORDER BY r.id LIMIT 1",
        &[],
    );
    let masked_person = one(
        &phone,
        "SELECT id FROM residents WHERE id_number LIKE '%*%' ORDER BY id LIMIT 1",
        &[],
    );
    let visit = |p: &mut Store, rid: &str| {
        p.record_visit(&VisitForm {
            resident_id: rid.into(),
            visit_date: "2026-11-15".into(),
            visitor_id: st.staff_id.clone(),
            visitor_name: st.staff_name.clone(),
            condition: "good".into(),
            ..Default::default()
        })
        .unwrap()
    };
    // Their duty: checked in and out on the phone.
    let link = one(
        &phone,
        "SELECT id FROM shift_people WHERE shift_id = ?1 AND staff_id = ?2",
        &[&st.shift, &st.staff_id],
    );
    phone.check_shift(&link, "in").unwrap();
    phone.check_shift(&link, "out").unwrap();
    // A resident the phone holds masked: a note corrected, the masked values left as they are.
    let mut form = phone.get_resident(&masked_person).unwrap();
    assert!(is_masked(&form.id_number));
    form.note = "三楼东户，白天不在家".into();
    phone.save_resident(&form).unwrap();
    let v1 = visit(&mut phone, &key_person);
    let v2 = visit(&mut phone, &masked_person);
    let unsent = phone.field_info().unwrap().unwrap().unsent;
    assert!(unsent >= 5, "{unsent} changes counted");

    // The return bundle: only what the phone made, and the parents it needs.
    let ret = through_file(
        &phone
            .export_bundle(&ExportOptions {
                returning: true,
                actor: st.staff_name.clone(),
                photos: true,
                ..Default::default()
            })
            .unwrap(),
    );
    assert!(ret.scope.field.as_ref().is_some_and(|f| f.returning));
    let phone_device = phone.device_id().to_string();
    for t in ["case_events", "visits"] {
        for r in &ret.tables[t] {
            assert_eq!(text(r, "updated_by"), Some(phone_device.as_str()), "{t}");
        }
    }
    assert!(ids(&ret, "cases").contains(&new_case));
    assert_eq!(ids(&ret, "visits"), HashSet::from([v1.clone(), v2.clone()]));
    assert!(
        ret.tables["residents"].len() < b.tables["residents"].len(),
        "not the whole field bundle back"
    );
    // Made is not sent: the count drops once the phone has handed the file on.
    assert_eq!(phone.field_info().unwrap().unwrap().unsent, unsent);
    phone.field_sent(ret.exported_at).unwrap();
    assert_eq!(phone.field_info().unwrap().unwrap().unsent, 0);

    // The office takes it back: new case, the steps, the visits, attributed; real values kept.
    let real_id = one(
        &office,
        "SELECT id_number FROM residents WHERE id = ?1",
        &[&masked_person],
    );
    assert!(!is_masked(&real_id));
    office
        .import_bundle(&ret, "送回.gridledger.json", false, "社区")
        .unwrap();
    assert_eq!(
        one(
            &office,
            "SELECT state FROM cases WHERE id = ?1",
            &[&st.open_case]
        ),
        "handled"
    );
    assert_eq!(
        one(
            &office,
            "SELECT title FROM cases WHERE id = ?1",
            &[&new_case]
        ),
        "井盖松动"
    );
    assert_eq!(
        one(
            &office,
            "SELECT actor FROM case_events WHERE case_id = ?1 AND move = 'feedback'",
            &[&st.open_case]
        ),
        st.staff_name
    );
    assert_eq!(
        count(
            &office,
            "SELECT count(*) FROM visits WHERE id IN (?1, ?2) AND visitor_name = ?3",
            &[&v1, &v2, &st.staff_name]
        ),
        2
    );
    assert_eq!(
        one(
            &office,
            "SELECT id_number FROM residents WHERE id = ?1",
            &[&masked_person]
        ),
        real_id
    );
    assert_eq!(
        one(
            &office,
            "SELECT note FROM residents WHERE id = ?1",
            &[&masked_person]
        ),
        "三楼东户，白天不在家",
        "the correction arrives, the real ID number stays"
    );
    assert_eq!(
        count(
            &office,
            "SELECT count(*) FROM residents WHERE id_number LIKE '%*%' OR phone LIKE '%*%'",
            &[]
        ),
        0,
        "no masked value in the office's database"
    );
    assert_eq!(
        one(
            &office,
            "SELECT status FROM shift_people WHERE id = ?1",
            &[&link]
        ),
        "done"
    );
    // Importing it again changes nothing.
    let again = office
        .import_bundle(&ret, "送回.gridledger.json", false, "社区")
        .unwrap();
    assert_eq!(again.totals.new + again.totals.updated, 0);
}

#[test]
fn a_newer_field_bundle_keeps_what_the_phone_has_not_sent_back() {
    let mut office = office();
    let st = prepare(&mut office);
    let first = field_bundle(&mut office, &st.staff_id);
    let mut phone = phone();
    phone
        .restore_backup(&first, "外勤.json", "手机", "", &mut |_, _, _| {})
        .unwrap();
    let input = MoveInput {
        remark: "",
        assignee: "",
        rating: "",
    };
    phone.case_move(&st.open_case, "start", &input).unwrap();
    let before = phone.field_info().unwrap().unwrap();
    assert!(before.unsent > 0);

    // The office dispatches another case to the worker and makes a new field bundle.
    let grid = one(
        &office,
        "SELECT grid_id FROM cases WHERE id = ?1",
        &[&st.open_case],
    );
    let id = office
        .report_case(&CaseForm {
            community_code: CODE.into(),
            grid_id: grid,
            category_code: "0101".into(),
            title: "新派的事".into(),
            channel: "hotline_12345".into(),
            ..Default::default()
        })
        .unwrap();
    for (m, a) in [("accept", ""), ("dispatch", st.staff_name.as_str())] {
        let input = MoveInput {
            remark: "",
            assignee: a,
            rating: "",
        };
        office.case_move(&id, m, &input).unwrap();
    }
    let second = field_bundle(&mut office, &st.staff_id);
    phone
        .import_bundle(&second, "外勤2.json", false, &st.staff_name)
        .unwrap();
    let after = phone.field_info().unwrap().unwrap();
    assert!(after.as_of_millis > before.as_of_millis);
    assert_eq!(
        after.unsent, before.unsent,
        "the unsent step is still there"
    );
    assert_eq!(
        one(
            &phone,
            "SELECT state FROM cases WHERE id = ?1",
            &[&st.open_case]
        ),
        "in_hand"
    );
    assert_eq!(
        one(&phone, "SELECT title FROM cases WHERE id = ?1", &[&id]),
        "新派的事"
    );
}

#[test]
fn a_worker_on_two_grids_gets_one_valid_bundle_and_other_peoples_phones_stay_masked() {
    let mut office = office();
    let st = prepare(&mut office);
    // A second grid for the worker: the grids share their ancestors.
    let other = one(
        &office,
        "SELECT id FROM grids WHERE level = 1 AND id NOT IN
           (SELECT grid_id FROM grid_staff WHERE staff_id = ?1) ORDER BY id LIMIT 1",
        &[&st.staff_id],
    );
    office.assign_staff(&other, &st.staff_id, "worker").unwrap();
    let b = field_bundle(&mut office, &st.staff_id); // parsed: no id twice
    assert_eq!(b.scope.field.as_ref().unwrap().grid_ids.len(), 2);
    let key = key_persons(&office);
    // Phones of people in other tables: masked unless a key person's (or the reporter of a
    // case the worker must handle).
    let mut checked = 0;
    for (t, who, col) in [
        ("volunteers", "resident_id", "phone"),
        ("wishes", "resident_id", "wisher_phone"),
        ("party_members", "resident_id", "phone"),
        ("cases", "reporter_id", "reporter_phone"),
    ] {
        for r in b.tables.get(t).into_iter().flatten() {
            let Some(phone) = text(r, col).filter(|p| !p.is_empty()) else {
                continue;
            };
            let kept = text(r, who).is_some_and(|p| key.contains(p))
                || (t == "cases" && id_of(r) == st.open_case);
            if !kept {
                assert!(is_masked(phone), "{t}.{col} {phone}");
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "some phones were checked");
    let open = b.tables["cases"]
        .iter()
        .find(|r| id_of(r) == st.open_case)
        .unwrap();
    assert_eq!(text(open, "reporter_phone"), Some("13800138000"));
}

#[test]
fn a_field_phone_refuses_another_workers_bundle_and_its_backup_restores_in_field_mode() {
    let mut office = office();
    let st = prepare(&mut office);
    let mine = field_bundle(&mut office, &st.staff_id);
    let mut phone = phone();
    phone
        .restore_backup(&mine, "外勤.json", "手机", "", &mut |_, _, _| {})
        .unwrap();
    let other_worker = one(
        &office,
        "SELECT gs.staff_id FROM grid_staff gs WHERE gs.duty = 'worker' AND gs.staff_id <> ?1
         ORDER BY gs.staff_id LIMIT 1",
        &[&st.staff_id],
    );
    let theirs = field_bundle(&mut office, &other_worker);
    let e = phone
        .import_bundle(&theirs, "别人的.json", false, "")
        .unwrap_err();
    assert_eq!(
        gridledger::protocol::ApiError::from(e).code,
        "field_other_worker"
    );

    // A masked resident's birth date cannot change on the phone (it must agree with the ID
    // number the phone cannot see); the rest can.
    let masked_person = one(
        &phone,
        "SELECT id FROM residents WHERE id_number LIKE '%*%' ORDER BY id LIMIT 1",
        &[],
    );
    let mut form = phone.get_resident(&masked_person).unwrap();
    form.birth_date = "1990-01-01".into();
    let e = phone.save_resident(&form).unwrap_err();
    assert!(format!("{e:?}").contains("masked_id_locked"), "{e:?}");

    // The phone's own backup (an ordinary export) sets a new phone up in field mode.
    let backup = through_file(
        &phone
            .export_bundle(&ExportOptions {
                destination: "backup".into(),
                ..Default::default()
            })
            .unwrap(),
    );
    assert!(backup.scope.field.as_ref().is_some_and(|f| !f.returning));
    let mut again = self::phone();
    again
        .restore_backup(&backup, "备份.json", "新手机", "", &mut |_, _, _| {})
        .unwrap();
    assert_eq!(again.field_info().unwrap().unwrap().staff_id, st.staff_id);
}
