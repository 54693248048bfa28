//! Bundles through the real store: export, parse, preview, import, conflicts, kept parents,
//! bad files, and property tests of the merge rules over stores that really overlap.

#![cfg(feature = "store")]

use gridledger::domain::bundle::merge::ConflictKind;
use gridledger::domain::bundle::{self, Bundle, Record};
use gridledger::domain::sample::SampleOptions;
use gridledger::protocol::{ResidentForm, StreetSetup};
use gridledger::storage::bundle::{ExportOptions, ImportReport};
use gridledger::storage::Store;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// A shared wall clock that moves 1 ms per reading, from 2026-11-18.
static CLOCK: AtomicI64 = AtomicI64::new(1_795_000_000_000);
fn now() -> i64 {
    CLOCK.fetch_add(1, Ordering::SeqCst)
}
static SEED: AtomicU64 = AtomicU64::new(1000);

fn store() -> Store {
    Store::open_in_memory(now, SEED.fetch_add(1, Ordering::SeqCst)).unwrap()
}

fn community(households: usize) -> Store {
    let mut s = store();
    let mut o = SampleOptions::community(SEED.fetch_add(1, Ordering::SeqCst), now());
    o.households = households;
    o.cases = households;
    o.grids = 2;
    // A few micro-wishes (one open, one claimed, one thanked): enough for the merge properties.
    o.wishes = 3;
    s.load_sample(&o).unwrap();
    s
}

fn street() -> Store {
    street_on(store())
}

/// `s` set up as the street office.
fn street_on(mut s: Store) -> Store {
    s.setup_street(&StreetSetup {
        name: "建中街街道".into(),
        code: "410103008".into(),
        device_name: "街道办电脑".into(),
        actor_name: "王主任".into(),
    })
    .unwrap();
    s
}

fn export(s: &mut Store) -> Bundle {
    s.export_bundle(&ExportOptions {
        actor: "测试".into(),
        ..Default::default()
    })
    .unwrap()
}

/// Through the file format: what another office would read.
fn through_file(b: &Bundle) -> Bundle {
    bundle::parse(b.to_json().as_bytes()).unwrap()
}

fn import(s: &mut Store, b: &Bundle) -> ImportReport {
    s.import_bundle(&through_file(b), "test.gridledger.json", false, "测试")
        .unwrap()
}

fn tables(s: &mut Store) -> BTreeMap<String, Vec<Record>> {
    export(s).tables
}

fn first_resident(s: &Store) -> ResidentForm {
    let id: String = s
        .conn()
        .query_row(
            "SELECT id FROM residents WHERE deleted = 0 ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    s.get_resident(&id).unwrap()
}

/// The checksum holds whichever way a file is laid out: this app's own compact file is checked
/// on its bytes, a pretty-printed one on the canonical JSON of its records, and a changed record
/// is refused either way.
#[test]
fn the_checksum_is_checked_on_the_file_or_on_its_canonical_json() {
    let mut c = community(10);
    let b = export(&mut c);
    let compact = b.to_json();
    assert_eq!(bundle::parse(compact.as_bytes()).unwrap(), b);
    let value: serde_json::Value = serde_json::from_str(&compact).unwrap();
    let pretty = serde_json::to_string_pretty(&value).unwrap();
    assert_eq!(bundle::parse(pretty.as_bytes()).unwrap(), b);
    let name = b.tables["residents"][0]["name"]
        .as_str()
        .unwrap()
        .to_string();
    for text in [&compact, &pretty] {
        let changed = text.replacen(&format!("\"{name}\""), "\"某某某\"", 1);
        assert_ne!(&changed, text);
        assert_eq!(
            bundle::parse(changed.as_bytes()).unwrap_err().code,
            "checksum"
        );
    }
}

/// A checksum computed outside (the worker has the browser hash the file's bytes) only saves
/// work: a wrong one does not refuse a good file, and a changed record is refused.
#[test]
fn a_checksum_computed_outside_never_changes_the_verdict() {
    use sha2::{Digest, Sha256};
    let mut c = community(10);
    let b = export(&mut c);
    // What the worker does with the browser's copy of the file.
    let hash = |file: &str| {
        let (offset, head) = bundle::check::emptied_head(file.as_bytes(), &b.checksum).unwrap();
        let mut copy = file.as_bytes().to_vec();
        copy[offset..offset + head.len()].copy_from_slice(&head);
        bundle::Hashed {
            declared: b.checksum.clone(),
            computed: bundle::check::sha256_text(&Sha256::digest(&copy[offset..])),
        }
    };
    let file = b.to_json();
    let right = hash(&file);
    assert_eq!(right.computed, b.checksum);
    assert_eq!(
        bundle::parse_hashed(file.as_bytes(), Some(&right)).unwrap(),
        b
    );
    let wrong = bundle::Hashed {
        computed: "sha256:00".into(),
        ..right
    };
    assert_eq!(
        bundle::parse_hashed(file.as_bytes(), Some(&wrong)).unwrap(),
        b
    );
    let name = b.tables["residents"][0]["name"].as_str().unwrap();
    let changed = file.replacen(&format!("\"{name}\""), "\"某某某\"", 1);
    let its_own = hash(&changed);
    assert_ne!(its_own.computed, b.checksum);
    assert_eq!(
        bundle::parse_hashed(changed.as_bytes(), Some(&its_own))
            .unwrap_err()
            .code,
        "checksum"
    );
}

/// Each field of a record is matched to its table's columns: a field no column has, wherever it
/// sorts, one a newer format added, a missing column and a wrong type are each named.
#[test]
fn a_records_fields_are_matched_to_its_columns() {
    let mut c = community(3);
    let b = export(&mut c);
    let refused = |change: &dyn Fn(&mut Record)| {
        let mut bad = b.clone();
        change(&mut bad.tables.get_mut("residents").unwrap()[1]);
        bad.seal();
        let e = bundle::check::check(&bad).unwrap_err();
        (e.code, e.field.unwrap_or_default())
    };
    let pair = |code: &str, field: &str| (code.to_string(), field.to_string());
    for name in ["aaa", "m", "zzz", "name2"] {
        assert_eq!(
            refused(&|r| {
                r.insert(name, serde_json::Value::from(1));
            }),
            pair("unknown_field", name)
        );
    }
    assert_eq!(
        refused(&|r| {
            r.remove("name");
        }),
        pair("missing_field", "name")
    );
    assert_eq!(
        refused(&|r| {
            r.remove("status");
            r.remove("created_at");
        }),
        pair("missing_field", "created_at"),
        "the first column in the table's order"
    );
    assert_eq!(
        refused(&|r| {
            r.insert("phone", serde_json::Value::from(5));
        }),
        pair("wrong_type", "phone")
    );
    // A column added in version 4, in a version 3 bundle.
    let mut old = b.clone();
    old.version = 3;
    old.tables
        .retain(|t, _| bundle::tables::table(t).unwrap().since <= 3);
    old.counts.retain(|t, _| old.tables.contains_key(t));
    old.seal();
    let e = bundle::check::check(&old).unwrap_err();
    assert_eq!(e.code, "unknown_field");
    let spec = bundle::tables::table(e.table.as_deref().unwrap()).unwrap();
    assert_eq!(
        spec.column(e.field.as_deref().unwrap()).unwrap().since,
        4,
        "{e}"
    );
    bundle::check::check(&b).unwrap();
}

#[test]
fn a_community_export_is_a_valid_bundle_that_round_trips_into_the_street() {
    let mut c = community(40);
    let b = export(&mut c);
    bundle::check::check(&b).unwrap();
    assert!(b.counts["residents"] > 80, "{:?}", b.counts);
    assert_eq!(through_file(&b), b, "the file reads back as written");

    let mut s = street();
    let r = import(&mut s, &b);
    assert!(r.applied);
    assert_eq!(r.totals.new, b.record_count());
    assert_eq!(r.totals.conflicts, 0);
    // Record for record, the street holds what the community holds.
    assert_eq!(tables(&mut s), b.tables);

    // The same bundle again changes nothing.
    let again = import(&mut s, &b);
    assert_eq!(again.totals.changes(), 0, "{:?}", again.totals);
    assert_eq!(again.totals.unchanged, b.record_count());
}

#[test]
fn the_preview_is_the_import_without_writing() {
    let mut c = community(20);
    let b = export(&mut c);
    let mut s = street();
    let before = tables_or_empty(&mut s);
    let p = s.preview_import(&b, "x", false).unwrap();
    assert!(!p.applied);
    assert_eq!(p.totals.new, b.record_count());
    assert_eq!(tables_or_empty(&mut s), before, "nothing written");
    let r = import(&mut s, &b);
    assert_eq!(r.counts, p.counts);
}

/// SQLite's page cache size (KiB): an import runs with a larger one, kept while it stays staged.
fn cache_kib(s: &Store) -> i64 {
    -s.conn()
        .pragma_query_value(None, "cache_size", |r| r.get::<_, i64>(0))
        .unwrap()
}

#[test]
fn a_staged_import_is_applied_by_committing_it_and_nothing_else_sees_it() {
    let mut c = community(10);
    let b = through_file(&export(&mut c));
    let mut s = street();
    let before = s.digest().unwrap();
    // Staged, then applied: the same result as a direct import, and written once.
    let normal = cache_kib(&s);
    let p = s.stage_import(&b, "x", false, &mut |_, _, _| {}).unwrap();
    assert!(!p.applied && s.has_staged());
    assert!(
        cache_kib(&s) > normal,
        "the import's larger page cache while staged"
    );
    let mut stages = Vec::new();
    let r = s
        .apply_staged(&b, "x", false, "测试", &mut |st, _, _| {
            stages.push(st.to_string())
        })
        .unwrap();
    assert!(r.applied && !s.has_staged());
    assert_eq!(cache_kib(&s), normal);
    assert_eq!(stages, ["commit"], "committed, not imported again");
    assert_eq!(r.counts, p.counts);
    let mut direct = street();
    import(&mut direct, &b);
    assert_eq!(
        tables(&mut s),
        tables(&mut direct),
        "the same records as a direct import"
    );
    assert_eq!(s.import_log(10).unwrap().len(), 1);

    // Staged, then cancelled: nothing written.
    let mut s = street();
    s.stage_import(&b, "x", false, &mut |_, _, _| {}).unwrap();
    s.release_staged().unwrap();
    assert_eq!(cache_kib(&s), normal);
    assert_eq!(s.digest().unwrap(), before);
    assert_eq!(s.import_log(10).unwrap().len(), 0);
    assert_eq!(
        s.conn()
            .query_row("SELECT count(*) FROM residents", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        0
    );

    // Staged, then another write came first: rolled back, and applying imports again.
    s.stage_import(&b, "x", false, &mut |_, _, _| {}).unwrap();
    s.write(|_, _| Ok(())).unwrap();
    assert!(!s.has_staged(), "the write rolled the staged import back");
    assert_eq!(cache_kib(&s), normal);
    assert_eq!(s.digest().unwrap(), before);
    let mut stages = Vec::new();
    s.apply_staged(&b, "x", false, "测试", &mut |st, _, _| {
        stages.push(st.to_string())
    })
    .unwrap();
    assert!(stages.iter().any(|st| st == "write"), "imported again");
    assert_eq!(cache_kib(&s), normal);
    s.preview_import(&b, "x", false).unwrap();
    assert_eq!(cache_kib(&s), normal);
    assert_eq!(tables(&mut s), tables(&mut direct));
}

fn tables_or_empty(s: &mut Store) -> String {
    let n: i64 = s
        .conn()
        .query_row(
            "SELECT (SELECT count(*) FROM residents) + (SELECT count(*) FROM grids)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    n.to_string()
}

#[test]
fn both_sides_changing_a_resident_is_a_conflict_the_newer_wins_everywhere() {
    let mut c = community(20);
    let mut s = street();
    import(&mut s, &export(&mut c));

    let mut on_street = first_resident(&s);
    on_street.note = "街道核实".into();
    s.save_resident(&on_street).unwrap();
    let mut in_community = first_resident(&c);
    in_community.note = "社区更新".into();
    c.save_resident(&in_community).unwrap(); // later: the clock moved on

    let to_street = import(&mut s, &export(&mut c));
    assert_eq!(to_street.totals.conflicts, 1, "{:?}", to_street.conflicts);
    let k = &to_street.conflicts[0];
    assert_eq!(k.kind, ConflictKind::BothChanged);
    assert_eq!(k.winner, "incoming");
    assert_eq!(bundle::text(&k.lost, "note"), Some("街道核实"));

    // The street already holds the community's version: going back, nothing conflicts.
    let to_community = import(&mut c, &export(&mut s));
    assert_eq!(to_community.totals.conflicts, 0);
    assert_eq!(first_resident(&c).note, "社区更新");
    assert_eq!(first_resident(&s).note, "社区更新");
    assert_eq!(tables(&mut c), tables(&mut s));
}

#[test]
fn an_edit_after_an_exchange_is_a_fast_forward_not_a_conflict() {
    let mut c = community(20);
    let mut s = street();
    import(&mut s, &export(&mut c));
    let mut r = first_resident(&c);
    r.note = "改了一次".into();
    c.save_resident(&r).unwrap();
    r.note = "改了两次".into();
    c.save_resident(&r).unwrap();
    let rep = import(&mut s, &export(&mut c));
    assert_eq!(rep.totals.conflicts, 0);
    assert_eq!(rep.totals.updated, 1);
    assert_eq!(first_resident(&s).note, "改了两次");
}

#[test]
fn a_parent_deleted_on_one_side_is_kept_while_the_other_side_uses_it() {
    let mut c = community(20);
    let root: String = c
        .conn()
        .query_row("SELECT id FROM grids WHERE level = 0", [], |r| r.get(0))
        .unwrap();
    let g = c.create_grid(&root, "新建网格").unwrap();
    let mut s = street();
    import(&mut s, &export(&mut c));
    // The street registers a resident in the new grid; the community deletes the empty grid.
    let mut p = first_resident(&s);
    p.id = String::new();
    p.id_number = String::new();
    p.name = "新居民".into();
    p.grid_id = g.clone();
    p.household_id = String::new();
    s.save_resident(&p).unwrap();
    c.delete_grid(&g).unwrap();

    let rep = import(&mut s, &export(&mut c));
    assert!(
        rep.conflicts
            .iter()
            .any(|k| k.kind == ConflictKind::KeptParent && k.id == g),
        "{:?}",
        rep.conflicts
    );
    let live: bool = s
        .conn()
        .query_row("SELECT deleted = 0 FROM grids WHERE id = ?1", [&g], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(live, "the grid is kept for its resident");
    let rep = import(&mut c, &export(&mut s));
    assert!(rep.conflicts.iter().any(|k| k.id == g));
    assert_eq!(tables(&mut c), tables(&mut s));
}

#[test]
fn incremental_bundles_carry_changes_and_their_parents_and_notice_gaps() {
    let mut c = community(20);
    let mut s = street();
    let full = export(&mut c);
    import(&mut s, &full);
    let inc = |c: &mut Store| {
        c.export_bundle(&ExportOptions {
            incremental: true,
            destination: "street".into(),
            ..Default::default()
        })
        .unwrap()
    };
    let mut r = first_resident(&c);
    r.note = "一".into();
    c.save_resident(&r).unwrap();
    let b2 = inc(&mut c);
    assert_eq!(b2.counts["residents"], 1);
    assert!(
        b2.counts.contains_key("grids"),
        "with its grid: {:?}",
        b2.counts
    );
    assert_eq!(b2.scope.after_sequence, Some(full.sequence));
    r.note = "二".into();
    c.save_resident(&r).unwrap();
    let b3 = inc(&mut c);
    // b2 never arrives: b3 warns and still applies.
    let rep = import(&mut s, &b3);
    assert!(
        rep.warnings
            .contains(&format!("missing_sequence:{}", b2.sequence)),
        "{:?}",
        rep.warnings
    );
    assert_eq!(first_resident(&s).note, "二");
}

#[test]
fn masked_values_never_overwrite_real_ones() {
    let mut c = community(20);
    let mut s = street();
    import(&mut s, &export(&mut c));
    let masked = c
        .export_bundle(&ExportOptions {
            mask: BTreeMap::from([(
                "residents".into(),
                vec!["name".into(), "id_number".into(), "phone".into()],
            )]),
            ..Default::default()
        })
        .unwrap();
    let r0 = first_resident(&c);
    let rec = &masked.tables["residents"][0];
    assert!(bundle::text(rec, "id_number").unwrap_or("*").contains('*'));
    import(&mut s, &masked);
    assert_eq!(first_resident(&s).id_number, r0.id_number);
    assert_eq!(first_resident(&s).name, r0.name);
}

/// The other way round: a street that first had a community's masked bundle gets the real
/// values from its plain bundle of the same versions.
#[test]
fn real_values_fill_in_masked_ones_of_the_same_version() {
    let mut c = community(20);
    // The sample leaves some phones empty (an empty value masks to itself): this one has one.
    let mut f = first_resident(&c);
    f.phone = "13987654321".into();
    c.save_resident(&f).unwrap();
    let mut s = street();
    let masked = c
        .export_bundle(&ExportOptions {
            mask: BTreeMap::from([("residents".into(), vec!["phone".into()])]),
            ..Default::default()
        })
        .unwrap();
    import(&mut s, &masked);
    assert!(first_resident(&s).phone.contains('*'));
    let plain = export(&mut c);
    let r = import(&mut s, &plain);
    assert_eq!(first_resident(&s).phone, first_resident(&c).phone);
    let residents = r.counts.values().map(|t| &t["residents"]).next().unwrap();
    assert!(residents.updated > 0 && residents.new == 0, "{residents:?}");
    // Imported once more, nothing is masked and nothing changes.
    let again = import(&mut s, &export(&mut c));
    assert_eq!(again.totals.changes(), 0, "{:?}", again.totals);
}

/// Through the worker: a file staged, then applied. The stages it reported, and the replies.
fn stage_and_apply(
    s: &mut Store,
    file: &[u8],
    between: Option<gridledger::protocol::Request>,
) -> (Vec<String>, ImportReport, Result<ImportReport, String>) {
    use gridledger::protocol::{Request, Response};
    use gridledger::worker::{handle_with, Session};
    let mut session = Session::default();
    let mut stages: Vec<String> = Vec::new();
    let mut call = |s: &mut Store, req: Request, input: Option<Vec<u8>>| {
        handle_with(
            s,
            &mut session,
            req,
            input.map(Into::into),
            [5; 28],
            0.0,
            &mut |stage, _, _| {
                if stages.last().map(String::as_str) != Some(stage) {
                    stages.push(stage.to_string());
                }
            },
        )
        .0
    };
    let staged = call(
        s,
        Request::StageImport {
            file_name: "again.gridledger.json".into(),
            passphrase: None,
            accept_identity: true,
        },
        Some(file.to_vec()),
    );
    let Ok(Response::ImportPreview(preview)) = staged else {
        panic!("{staged:?}")
    };
    if let Some(req) = between {
        call(s, req, None).unwrap();
    }
    let applied = match call(
        s,
        Request::ApplyImport {
            accept_identity: true,
        },
        None,
    ) {
        Ok(Response::Imported(r)) => Ok(*r),
        other => Err(format!("{other:?}")),
    };
    (stages, *preview, applied)
}

/// The same records in another export (another device's merge of them: another checksum) are
/// recognised by skimming the file, not parsing its records: the preview counts what reading it
/// whole counts, and applying writes nothing but the import log. A file with one newer record,
/// laid out otherwise, or filling in a masked value, is read the whole way.
#[test]
fn the_same_records_in_another_export_are_recognised_by_skimming_the_file() {
    use gridledger::domain::bundle::skim::skim;
    let mut c = community(20);
    let mut s = street();
    let b = export(&mut c);
    import(&mut s, &b);
    let mut other = b.clone();
    other.device = "01a24893-13d4-781d-9659-0d65fc7567f0".into();
    other.sequence += 7;
    other.seal();
    let file = other.to_json();
    let whole = s
        .preview_import(&through_file(&other), "whole", true)
        .unwrap();
    let (_, skimmed_header) = s
        .stage_unchanged(file.as_bytes(), None, "f", true, &mut |_, _, _| {})
        .unwrap()
        .expect("recognised");
    s.release_staged().unwrap();
    assert!(skimmed_header.tables.is_empty(), "no records kept");
    let records = tables(&mut s);
    let (stages, preview, applied) = stage_and_apply(&mut s, file.as_bytes(), None);
    assert_eq!(stages, ["read", "settle", "commit"], "never parsed whole");
    assert_eq!(preview.counts, whole.counts);
    assert_eq!(preview.totals.unchanged, other.record_count());
    assert_eq!(preview.totals.changes(), 0);
    let applied = applied.unwrap();
    assert!(applied.applied);
    assert_eq!(tables(&mut s), records, "nothing written");
    // Logged: the same file again is recognised from its header.
    let d = bundle::declared(file.as_bytes()).unwrap();
    assert!(s.import_of_bundle(&d).unwrap().is_some());
    // A request between preview and apply rolls the preview back: applying reads the file
    // whole and imports it, to the same effect.
    other.sequence += 1;
    other.seal();
    let (stages, _, applied) = stage_and_apply(
        &mut s,
        other.to_json().as_bytes(),
        Some(gridledger::protocol::Request::Status),
    );
    assert_eq!(
        stages,
        ["read", "settle", "read", "settle"],
        "read again to apply"
    );
    assert_eq!(applied.unwrap().totals.changes(), 0);
    assert_eq!(tables(&mut s), records);

    // Whatever the skim passes, the whole way agrees with (a file no store holds: none).
    let mut holds_all = |_: &str, _: &str, _: i64, _: &str| true;
    assert!(skim(file.as_bytes(), None, &mut holds_all, &mut |_, _| {}).is_some());
    let pretty = serde_json::to_string_pretty(&other).unwrap();
    assert!(skim(pretty.as_bytes(), None, &mut holds_all, &mut |_, _| {}).is_none());
    let mut cut = file.clone().into_bytes();
    cut.truncate(cut.len() - 2);
    assert!(skim(&cut, None, &mut holds_all, &mut |_, _| {}).is_none());
    // A changed byte: the file does not give its checksum.
    let altered = file.replacen("\"deleted\":false", "\"deleted\":true ", 1);
    assert!(skim(altered.as_bytes(), None, &mut holds_all, &mut |_, _| {}).is_none());
    let mut none = |_: &str, _: &str, _: i64, _: &str| false;
    assert!(skim(file.as_bytes(), None, &mut none, &mut |_, _| {}).is_none());

    // One resident newer: read whole, and it is the one change.
    let mut f = first_resident(&c);
    f.phone = "13912345678".into();
    c.save_resident(&f).unwrap();
    let newer = export(&mut c).to_json();
    assert!(s
        .stage_unchanged(newer.as_bytes(), None, "f", true, &mut |_, _, _| {})
        .unwrap()
        .is_none());
    let (stages, preview, applied) = stage_and_apply(&mut s, newer.as_bytes(), None);
    assert!(stages.contains(&"write".to_string()), "{stages:?}");
    assert_eq!(preview.totals.updated, 1, "{:?}", preview.totals);
    applied.unwrap();
    assert_eq!(first_resident(&s).phone, "13912345678");

    // A street holding masked values: the plain file of the same versions fills them in.
    let mut m = street();
    let masked = c
        .export_bundle(&ExportOptions {
            mask: BTreeMap::from([("residents".into(), vec!["phone".into()])]),
            ..Default::default()
        })
        .unwrap();
    import(&mut m, &masked);
    let plain = export(&mut c).to_json();
    assert!(m
        .stage_unchanged(plain.as_bytes(), None, "f", true, &mut |_, _, _| {})
        .unwrap()
        .is_none());
    let (_, preview, applied) = stage_and_apply(&mut m, plain.as_bytes(), None);
    assert!(preview.totals.updated > 0, "{:?}", preview.totals);
    applied.unwrap();
    assert_eq!(first_resident(&m).phone, "13912345678");
}

/// The worker's export: a plain bundle is written out when the reply goes (in pieces in the
/// browser), with its size in the reply; an encrypted one is bytes.
#[test]
fn the_worker_writes_an_exported_bundle_out_with_its_size() {
    use gridledger::protocol::{Request, Response};
    use gridledger::worker::{handle_with, Output, Session};
    let mut c = community(5);
    let mut export_with = |passphrase: Option<&str>| {
        let (mut reply, out) = handle_with(
            &mut c,
            &mut Session::default(),
            Request::ExportBundle {
                options: ExportOptions::default(),
                passphrase: passphrase.map(Into::into),
            },
            None,
            [3; 28],
            0.0,
            &mut |_, _, _| {},
        );
        let out = out.expect("a file");
        let bundle = matches!(out, Output::Bundle(_));
        let mut pieces = Vec::new();
        out.write(&mut reply, &mut pieces).unwrap();
        let Ok(Response::Exported(summary)) = reply else {
            panic!("{reply:?}")
        };
        (bundle, pieces, summary)
    };
    let (bundle, file, summary) = export_with(None);
    assert!(bundle);
    assert_eq!(summary.bytes, file.len() as u64);
    let b = bundle::parse(&file).unwrap();
    assert_eq!(summary.records, b.record_count());
    let (bundle, file, summary) = export_with(Some("口令口令口令"));
    assert!(!bundle);
    assert_eq!(summary.bytes, file.len() as u64);
    assert_eq!(
        bundle::open(&file, Some("口令口令口令"))
            .unwrap()
            .record_count(),
        b.record_count()
    );
}

/// A table the import writes is checked for rows that point at nothing, and the import is
/// refused before anything is committed.
#[test]
fn a_written_row_pointing_nowhere_is_refused() {
    let mut c = community(5);
    let mut s = street();
    import(&mut s, &export(&mut c));
    let mut r = first_resident(&c);
    // Another resident's household went missing at the street behind its back.
    s.conn()
        .execute_batch(&format!(
            "PRAGMA foreign_keys = OFF;
             UPDATE residents SET household_id = 'gone'
              WHERE id = (SELECT id FROM residents WHERE id != '{}' LIMIT 1);
             PRAGMA foreign_keys = ON;",
            r.id
        ))
        .unwrap();
    let before = tables(&mut s);
    r.note = "改过".into();
    c.save_resident(&r).unwrap();
    let err = s
        .import_bundle(
            &through_file(&export(&mut c)),
            "b.gridledger.json",
            false,
            "测试",
        )
        .unwrap_err();
    assert!(err.to_string().contains("foreign_keys"), "{err}");
    assert_eq!(tables(&mut s), before, "nothing changed");
}

#[test]
fn bad_files_are_refused_and_nothing_changes() {
    let mut c = community(10);
    let b = export(&mut c);
    let text = b.to_json();
    let cut = &text.as_bytes()[..text.len() / 2];
    assert_eq!(bundle::parse(cut).unwrap_err().code, "truncated");
    let tampered = text.replacen("\"room\":\"", "\"room\":\"9", 1);
    assert_eq!(
        bundle::parse(tampered.as_bytes()).unwrap_err().code,
        "checksum"
    );
    // The header is covered too.
    let renamed = text.replacen("\"actor\":\"测试\"", "\"actor\":\"别人\"", 1);
    assert_ne!(renamed, text);
    assert_eq!(
        bundle::parse(renamed.as_bytes()).unwrap_err().code,
        "checksum"
    );
    // A record that fails validation, with a correct checksum: named with table and field.
    let mut bad = b.clone();
    let r = bad
        .tables
        .get_mut("residents")
        .unwrap()
        .first_mut()
        .unwrap();
    r.insert("gender", "X".into());
    bad.seal();
    let e = bundle::parse(bad.to_json().as_bytes()).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.table.as_deref(), e.field.as_deref()),
        ("invalid_field", Some("residents"), Some("gender"))
    );
    // A reference to a missing parent.
    let mut orphan = b.clone();
    orphan.tables.get_mut("households").unwrap().clear();
    orphan.tables.retain(|_, v| !v.is_empty());
    orphan.seal();
    let e = bundle::parse(orphan.to_json().as_bytes()).unwrap_err();
    assert_eq!(e.code, "missing_parent");
}

// ---- properties -------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Op {
    /// Edit the note of the n-th live resident on replica r.
    Note(usize, usize),
    /// Delete the n-th live resident on replica r.
    Delete(usize, usize),
    /// Rename the n-th grid on replica r.
    Rename(usize, usize),
    /// Replica a imports replica b's full export.
    Sync(usize, usize),
    /// Edit the n-th live volunteer's note and skills on replica r.
    VolNote(usize, usize),
    /// The n-th live volunteer joins or leaves the t-th team on replica r.
    VolTeam(usize, usize, usize),
    /// Delete the n-th live volunteer on replica r (their memberships go too).
    VolDelete(usize, usize),
    /// The m-th wish move (claim by the first volunteer, release, fulfil, thank, cancel) on the
    /// n-th wish on replica r, when legal there.
    Wish(usize, usize, usize),
    /// Record a home visit to the n-th key person (by resident id) on replica r.
    Visit(usize, usize),
    /// Set the n-th key person's own visit cadence to d days on replica r.
    Cadence(usize, usize, u32),
    /// The n-th live resident moves out on replica r (when still here).
    MoveOut(usize, usize),
}

const WISH_MOVES: [&str; 5] = ["claim", "release", "fulfil", "thank", "cancel"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, 0..6usize).prop_map(|(r, n)| Op::Note(r, n)),
        (0..3usize, 0..6usize).prop_map(|(r, n)| Op::Delete(r, n)),
        (0..3usize, 0..4usize).prop_map(|(r, n)| Op::Rename(r, n)),
        (0..3usize, 0..3usize).prop_map(|(a, b)| Op::Sync(a, b)),
        (0..3usize, 0..4usize).prop_map(|(r, n)| Op::VolNote(r, n)),
        (0..3usize, 0..4usize, 0..3usize).prop_map(|(r, n, t)| Op::VolTeam(r, n, t)),
        (0..3usize, 0..4usize).prop_map(|(r, n)| Op::VolDelete(r, n)),
        (0..3usize, 0..3usize, 0..5usize).prop_map(|(r, n, m)| Op::Wish(r, n, m)),
        (0..3usize, 0..4usize).prop_map(|(r, n)| Op::Visit(r, n)),
        (0..3usize, 0..4usize, 0..20u32).prop_map(|(r, n, d)| Op::Cadence(r, n, d)),
        (0..3usize, 0..6usize).prop_map(|(r, n)| Op::MoveOut(r, n)),
    ]
}

fn nth_id(s: &Store, table: &str, n: usize) -> Option<String> {
    s.conn()
        .query_row(
            &format!("SELECT id FROM {table} WHERE deleted = 0 ORDER BY id LIMIT 1 OFFSET ?1"),
            [n as i64],
            |r| r.get(0),
        )
        .ok()
}

fn run(ops: &[Op]) -> (Vec<Store>, usize) {
    let mut c = community(4);
    let base = export(&mut c);
    let mut reps = vec![c, street(), street()];
    for r in reps.iter_mut().skip(1) {
        import(r, &base);
    }
    let mut conflicts = 0;
    for (i, op) in ops.iter().enumerate() {
        match *op {
            Op::Note(r, n) => {
                if let Some(id) = nth_id(&reps[r], "residents", n) {
                    let mut f = reps[r].get_resident(&id).unwrap();
                    f.note = format!("{r}-{i}");
                    reps[r].save_resident(&f).unwrap();
                }
            }
            Op::Delete(r, n) => {
                if let Some(id) = nth_id(&reps[r], "residents", n) {
                    reps[r].delete_resident(&id).unwrap();
                }
            }
            Op::Rename(r, n) => {
                if let Some(id) = nth_id(&reps[r], "grids", n) {
                    let _ = reps[r].rename_grid(&id, &format!("网格{r}-{i}"));
                }
            }
            Op::Sync(a, b) if a != b => {
                let bb = export(&mut reps[b]);
                conflicts += import(&mut reps[a], &bb).totals.conflicts as usize;
            }
            Op::Sync(..) => {}
            Op::VolNote(r, n) => {
                if let Some(id) = nth_id(&reps[r], "volunteers", n) {
                    let mut f = reps[r].get_volunteer(&id).unwrap();
                    f.note = format!("{r}-{i}");
                    f.skills = vec![["repair", "legal", "arts"][i % 3].to_string()];
                    reps[r].save_volunteer(&f).unwrap();
                }
            }
            Op::VolTeam(r, n, t) => {
                let team = nth_id(&reps[r], "volunteer_teams", t);
                if let (Some(id), Some(team)) = (nth_id(&reps[r], "volunteers", n), team) {
                    let mut f = reps[r].get_volunteer(&id).unwrap();
                    match f.team_ids.iter().position(|x| *x == team) {
                        Some(k) => {
                            f.team_ids.remove(k);
                        }
                        None => f.team_ids.push(team),
                    }
                    reps[r].save_volunteer(&f).unwrap();
                }
            }
            Op::VolDelete(r, n) => {
                if let Some(id) = nth_id(&reps[r], "volunteers", n) {
                    reps[r].delete_volunteer(&id).unwrap();
                }
            }
            Op::Wish(r, n, m) => {
                let vol = nth_id(&reps[r], "volunteers", 0).unwrap_or_default();
                if let Some(id) = nth_id(&reps[r], "wishes", n) {
                    let input = gridledger::domain::wish::MoveInput {
                        note: "r",
                        volunteer_id: &vol,
                        minutes: 30,
                    };
                    // Refused where not legal on this replica: nothing is written then.
                    let _ = reps[r].wish_move(&id, WISH_MOVES[m], &input, &[]);
                }
            }
            Op::Visit(r, n) => {
                if let Some(id) = nth_key_person(&reps[r], n) {
                    let today = reps[r].today().to_string();
                    reps[r]
                        .record_visit(&gridledger::protocol::VisitForm {
                            resident_id: id,
                            visit_date: today,
                            visitor_name: format!("v{r}-{i}"),
                            condition: "good".into(),
                            ..Default::default()
                        })
                        .unwrap();
                }
            }
            Op::Cadence(r, n, d) => {
                if let Some(id) = nth_key_person(&reps[r], n) {
                    let plan = reps[r].get_care(&id).unwrap().plan;
                    reps[r]
                        .save_care_plan(&gridledger::protocol::CarePlanForm {
                            resident_id: id,
                            visit_days: d,
                            ..plan
                        })
                        .unwrap();
                }
            }
            Op::MoveOut(r, n) => {
                if let Some(id) = nth_id(&reps[r], "residents", n) {
                    let today = reps[r].today().to_string();
                    // Refused when already gone there: nothing is written then.
                    let _ = reps[r].change_status(&gridledger::protocol::StatusForm {
                        resident_id: id,
                        kind: "moved_out".into(),
                        event_date: today,
                        ..Default::default()
                    });
                }
            }
        }
    }
    (reps, conflicts)
}

/// The n-th key person (a resident with a care plan) of a replica.
fn nth_key_person(s: &Store, n: usize) -> Option<String> {
    s.conn()
        .query_row(
            "SELECT DISTINCT c.resident_id FROM care_plans c JOIN residents r ON r.id = c.resident_id
             WHERE c.deleted = 0 AND r.deleted = 0 ORDER BY c.resident_id LIMIT 1 OFFSET ?1",
            [n as i64],
            |r| r.get(0),
        )
        .ok()
}

/// Who is due for a visit and when, as every replica computes it.
fn due_list(s: &Store) -> Vec<(String, String, String)> {
    s.care_list(&gridledger::protocol::CareQuery {
        community_code: String::new(),
        limit: 200,
        ..Default::default()
    })
    .unwrap()
    .rows
    .into_iter()
    .map(|r| (r.resident_id, r.due_date, r.last_visit))
    .collect()
}

fn wish_states(s: &Store) -> Vec<(String, String, Option<String>, i64)> {
    s.conn()
        .prepare("SELECT id, state, volunteer_id, minutes FROM wishes ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn converge(reps: &mut [Store]) -> usize {
    let mut conflicts = 0;
    for _ in 0..2 {
        for a in 0..reps.len() {
            for b in 0..reps.len() {
                if a != b {
                    let bb = export(&mut reps[b]);
                    conflicts += import(&mut reps[a], &bb).totals.conflicts as usize;
                }
            }
        }
    }
    conflicts
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, .. ProptestConfig::default() })]

    /// Whatever the edits and partial exchanges, once everyone has everyone's bundle they all
    /// hold the same records; importing again changes nothing.
    #[test]
    fn replicas_converge_and_reimport_is_a_no_op(ops in prop::collection::vec(op(), 1..24)) {
        let (mut reps, _) = run(&ops);
        converge(&mut reps);
        let t0 = tables(&mut reps[0]);
        for r in reps.iter_mut().skip(1) {
            prop_assert_eq!(&tables(r), &t0);
        }
        // The micro-wishes' states are derived from the same events everywhere.
        let w0 = wish_states(&reps[0]);
        for r in reps.iter().skip(1) {
            prop_assert_eq!(&wish_states(r), &w0);
        }
        // So are the key persons' due dates.
        let d0 = due_list(&reps[0]);
        for r in reps.iter().skip(1) {
            prop_assert_eq!(&due_list(r), &d0);
        }
        let b = export(&mut reps[1]);
        let again = import(&mut reps[0], &b);
        prop_assert_eq!(again.totals.changes(), 0);
        // Such a file is recognised by skimming it, with the counts the whole way gives.
        let file = b.to_json();
        let skimmed = reps[0]
            .stage_unchanged(file.as_bytes(), None, "again", false, &mut |_, _, _| {})
            .unwrap();
        reps[0].release_staged().unwrap();
        prop_assert_eq!(skimmed.map(|(r, _)| r.counts), Some(again.counts));
    }

    /// The order of imports does not matter: a fresh street that imports the three replicas'
    /// bundles in two different orders ends with the same records.
    #[test]
    fn import_order_does_not_matter(ops in prop::collection::vec(op(), 1..24), rot in 1..3usize) {
        let (mut reps, _) = run(&ops);
        let bundles: Vec<Bundle> = reps.iter_mut().map(export).collect();
        let mut x = street();
        let mut y = street();
        for b in &bundles {
            import(&mut x, b);
        }
        for i in 0..bundles.len() {
            import(&mut y, &bundles[(i + rot) % bundles.len()]);
        }
        prop_assert_eq!(tables(&mut x), tables(&mut y));
    }
}

/// The generated cases do produce conflicts (otherwise the properties above prove little).
#[test]
fn the_generated_histories_really_conflict() {
    let ops = [
        Op::Note(0, 1),
        Op::Note(1, 1),
        Op::Delete(2, 1),
        Op::Sync(0, 1),
        Op::Sync(1, 2),
    ];
    let (mut reps, during) = run(&ops);
    let after = converge(&mut reps);
    assert!(during + after > 0, "no conflict in {ops:?}");
}

/// Volunteers merge by the same rules: both sides editing one is a conflict; a volunteer one
/// side deleted stays while the other side put them in a team.
#[test]
fn volunteer_histories_conflict_and_keep_a_used_volunteer() {
    let ops = [Op::VolNote(0, 1), Op::VolNote(1, 1), Op::Sync(0, 1)];
    let (mut reps, during) = run(&ops);
    assert!(during + converge(&mut reps) > 0, "no conflict in {ops:?}");

    let (mut reps, _) = run(&[Op::VolDelete(0, 2), Op::VolTeam(1, 2, 0)]);
    let id = nth_id(&reps[1], "volunteers", 2).unwrap();
    let joined = reps[1].get_volunteer(&id).unwrap().team_ids;
    converge(&mut reps);
    let t0 = tables(&mut reps[0]);
    for r in reps.iter_mut().skip(1) {
        assert_eq!(tables(r), t0);
    }
    // The new membership is live, so the volunteer it points at is kept on every replica.
    for r in &reps {
        let live: i64 = r
            .conn()
            .query_row(
                "SELECT count(*) FROM team_members WHERE volunteer_id = ?1 AND deleted = 0",
                [&id],
                |x| x.get(0),
            )
            .unwrap();
        let kept: i64 = r
            .conn()
            .query_row(
                "SELECT count(*) FROM volunteers WHERE id = ?1 AND deleted = 0",
                [&id],
                |x| x.get(0),
            )
            .unwrap();
        // The op toggles: it joined the team only if the volunteer was not in it yet.
        let team = nth_id(&reps[1], "volunteer_teams", 0).unwrap_or_default();
        assert!(
            !joined.contains(&team) || (live >= 1 && kept == 1),
            "live links {live}, kept {kept}, joined {joined:?}"
        );
    }
}

/// Every file of the bad-bundle corpus (tests/fixtures/bad-bundles, see expected.json) is
/// refused with its own error; the good one passes.
#[test]
fn the_bad_bundle_corpus_is_refused_file_by_file() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-bundles");
    let expected: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    assert!(expected.len() >= 15);
    for (file, want) in &expected {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let e = bundle::parse(&bytes).expect_err(file);
        assert_eq!(e.code, want["code"].as_str().unwrap(), "{file}: {e}");
    }
    let good = bundle::parse(&std::fs::read(dir.join("good.json")).unwrap()).unwrap();
    let mut s = street();
    assert!(import(&mut s, &good).applied);
    assert_eq!(tables(&mut s), good.tables);
}

/// Every row of every table, for "the database is exactly as it was".
fn digest(s: &Store) -> String {
    let mut out = String::new();
    let names: Vec<String> = s
        .conn()
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in names {
        let mut st = s
            .conn()
            .prepare(&format!("SELECT * FROM {t} ORDER BY 1"))
            .unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap();
        for r in rows {
            out.push_str(&t);
            out.push_str(&r.unwrap());
            out.push('\n');
        }
    }
    out
}

/// An import refused for its content (here: a community clash nobody agreed to) leaves every
/// table exactly as it was.
#[test]
fn a_refused_import_leaves_the_database_exactly_as_it_was() {
    let mut s = street();
    import(&mut s, &export(&mut community(10)));
    let before = digest(&s);
    // Another set-up of the same community (another id for the same code).
    let other = export(&mut community(12));
    let preview = s.preview_import(&other, "other", false).unwrap();
    assert_eq!(preview.identity.len(), 1, "{:?}", preview.identity);
    assert!(s.import_bundle(&other, "other", false, "t").is_err());
    assert_eq!(digest(&s), before);
}

/// Merging is associative: (A ∪ B) ∪ C and A ∪ (B ∪ C), each union made the way the
/// command-line tool makes it (imports into a fresh street, then an export), hold the same
/// records, over histories with conflicts.
#[test]
fn merging_is_associative() {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 200,
        ..ProptestConfig::default()
    });
    runner
        .run(&prop::collection::vec(op(), 1..24), |ops| {
            let (mut reps, _) = run(&ops);
            let [a, b, c]: [Bundle; 3] = reps
                .iter_mut()
                .map(export)
                .collect::<Vec<_>>()
                .try_into()
                .unwrap();
            let union = |xs: &[&Bundle]| {
                let mut s = street();
                for x in xs {
                    import(&mut s, x);
                }
                export(&mut s)
            };
            let left = union(&[&union(&[&a, &b]), &c]);
            let right = union(&[&a, &union(&[&b, &c])]);
            prop_assert_eq!(left.tables, right.tables);
            Ok(())
        })
        .unwrap();
}

/// A fresh device restored from a full backup is the office again, every record with it.
#[test]
fn a_full_backup_restores_a_fresh_device_all_or_nothing() {
    let mut office = community(30);
    let backup = through_file(
        &office
            .export_bundle(&ExportOptions {
                destination: "backup".into(),
                photos: true,
                actor: "测试".into(),
                ..Default::default()
            })
            .unwrap(),
    );
    let staff_name: String = office
        .conn()
        .query_row(
            "SELECT name FROM staff WHERE deleted = 0 ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();

    let mut fresh = store();
    let mut stages = Vec::new();
    let report = fresh
        .restore_backup(
            &backup,
            "backup.gridledger.json",
            "新电脑",
            &staff_name,
            &mut |s, _, _| stages.push(s.to_string()),
        )
        .unwrap();
    assert!(report.totals.new > 0);
    assert!(
        stages.iter().any(|s| s == "write"),
        "progress is told: {stages:?}"
    );
    assert_eq!(fresh.office().unwrap(), office.office().unwrap());
    assert_eq!(tables(&mut fresh), tables(&mut office));
    let me = fresh.actor().unwrap().expect("an actor");
    assert_eq!(
        me.name, staff_name,
        "the named staff member uses the device"
    );
    // Restored twice: it is set up now.
    let again = store_restore(&mut fresh, &backup, "张三");
    assert_eq!(
        again.unwrap_err().to_string(),
        "this office is already set up"
    );

    // A name not on the staff list is added as a community cadre.
    let mut other = store();
    store_restore(&mut other, &backup, "新来的").unwrap();
    let me = other.actor().unwrap().expect("an actor");
    assert_eq!(
        (me.name.as_str(), me.role.as_str()),
        ("新来的", "community_cadre")
    );

    // A street office's backup restores a street office.
    let mut st = street();
    import(&mut st, &export(&mut office));
    let street_backup = through_file(&export(&mut st));
    let mut fresh_street = store();
    store_restore(&mut fresh_street, &street_backup, "王主任").unwrap();
    assert_eq!(fresh_street.office().unwrap(), st.office().unwrap());
    assert_eq!(tables(&mut fresh_street), tables(&mut st));
}

fn store_restore(
    s: &mut Store,
    b: &Bundle,
    actor: &str,
) -> Result<ImportReport, gridledger::storage::StoreError> {
    s.restore_backup(
        b,
        "backup.gridledger.json",
        "新电脑",
        actor,
        &mut |_, _, _| {},
    )
}

#[test]
fn a_partial_or_masked_bundle_is_no_backup_and_leaves_the_device_untouched() {
    let mut office = community(10);
    let code = office.office().unwrap().unwrap().code;
    let masked = through_file(
        &office
            .export_bundle(&ExportOptions {
                mask: BTreeMap::from([("residents".to_string(), vec!["id_number".to_string()])]),
                actor: "测试".into(),
                ..Default::default()
            })
            .unwrap(),
    );
    let grid: String = office
        .conn()
        .query_row(
            "SELECT id FROM grids WHERE parent_id IS NOT NULL AND deleted = 0 ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let one_grid = through_file(
        &office
            .export_bundle(&ExportOptions {
                grid_id: Some(grid),
                actor: "测试".into(),
                ..Default::default()
            })
            .unwrap(),
    );
    let mut fresh = store();
    for (b, why) in [(&masked, "restore_masked"), (&one_grid, "restore_partial")] {
        let e = store_restore(&mut fresh, b, "张三").unwrap_err();
        assert_eq!(gridledger::protocol::ApiError::from(e).code, why);
        assert!(fresh.office().unwrap().is_none(), "still not set up");
    }
    // A backup whose records fail on import (a resident in a grid that is not there) is refused
    // inside the transaction: the office row it began with is gone too.
    let mut broken = through_file(&export(&mut office));
    broken
        .tables
        .get_mut("grids")
        .unwrap()
        .retain(|g| g.get("parent_id").is_some_and(|p| p.is_null()));
    let e = store_restore(&mut fresh, &broken, "张三");
    assert!(e.is_err(), "a backup missing grids is refused");
    assert!(
        fresh.office().unwrap().is_none(),
        "still not set up after {e:?}"
    );
    let n: i64 = fresh
        .conn()
        .query_row("SELECT count(*) FROM residents", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
    let _ = code;
}

/// Applying an import leaves the home page's due list (the whole street's, at a street office)
/// computed and kept for the next start: the first dashboard after an import, in a fresh
/// worker too, reads it rather than computing it.
#[test]
fn an_applied_import_keeps_the_due_list_for_the_home_page() {
    use gridledger::protocol::{CareQuery, Request, Response};
    use gridledger::worker::{handle_with, Session};
    let mut c = community(12);
    let bytes = export(&mut c).to_json().into_bytes();
    let path = std::env::temp_dir().join(format!("gridledger-kept-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let open = || Store::open(rusqlite::Connection::open(&path).unwrap(), now, 5).unwrap();
    let mut s = street_on(open());
    let kept = |s: &Store| -> Vec<String> {
        let mut st = s
            .conn()
            .prepare("SELECT community_code FROM care_due_snapshot")
            .unwrap();
        let rows = st.query_map([], |r| r.get(0)).unwrap();
        rows.map(Result::unwrap).collect()
    };
    assert!(kept(&s).is_empty());
    let mut session = Session::default();
    let mut call = |s: &mut Store, req: Request, input: Option<Vec<u8>>| {
        let (reply, _) = handle_with(
            s,
            &mut session,
            req,
            input.map(Into::into),
            [1; 28],
            0.0,
            &mut |_, _, _| {},
        );
        reply.unwrap()
    };
    let staged = Request::StageImport {
        file_name: "a.gridledger.json".into(),
        passphrase: None,
        accept_identity: false,
    };
    assert!(matches!(
        call(&mut s, staged, Some(bytes)),
        Response::ImportPreview(_)
    ));
    let apply = Request::ApplyImport {
        accept_identity: false,
    };
    assert!(matches!(call(&mut s, apply, None), Response::Imported(r) if r.applied));
    assert_eq!(kept(&s), vec![String::new()]);
    let people = |s: &Store| s.care_list(&CareQuery::default()).unwrap().people;
    let computed = people(&s);
    assert!(computed > 0);
    drop(s);
    // The next start reads the kept list: emptied here behind its back, it is what comes back.
    let s = open();
    s.conn()
        .execute("UPDATE care_due_snapshot SET data = X'00'", [])
        .unwrap();
    assert_eq!(people(&s), 0, "the kept list was not current");
    drop(s);
    let _ = std::fs::remove_file(&path);
}

/// A bundle imported before is recognised from its header and its bytes' checksum: the preview
/// says when and counts every record unchanged, which is what merging it again reports (the
/// same records in another bundle go the whole way and agree, table by table, after a local
/// edit in between); applying it changes no data and only logs it again. A truncated copy is
/// not taken for it: it is refused as any truncated file.
#[test]
fn the_same_file_again_is_recognised_and_changes_nothing() {
    use gridledger::protocol::{Request, Response};
    use gridledger::worker::{handle_with, Session};
    let mut c = community(12);
    let bytes = export(&mut c).to_json().into_bytes();
    let mut s = street();
    let mut session = Session::default();
    let mut call = |s: &mut Store, req: Request, input: Option<Vec<u8>>| {
        let (reply, _) = handle_with(
            s,
            &mut session,
            req,
            input.map(Into::into),
            [1; 28],
            0.0,
            &mut |_, _, _| {},
        );
        reply.unwrap()
    };
    let stage = |file: &str| Request::StageImport {
        file_name: file.into(),
        passphrase: None,
        accept_identity: false,
    };
    let apply = || Request::ApplyImport {
        accept_identity: false,
    };
    let Response::ImportPreview(first) =
        call(&mut s, stage("a.gridledger.json"), Some(bytes.clone()))
    else {
        panic!("no preview")
    };
    assert_eq!(first.imported_before, None);
    assert!(first.totals.new > 100, "{:?}", first.totals);
    assert!(matches!(call(&mut s, apply(), None), Response::Imported(r) if r.applied));

    // A local edit in between: newer than anything in the file.
    let mut r = first_resident(&s);
    r.note = "本机改过".into();
    s.save_resident(&r).unwrap();
    let records = tables(&mut s);

    let cut = bytes[..bytes.len() - 10].to_vec();
    let (refused, _) = handle_with(
        &mut s,
        &mut Session::default(),
        stage("a-cut.gridledger.json"),
        Some(cut.into()),
        [1; 28],
        0.0,
        &mut |_, _, _| {},
    );
    assert!(refused.unwrap_err().code.starts_with("bundle_"));
    let Response::ImportPreview(again) =
        call(&mut s, stage("a (1).gridledger.json"), Some(bytes.clone()))
    else {
        panic!("no preview")
    };
    assert!(again.imported_before.is_some());
    assert_eq!(again.totals.changes(), 0);
    assert_eq!(
        again.totals.unchanged,
        first.totals.new + first.totals.updated + first.totals.unchanged + first.totals.deleted
    );
    let Response::Imported(logged) = call(&mut s, apply(), None) else {
        panic!("not applied")
    };
    assert!(logged.applied);
    assert_eq!(logged.file_name, "a (1).gridledger.json");
    assert_eq!(tables(&mut s), records, "no record changed");
    assert_eq!(s.import_log(10).unwrap().len(), 2);

    // The same records in another bundle (another export time, so another checksum): the
    // whole merge, which agrees.
    let mut other = bundle::parse(&bytes).unwrap();
    other.exported_at += 1;
    other.checksum = other.compute_checksum();
    let other = other.to_json().into_bytes();
    let Response::ImportPreview(full) = call(&mut s, stage("b.gridledger.json"), Some(other))
    else {
        panic!("no preview")
    };
    assert_eq!(full.imported_before, None);
    assert_eq!(full.totals, again.totals);
    assert_eq!(full.counts, again.counts);
    assert!(full.conflicts.is_empty() && full.changes.is_empty());
    call(&mut s, Request::CancelImport, None);
    assert_eq!(tables(&mut s), records);
}
