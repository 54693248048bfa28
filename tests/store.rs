//! Native integration tests of the store (`gridledger::storage::Store`) and of the protocol
//! path (`gridledger::worker::handle`), on bundled SQLite: migrations, office setup, the grid
//! tree, staff, tags, households, residents and their search, record stamping (UUIDv7 ids,
//! hybrid-logical-clock times, tombstones), the sample community and the schema-v1 fixture.

#![cfg(feature = "store")]

use gridledger::domain::sample::SampleOptions;
use gridledger::protocol::{
    ApiError, CommunitySetup, GridNode, HouseholdForm, OfficeKind, Request, ResidentForm,
    ResidentQuery, Response, StaffForm, StreetSetup,
};
use gridledger::storage::{migrations, Store, StoreError, SCHEMA_VERSION};
use gridledger::worker::handle;
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashSet;
use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};

/// 2026-11-18 (UTC), the fixed wall clock of most tests.
const NOW: i64 = 1_795_000_000_000;
const DAY: i64 = 86_400_000;
const CODE: &str = "410103008005";

fn now() -> i64 {
    NOW
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A database file under the system temp directory, removed when dropped. Declare it before
/// the `Store` that uses it, so the store is closed first.
struct TempDb(PathBuf);

impl TempDb {
    fn new(tag: &str) -> TempDb {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "gridledger-store-test-{}-{}-{nanos}-{tag}.sqlite",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
        ));
        remove_db_files(&path);
        TempDb(path)
    }

    fn connect(&self) -> Connection {
        Connection::open(&self.0).expect("open temp database")
    }

    fn open(&self, now: fn() -> i64, seed: u64) -> Store {
        open_ok(Store::open(self.connect(), now, seed))
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        remove_db_files(&self.0);
    }
}

fn remove_db_files(path: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// `Store` is not `Debug`, so `unwrap` cannot be used on `Result<Store, _>`.
fn open_ok(r: Result<Store, StoreError>) -> Store {
    match r {
        Ok(s) => s,
        Err(e) => panic!("store did not open: {e}"),
    }
}

fn memory_store() -> Store {
    open_ok(Store::open_in_memory(now, 1))
}

fn community_setup() -> CommunitySetup {
    CommunitySetup {
        name: "永安社区".into(),
        code: CODE.into(),
        street_name: "建中街街道".into(),
        device_name: "社区办公室电脑".into(),
        actor_name: "李淑珍".into(),
        actor_role: "community_cadre".into(),
    }
}

fn street_setup() -> StreetSetup {
    StreetSetup {
        name: "建中街街道".into(),
        code: "410103008".into(),
        device_name: "街道办电脑".into(),
        actor_name: "王主任".into(),
    }
}

/// A store set up as the community office; returns it with the root grid's id.
fn set_up() -> (Store, String) {
    let mut store = memory_store();
    store.setup_community(&community_setup()).unwrap();
    let root = root_id(&store);
    (store, root)
}

fn tree_nodes(store: &Store) -> Vec<GridNode> {
    store.grid_tree(CODE).unwrap().nodes
}

fn node(store: &Store, id: &str) -> Option<GridNode> {
    tree_nodes(store).into_iter().find(|n| n.id == id)
}

fn root_id(store: &Store) -> String {
    let roots: Vec<GridNode> = tree_nodes(store)
        .into_iter()
        .filter(|n| n.parent_id.is_none())
        .collect();
    assert_eq!(roots.len(), 1, "exactly one root: {roots:?}");
    assert_eq!(roots[0].level, 0);
    roots[0].id.clone()
}

/// The field problems of a refused change, as (field, code) pairs.
fn field_errors<T: Debug>(r: Result<T, StoreError>) -> Vec<(String, String)> {
    match r {
        Err(StoreError::Invalid(p)) => p,
        other => panic!("expected field errors, got {other:?}"),
    }
}

fn has_field_error<T: Debug>(r: Result<T, StoreError>, field: &str, code: &str) {
    let errors = field_errors(r);
    assert!(
        errors.iter().any(|(f, c)| f == field && c == code),
        "expected {field}/{code} in {errors:?}"
    );
}

fn refusal<T: Debug>(r: Result<T, StoreError>) -> &'static str {
    match r {
        Err(StoreError::Refused(code)) => code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn is_not_found<T: Debug>(r: Result<T, StoreError>, what: &str) {
    match r {
        Err(StoreError::NotFound(w)) if w == what => {}
        other => panic!("expected NotFound({what}), got {other:?}"),
    }
}

/// The stamping fields of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    deleted: bool,
    created_at: i64,
    updated_at: i64,
    updated_by: String,
}

fn stamp(store: &Store, table: &str, id: &str) -> Stamp {
    store
        .conn()
        .query_row(
            &format!(
                "SELECT deleted, created_at, updated_at, updated_by FROM {table} WHERE id = ?1"
            ),
            [id],
            |r| {
                Ok(Stamp {
                    deleted: r.get(0)?,
                    created_at: r.get(1)?,
                    updated_at: r.get(2)?,
                    updated_by: r.get(3)?,
                })
            },
        )
        .optional()
        .unwrap()
        .unwrap_or_else(|| panic!("no row {id} in {table}"))
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The milliseconds part of a hybrid-logical-clock value.
fn hlc_millis(t: i64) -> i64 {
    t >> 16
}

/// Lowercase hyphenated UUID text of version 7 with the RFC 9562 variant.
fn is_uuid_v7(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(c),
        })
        && b[14] == b'7'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b')
}

/// The Unix milliseconds in a UUIDv7's first 48 bits.
fn uuid_millis(s: &str) -> i64 {
    let hex: String = s.chars().filter(|c| *c != '-').take(12).collect();
    i64::from_str_radix(&hex, 16).unwrap()
}

/// A GB 11643 ID number with its check character computed here (independently of the crate):
/// `region` 6 digits, `birth` YYYYMMDD, `seq` 3 digits whose parity is the gender (odd male).
fn id_card(region: &str, birth: &str, seq: u32) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let first17 = format!("{region}{birth}{seq:03}");
    assert_eq!(first17.len(), 17, "{first17}");
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(d, w)| (d - b'0') as u32 * w)
        .sum();
    format!("{first17}{}", CHECK[(sum % 11) as usize] as char)
}

/// The same ID number with a wrong check character.
fn with_bad_checksum(id: &str) -> String {
    let (first17, check) = id.split_at(17);
    let wrong = if check == "0" { '1' } else { '0' };
    format!("{first17}{wrong}")
}

fn person(name: &str, id_number: &str, phone: &str, grid: &str) -> ResidentForm {
    ResidentForm {
        community_code: CODE.into(),
        name: name.into(),
        id_number: id_number.into(),
        phone: phone.into(),
        grid_id: grid.into(),
        ..ResidentForm::default()
    }
}

fn query(text: &str) -> ResidentQuery {
    ResidentQuery {
        community_code: CODE.into(),
        text: text.into(),
        limit: 200,
        ..ResidentQuery::default()
    }
}

/// Names found by a query, sorted (the store orders by name, then id).
fn found(store: &Store, q: &ResidentQuery) -> Vec<String> {
    let page = store.search_residents(q).unwrap();
    assert_eq!(page.total as usize, page.rows.len(), "one page: {q:?}");
    page.rows.into_iter().map(|r| r.name).collect()
}

fn tag_id(store: &Store, name: &str) -> String {
    store
        .list_tags(CODE)
        .unwrap()
        .into_iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("tag {name}"))
        .id
}

fn household(grid: &str, building: &str, unit: &str, room: &str) -> HouseholdForm {
    HouseholdForm {
        community_code: CODE.into(),
        grid_id: grid.into(),
        building: building.into(),
        unit: unit.into(),
        room: room.into(),
        ..HouseholdForm::default()
    }
}

/// The tables whose rows are shared records (id, community_code, stamps, tombstone).
const SHARED_TABLES: [&str; 8] = [
    "communities",
    "grids",
    "staff",
    "grid_staff",
    "households",
    "residents",
    "tags",
    "resident_tags",
];

/// Every shared record has a unique UUIDv7 id, the community's code, created_at <= updated_at
/// and was last written by this device; foreign keys hold. Returns the rows per table.
fn assert_records_well_formed(store: &Store, code: &str) -> Vec<(&'static str, usize)> {
    let mut ids = HashSet::new();
    let mut counts = Vec::new();
    for table in SHARED_TABLES {
        let mut st = store
            .conn()
            .prepare(&format!(
                "SELECT id, community_code, created_at, updated_at, updated_by FROM {table}"
            ))
            .unwrap();
        let rows: Vec<(String, String, i64, i64, String)> = st
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for (id, community, created, updated, by) in &rows {
            assert!(is_uuid_v7(id), "{table}: id {id:?} is not a UUIDv7");
            assert!(ids.insert(id.clone()), "{table}: id {id} used twice");
            assert_eq!(community, code, "{table} {id}: community_code");
            assert!(created > &0, "{table} {id}: created_at {created}");
            assert!(
                created <= updated,
                "{table} {id}: created_at {created} > updated_at {updated}"
            );
            assert_eq!(by, store.device_id(), "{table} {id}: updated_by");
        }
        counts.push((table, rows.len()));
    }
    let broken: i64 = count(store, "SELECT count(*) FROM pragma_foreign_key_check");
    assert_eq!(broken, 0, "foreign key violations");
    counts
}

// ---------------------------------------------------------------------------------------------
// Migrations, device identity and the clock
// ---------------------------------------------------------------------------------------------

#[test]
fn migrations_bring_an_empty_database_to_the_current_schema() {
    let store = memory_store();
    assert_eq!(migrations::version(store.conn()).unwrap(), SCHEMA_VERSION);
    let user_version: u32 = store
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(user_version, SCHEMA_VERSION);
    for table in SHARED_TABLES.iter().chain(&["local", "office"]) {
        let n = count(
            &store,
            &format!(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"
            ),
        );
        assert_eq!(n, 1, "table {table}");
    }
    let fk: bool = store
        .conn()
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert!(fk, "foreign keys are on");
    assert!(is_uuid_v7(store.device_id()), "{}", store.device_id());
    assert_eq!(uuid_millis(store.device_id()), NOW);
    assert_eq!(
        store.local("device_id").unwrap().as_deref(),
        Some(store.device_id())
    );
    assert!(store.office().unwrap().is_none());
    assert!(store.integrity_ok().unwrap());
}

#[test]
fn a_database_from_a_newer_app_is_refused_and_left_untouched() {
    let db = TempDb::new("too-new");
    {
        let conn = db.connect();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let err = match Store::open(db.connect(), now, 1) {
        Ok(_) => panic!("a newer schema must be refused"),
        Err(e) => e,
    };
    match &err {
        StoreError::TooNew { found, supported } => {
            assert_eq!((*found, *supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
    assert_eq!(ApiError::from(err).code, "schema_too_new");
    // Nothing was migrated or written.
    let conn = db.connect();
    let v: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION + 1);
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 0);
    // The same goes for an in-memory connection.
    let conn = Connection::open_in_memory().unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    assert!(matches!(
        Store::open(conn, now, 1),
        Err(StoreError::TooNew { .. })
    ));
}

#[test]
fn reopening_a_file_database_keeps_the_device_id_and_the_data() {
    let db = TempDb::new("reopen");
    let (device, grid) = {
        let mut store = db.open(now, 1);
        store.setup_community(&community_setup()).unwrap();
        let root = root_id(&store);
        let grid = store.create_grid(&root, "第一网格").unwrap();
        (store.device_id().to_string(), grid)
    };
    // Another seed would make another device id if one were made again.
    let store = db.open(now, 99);
    assert_eq!(store.device_id(), device);
    assert_eq!(migrations::version(store.conn()).unwrap(), SCHEMA_VERSION);
    assert_eq!(store.office().unwrap().unwrap().code, CODE);
    assert_eq!(node(&store, &grid).unwrap().name, "第一网格");
    assert_eq!(
        store.local("device_name").unwrap().as_deref(),
        Some("社区办公室电脑")
    );
    assert!(store.integrity_ok().unwrap());
    drop(store);
    // A third open is as uneventful.
    let store = db.open(now, 7);
    assert_eq!(store.device_id(), device);
}

static CLOCK_SESSION: AtomicI64 = AtomicI64::new(NOW);
fn clock_session() -> i64 {
    CLOCK_SESSION.load(Ordering::SeqCst)
}

#[test]
fn record_times_never_go_backwards_when_the_wall_clock_does() {
    let mut store = open_ok(Store::open_in_memory(clock_session, 5));
    store.setup_community(&community_setup()).unwrap();
    let root = root_id(&store);
    let a = store.create_grid(&root, "第一网格").unwrap();
    let first = stamp(&store, "grids", &a);
    assert_eq!(hlc_millis(first.created_at), NOW, "follows the wall clock");
    assert_eq!(first.created_at, first.updated_at);

    // The office PC's clock is set back a day.
    CLOCK_SESSION.store(NOW - DAY, Ordering::SeqCst);
    store.rename_grid(&a, "第一网格（东）").unwrap();
    let renamed = stamp(&store, "grids", &a);
    assert!(
        renamed.updated_at > first.updated_at,
        "{renamed:?} {first:?}"
    );
    assert_eq!(renamed.created_at, first.created_at);

    let b = store.create_grid(&root, "第二网格").unwrap();
    let second = stamp(&store, "grids", &b);
    assert!(second.created_at > renamed.updated_at);
    assert!(
        uuid_millis(&b) >= NOW,
        "the id's time does not follow the clock back: {b}"
    );
    let r = store
        .save_resident(&person(
            "王建国",
            &id_card("410103", "19500101", 11),
            "",
            &b,
        ))
        .unwrap();
    let resident = stamp(&store, "residents", &r);
    assert!(resident.created_at > second.created_at);

    // Every stamp made so far is below the next one, whatever the table.
    let newest = SHARED_TABLES
        .iter()
        .map(|t| {
            count(
                &store,
                &format!("SELECT coalesce(max(updated_at), 0) FROM {t}"),
            )
        })
        .max()
        .unwrap();
    assert_eq!(newest, resident.updated_at);

    // When the clock moves forward again, times follow it.
    CLOCK_SESSION.store(NOW + 1_000, Ordering::SeqCst);
    store.rename_grid(&b, "第二网格（西）").unwrap();
    let later = stamp(&store, "grids", &b);
    assert_eq!(hlc_millis(later.updated_at), NOW + 1_000);
    assert!(later.updated_at > newest);
}

static CLOCK_REOPEN: AtomicI64 = AtomicI64::new(NOW);
fn clock_reopen() -> i64 {
    CLOCK_REOPEN.load(Ordering::SeqCst)
}

#[test]
fn record_times_never_go_backwards_across_a_reopen() {
    let db = TempDb::new("hlc");
    let (root, newest) = {
        let mut store = db.open(clock_reopen, 3);
        store.setup_community(&community_setup()).unwrap();
        let root = root_id(&store);
        store.create_grid(&root, "第一网格").unwrap();
        let newest = count(&store, "SELECT max(updated_at) FROM grids");
        (root, newest)
    };
    assert_eq!(hlc_millis(newest), NOW);
    CLOCK_REOPEN.store(NOW - 3_600_000, Ordering::SeqCst);
    let mut store = db.open(clock_reopen, 4);
    let g = store.create_grid(&root, "第二网格").unwrap();
    let s = stamp(&store, "grids", &g);
    assert!(s.created_at > newest, "{} <= {newest}", s.created_at);
    assert!(uuid_millis(&g) >= NOW);
}

/// The schema-v1 database, made by
/// `cargo run --bin gridledger -- sample --db tests/fixtures/schema-v1.sqlite --households 30 --grids 2`
/// (then `PRAGMA page_size = 1024; VACUUM` to keep it small).
///
/// When schema v2 arrives this fixture must stay the v1 database: never regenerate it with a
/// newer app. Add a new fixture of the then-previous version beside it instead, so every
/// released schema keeps a test that it migrates.
const SCHEMA_V1_FIXTURE: &str = "tests/fixtures/schema-v1.sqlite";

/// The schema-v2 database (before bundles added base_at/revived and the export and import
/// logs), made by `cargo run --bin gridledger -- sample --db tests/fixtures/schema-v2.sqlite
/// --households 30 --grids 2` with schema v2. Never regenerate it with a newer app.
#[test]
fn the_schema_v2_fixture_migrates_and_exports() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v2.sqlite");
    let db = TempDb::new("schema-v2");
    std::fs::copy(&fixture, &db.0).expect("copy the fixture");
    let v: u32 = db
        .connect()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 2, "the fixture is (and must stay) a schema-v2 database");
    let mut store = db.open(now, 12);
    assert_eq!(migrations::version(store.conn()).unwrap(), SCHEMA_VERSION);
    assert!(store.integrity_ok().unwrap());
    let unbased = count(
        &store,
        "SELECT count(*) FROM residents WHERE base_at = 0 AND revived = 0",
    );
    assert_eq!(unbased, count(&store, "SELECT count(*) FROM residents"));
    let b = store
        .export_bundle(&gridledger::storage::bundle::ExportOptions::default())
        .unwrap();
    assert_eq!(b.counts["residents"], 85);
    gridledger::domain::bundle::check::check(&b).unwrap();
}

/// The schema-v3 database (before cases), made by `cargo run --bin gridledger -- sample --db
/// tests/fixtures/schema-v3.sqlite --households 30 --grids 2` with schema v3. Never regenerate
/// it with a newer app.
#[test]
fn the_schema_v3_fixture_migrates_and_takes_cases() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v3.sqlite");
    let db = TempDb::new("schema-v3");
    std::fs::copy(&fixture, &db.0).expect("copy the fixture");
    let v: u32 = db
        .connect()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 3, "the fixture is (and must stay) a schema-v3 database");
    let mut store = db.open(now, 13);
    assert_eq!(migrations::version(store.conn()).unwrap(), SCHEMA_VERSION);
    assert!(store.integrity_ok().unwrap());
    let cats = store.case_categories(CODE).unwrap();
    assert!(cats.iter().any(|c| c.name == "暴露垃圾"));
    assert_eq!(count(&store, "SELECT count(*) FROM cases"), 0);
}

/// The schema-v4 database (cases, before photos and the office calendar), made by `cargo run
/// --bin gridledger -- sample --db tests/fixtures/schema-v4.sqlite --households 30 --grids 2`
/// with schema v4 and cut to 40 cases. Never regenerate it with a newer app.
#[test]
fn the_schema_v4_fixture_migrates_and_keeps_its_cases() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v4.sqlite");
    let db = TempDb::new("schema-v4");
    std::fs::copy(&fixture, &db.0).expect("copy the fixture");
    let v: u32 = db
        .connect()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 4, "the fixture is (and must stay) a schema-v4 database");
    let store = db.open(now, 14);
    assert_eq!(migrations::version(store.conn()).unwrap(), SCHEMA_VERSION);
    assert!(store.integrity_ok().unwrap());
    assert_eq!(count(&store, "SELECT count(*) FROM cases"), 40);
    assert_eq!(count(&store, "SELECT count(*) FROM case_photos"), 0);
    let id: String = store
        .conn()
        .query_row("SELECT id FROM cases ORDER BY id LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let v = store.get_case(&id).unwrap();
    assert!(v.events.len() >= 2 && v.photos.is_empty());
}

/// The schema-v5 database (photos and the office calendar, before volunteers), made like the
/// v4 one with schema v5, cut to 40 cases, with one calendar day. Never regenerate it.
#[test]
fn the_schema_v5_fixture_migrates_and_takes_volunteers() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v5.sqlite");
    let db = TempDb::new("schema-v5");
    std::fs::copy(&fixture, &db.0).expect("copy the fixture");
    let v: u32 = db
        .connect()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 5, "the fixture is (and must stay) a schema-v5 database");
    let mut store = db.open(now, 15);
    assert_eq!(migrations::version(store.conn()).unwrap(), SCHEMA_VERSION);
    assert!(store.integrity_ok().unwrap());
    assert_eq!(count(&store, "SELECT count(*) FROM cases"), 40);
    assert_eq!(store.calendar_days().unwrap()[0].name, "社区活动日");
    assert_eq!(count(&store, "SELECT count(*) FROM volunteers"), 0);
    store
        .save_volunteer(&gridledger::protocol::VolunteerForm {
            community_code: CODE.into(),
            name: "赵志愿".into(),
            skills: vec!["repair".into()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM volunteers"), 1);
}

/// The schema-v6 database (volunteers, before rosters), made like the v5 one with schema v6.
/// Never regenerate it.
#[test]
fn the_schema_v6_fixture_migrates_and_takes_shifts() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v6.sqlite");
    let db = TempDb::new("schema-v6");
    std::fs::copy(&fixture, &db.0).expect("copy the fixture");
    let v: u32 = db
        .connect()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 6, "the fixture is (and must stay) a schema-v6 database");
    let mut store = db.open(now, 16);
    assert_eq!(migrations::version(store.conn()).unwrap(), SCHEMA_VERSION);
    assert!(store.integrity_ok().unwrap());
    assert!(count(&store, "SELECT count(*) FROM volunteers") >= 40);
    let ids = store
        .add_shifts(&gridledger::protocol::ShiftForm {
            community_code: CODE.into(),
            title: "值班".into(),
            start_at: 1_795_860_000_000,
            end_at: 1_795_870_800_000,
            needed: 1,
            weeks: 2,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(ids.len(), 2);
}

/// The schema-v7 database (rosters, before attendance and the time bank), made like the v4 one
/// at commit 5ccb951 and cut to 40 cases. Never regenerate it.
#[test]
fn the_schema_v7_fixture_migrates_and_takes_attendance_and_hours() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v7.sqlite");
    let db = TempDb::new("schema-v7");
    std::fs::copy(&fixture, &db.0).expect("copy the fixture");
    let v: u32 = db
        .connect()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 7, "the fixture is (and must stay) a schema-v7 database");
    let mut store = db.open(now, 17);
    assert_eq!(migrations::version(store.conn()).unwrap(), SCHEMA_VERSION);
    assert!(store.integrity_ok().unwrap());
    assert_eq!(count(&store, "SELECT count(*) FROM shifts"), 32);
    // Initials were filled in for the older rows when the database was opened.
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM residents WHERE name_initials IS NULL OR name_initials = ''"
        ),
        0
    );
    // The old rows have no check-in; their done shifts count their planned length.
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM shift_people WHERE check_in IS NOT NULL OR check_out IS NOT NULL"
        ),
        0
    );
    let volunteer: String = store
        .conn()
        .query_row(
            "SELECT volunteer_id FROM shift_people WHERE status = 'done' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let before = store.volunteer_hours(&volunteer).unwrap();
    assert!(before.total > 0);
    store
        .log_hours(&gridledger::protocol::HoursForm {
            volunteer_id: volunteer.clone(),
            day: "2026-11-20".into(),
            minutes: 60,
            task: "楼道清理".into(),
            case_id: String::new(),
        })
        .unwrap();
    assert_eq!(
        store.volunteer_hours(&volunteer).unwrap().total,
        before.total + 60
    );
}

#[test]
fn the_schema_v1_fixture_migrates_and_stays_searchable() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join(SCHEMA_V1_FIXTURE);
    let db = TempDb::new("schema-v1");
    std::fs::copy(&fixture, &db.0).expect("copy the fixture");

    // What the fixture holds, read before the store touches it.
    let (version, device, fixture_hlc): (u32, String, i64) = {
        let conn = db.connect();
        let v = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        let device = conn
            .query_row("SELECT value FROM local WHERE key = 'device_id'", [], |r| {
                r.get(0)
            })
            .unwrap();
        let hlc: String = conn
            .query_row("SELECT value FROM local WHERE key = 'hlc'", [], |r| {
                r.get(0)
            })
            .unwrap();
        // A landline as schema v1 stored it: the reversed key kept the dash.
        conn.execute(
            "UPDATE residents SET phone = '0371-67890123', phone_rev = '32109876-1730'
             WHERE id_number = '410104197703011398'",
            [],
        )
        .unwrap();
        (v, device, hlc.parse().unwrap())
    };
    assert_eq!(
        version, 1,
        "the fixture is (and must stay) a schema-v1 database"
    );

    let mut store = db.open(now, 11);
    assert_eq!(migrations::version(store.conn()).unwrap(), SCHEMA_VERSION);
    assert!(store.integrity_ok().unwrap());
    assert_eq!(store.device_id(), device);
    let counts = assert_records_well_formed(&store, CODE);
    let rows = |t: &str| counts.iter().find(|(n, _)| *n == t).unwrap().1;
    assert_eq!(
        (
            rows("grids"),
            rows("households"),
            rows("residents"),
            rows("tags")
        ),
        (14, 30, 74, 10)
    );
    let office = store.office().unwrap().unwrap();
    assert_eq!(
        (office.kind, office.name.as_str()),
        (OfficeKind::Community, "永安社区")
    );
    let level1 = tree_nodes(&store).iter().filter(|n| n.level == 1).count();
    assert_eq!(level1, 2);

    // Its residents are searchable by name, ID number and grid.
    let page = store.search_residents(&query("孙伟")).unwrap();
    assert!(
        page.rows
            .iter()
            .any(|r| r.id_number == "410104197703011398" && r.name == "孙伟"),
        "{page:?}"
    );
    let by_id = store.search_residents(&query("1398")).unwrap();
    assert!(by_id.rows.iter().any(|r| r.name == "孙伟"), "{by_id:?}");
    // Migration 2 rekeyed phones to their digits: the whole landline is found.
    for text in ["037167890123", "0371-67890123", "67890123"] {
        let found = store.search_residents(&query(text)).unwrap();
        assert_eq!(found.rows.len(), 1, "{text}: {found:?}");
        assert_eq!(found.rows[0].name, "孙伟", "{text}");
    }
    assert_eq!(store.search_residents(&query("")).unwrap().total, 74);
    let root = root_id(&store);
    let mut in_root = query("");
    in_root.grid_id = Some(root.clone());
    assert_eq!(store.search_residents(&in_root).unwrap().total, 74);

    // And it takes new writes, stamped after everything it holds (its clock was ahead of
    // this test's fixed clock).
    assert!(hlc_millis(fixture_hlc) > 0);
    let g = store.create_grid(&root, "第三网格").unwrap();
    let s = stamp(&store, "grids", &g);
    assert!(
        s.created_at > fixture_hlc,
        "{} <= {fixture_hlc}",
        s.created_at
    );
    let newest = SHARED_TABLES
        .iter()
        .filter(|t| **t != "grids")
        .map(|t| {
            count(
                &store,
                &format!("SELECT coalesce(max(updated_at), 0) FROM {t}"),
            )
        })
        .max()
        .unwrap();
    assert!(s.created_at > newest);
}

// ---------------------------------------------------------------------------------------------
// Office setup
// ---------------------------------------------------------------------------------------------

#[test]
fn community_setup_rejects_bad_fields_and_writes_nothing() {
    type Edit = fn(&mut CommunitySetup);
    #[rustfmt::skip]
    let cases: [(&str, Edit, &str, &str); 10] = [
        ("11-digit code", |s| s.code = "41010300800".into(), "code", "digits_12"),
        ("13-digit code", |s| s.code = "4101030080051".into(), "code", "digits_12"),
        ("letter in code", |s| s.code = "41010300800a".into(), "code", "digits_12"),
        ("empty code", |s| s.code = "  ".into(), "code", "required"),
        ("empty name", |s| s.name = String::new(), "name", "required"),
        ("blank name", |s| s.name = " \t ".into(), "name", "required"),
        ("long name", |s| s.name = "社".repeat(41), "name", "too_long"),
        ("no street", |s| s.street_name = String::new(), "street_name", "required"),
        ("no actor", |s| s.actor_name = String::new(), "actor_name", "required"),
        ("bad role", |s| s.actor_role = "mayor".into(), "actor_role", "required"),
    ];
    let mut store = memory_store();
    for (what, edit, field, code) in cases {
        let mut s = community_setup();
        edit(&mut s);
        let errors = field_errors(store.setup_community(&s));
        assert_eq!(
            errors,
            vec![(field.to_string(), code.to_string())],
            "{what}"
        );
    }
    // Every problem at once.
    let all_bad = CommunitySetup {
        name: String::new(),
        code: "123".into(),
        street_name: String::new(),
        device_name: String::new(),
        actor_name: String::new(),
        actor_role: String::new(),
    };
    let fields: Vec<String> = field_errors(store.setup_community(&all_bad))
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(
        fields,
        [
            "name",
            "code",
            "street_name",
            "device_name",
            "actor_name",
            "actor_role"
        ]
    );
    assert!(store.office().unwrap().is_none());
    for table in SHARED_TABLES {
        assert_eq!(
            count(&store, &format!("SELECT count(*) FROM {table}")),
            0,
            "{table}"
        );
    }
    // After all those refusals the real setup still works.
    store.setup_community(&community_setup()).unwrap();
}

#[test]
fn community_setup_creates_office_root_grid_tags_and_actor() {
    let mut store = memory_store();
    let mut s = community_setup();
    s.code = format!(" {CODE} ");
    s.name = " 永安社区 ".into();
    store.setup_community(&s).unwrap();

    let office = store.office().unwrap().unwrap();
    assert_eq!(office.kind, OfficeKind::Community);
    assert_eq!(office.name, "永安社区");
    assert_eq!(office.code, CODE, "stored trimmed");
    assert_eq!(office.street_name, "建中街街道");
    assert_eq!(office.street_code, "410103008");

    let communities = store.communities().unwrap();
    assert_eq!(communities.len(), 1);
    assert_eq!(communities[0].code, CODE);
    assert_eq!(communities[0].level_names, ["社区", "网格", "微网格"]);
    assert_eq!(communities[0].grids, 1);

    let nodes = tree_nodes(&store);
    assert_eq!(nodes.len(), 1);
    assert_eq!((nodes[0].level, nodes[0].name.as_str()), (0, "永安社区"));
    assert_eq!(nodes[0].parent_id, None);
    assert_eq!(nodes[0].workers, ["李淑珍"]);

    let tags = store.list_tags(CODE).unwrap();
    assert_eq!(tags.len(), 10);
    assert!(tags.iter().all(|t| t.builtin && t.residents == 0));
    let names: HashSet<&str> = tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names.len(), 10);
    assert!(names.contains("独居老人") && names.contains("党员"));

    let staff = store.list_staff(CODE).unwrap();
    assert_eq!(staff.len(), 1);
    assert_eq!(
        (staff[0].name.as_str(), staff[0].role.as_str()),
        ("李淑珍", "community_cadre")
    );
    assert_eq!(staff[0].grids.len(), 1);
    assert_eq!(staff[0].grids[0].grid_id, nodes[0].id);
    assert_eq!(staff[0].grids[0].duty, "worker");
    let actor = store.actor().unwrap().unwrap();
    assert_eq!(actor.id, staff[0].id);
    assert_eq!(
        store.local("actor_staff_id").unwrap().as_deref(),
        Some(staff[0].id.as_str())
    );

    let counts = assert_records_well_formed(&store, CODE);
    assert_eq!(
        counts,
        [
            ("communities", 1),
            ("grids", 1),
            ("staff", 1),
            ("grid_staff", 1),
            ("households", 0),
            ("residents", 0),
            ("tags", 10),
            ("resident_tags", 0),
        ]
    );
    // All made in one write at the fixed clock, each with its own HLC time.
    let distinct = count(
        &store,
        "SELECT count(DISTINCT created_at) FROM (SELECT created_at FROM tags UNION ALL SELECT created_at FROM staff)",
    );
    assert_eq!(distinct, 11);
    assert_eq!(
        hlc_millis(count(&store, "SELECT min(created_at) FROM communities")),
        NOW
    );
}

#[test]
fn a_second_setup_is_refused() {
    let (mut store, _) = set_up();
    assert!(matches!(
        store.setup_community(&community_setup()),
        Err(StoreError::AlreadySetUp)
    ));
    let mut other = community_setup();
    other.code = "410103008006".into();
    assert!(matches!(
        store.setup_community(&other),
        Err(StoreError::AlreadySetUp)
    ));
    assert!(matches!(
        store.setup_street(&street_setup()),
        Err(StoreError::AlreadySetUp)
    ));
    assert!(matches!(
        store.load_sample(&SampleOptions::community(1, NOW)),
        Err(StoreError::AlreadySetUp)
    ));
    assert_eq!(store.communities().unwrap().len(), 1);
    assert_eq!(store.list_tags(CODE).unwrap().len(), 10);
}

#[test]
fn street_setup_validates_a_nine_digit_code() {
    type Edit = fn(&mut StreetSetup);
    #[rustfmt::skip]
    let cases: [(&str, Edit, &str, &str); 6] = [
        ("8 digits", |s| s.code = "41010300".into(), "code", "digits_9"),
        ("10 digits", |s| s.code = "4101030080".into(), "code", "digits_9"),
        ("a community code", |s| s.code = CODE.into(), "code", "digits_9"),
        ("letters", |s| s.code = "41010300x".into(), "code", "digits_9"),
        ("empty code", |s| s.code = String::new(), "code", "required"),
        ("empty name", |s| s.name = String::new(), "name", "required"),
    ];
    let mut store = memory_store();
    for (what, edit, field, code) in cases {
        let mut s = street_setup();
        edit(&mut s);
        let errors = field_errors(store.setup_street(&s));
        assert_eq!(
            errors,
            vec![(field.to_string(), code.to_string())],
            "{what}"
        );
    }
    assert!(store.office().unwrap().is_none());

    store.setup_street(&street_setup()).unwrap();
    let office = store.office().unwrap().unwrap();
    assert_eq!(office.kind, OfficeKind::Street);
    assert_eq!(
        (office.code.as_str(), office.street_code.as_str()),
        ("410103008", "410103008")
    );
    let actor = store.actor().unwrap().unwrap();
    assert_eq!(
        (actor.name.as_str(), actor.role.as_str()),
        ("王主任", "street_cadre")
    );
    assert!(store.communities().unwrap().is_empty());
    assert!(matches!(
        store.setup_street(&street_setup()),
        Err(StoreError::AlreadySetUp)
    ));
    assert!(matches!(
        store.setup_community(&community_setup()),
        Err(StoreError::AlreadySetUp)
    ));
}

// ---------------------------------------------------------------------------------------------
// The grid tree and staff
// ---------------------------------------------------------------------------------------------

#[test]
fn grids_are_created_down_to_the_deepest_named_level() {
    let (mut store, root) = set_up();
    let a = store.create_grid(&root, " 第一网格 ").unwrap();
    let a1 = store.create_grid(&a, "幸福里").unwrap();
    for id in [&a, &a1] {
        assert!(is_uuid_v7(id), "{id}");
    }
    let na = node(&store, &a).unwrap();
    assert_eq!((na.level, na.name.as_str()), (1, "第一网格"));
    assert_eq!(na.parent_id.as_deref(), Some(root.as_str()));
    let na1 = node(&store, &a1).unwrap();
    assert_eq!(na1.level, 2);
    assert_eq!(na1.parent_id.as_deref(), Some(a.as_str()));

    // 社区 / 网格 / 微网格: nothing below a micro grid.
    assert_eq!(refusal(store.create_grid(&a1, "3号楼")), "grid_too_deep");
    // Names are checked first; unknown parents are not found.
    has_field_error(store.create_grid(&a, "  "), "name", "required");
    has_field_error(store.create_grid(&a, &"网".repeat(41)), "name", "too_long");
    is_not_found(store.create_grid("no-such-grid", "第九网格"), "grid");
    // With a fourth level named, the micro grid can have children.
    let four: Vec<String> = ["社区", "网格", "微网格", "楼栋"]
        .map(String::from)
        .to_vec();
    store.set_level_names(CODE, &four).unwrap();
    let b3 = store.create_grid(&a1, "3号楼").unwrap();
    assert_eq!(node(&store, &b3).unwrap().level, 3);
    // ... and then the level names cannot shrink below the tree's depth.
    let three: Vec<String> = ["社区", "网格", "微网格"].map(String::from).to_vec();
    has_field_error(
        store.set_level_names(CODE, &three),
        "level_names",
        "levels_in_use",
    );

    // Siblings in natural order, parents before children.
    for name in ["第十网格", "第二网格"] {
        store.create_grid(&root, name).unwrap();
    }
    let order: Vec<String> = tree_nodes(&store).into_iter().map(|n| n.name).collect();
    assert_eq!(
        order,
        [
            "永安社区",
            "第一网格",
            "幸福里",
            "3号楼",
            "第二网格",
            "第十网格"
        ]
    );

    // Renaming stamps the row.
    let before = stamp(&store, "grids", &a);
    store.rename_grid(&a, "第一网格（东区）").unwrap();
    let after = stamp(&store, "grids", &a);
    assert_eq!(node(&store, &a).unwrap().name, "第一网格（东区）");
    assert!(after.updated_at > before.updated_at);
    assert_eq!(after.created_at, before.created_at);
    has_field_error(store.rename_grid(&a, ""), "name", "required");
    is_not_found(store.rename_grid("no-such-grid", "x"), "grid");
    assert_records_well_formed(&store, CODE);
}

#[test]
fn grid_moves_refuse_cycles_and_update_levels() {
    let (mut store, root) = set_up();
    let a = store.create_grid(&root, "第一网格").unwrap();
    let a1 = store.create_grid(&a, "幸福里").unwrap();
    let b = store.create_grid(&root, "第二网格").unwrap();
    let c = store.create_grid(&root, "第三网格").unwrap();

    let refusals: [(&str, &str, &str); 5] = [
        (&a, &a, "grid_cycle"),
        (&a, &a1, "grid_cycle"),
        (&root, &b, "grid_root_fixed"),
        // 第一网格 with its micro grid under 第二网格 would need a fourth level.
        (&a, &b, "grid_too_deep"),
        // A micro grid cannot hold a grid.
        (&c, &a1, "grid_too_deep"),
    ];
    for (id, parent, code) in refusals {
        let before = stamp(&store, "grids", id);
        assert_eq!(
            refusal(store.move_grid(id, parent)),
            code,
            "{id} -> {parent}"
        );
        assert_eq!(
            stamp(&store, "grids", id),
            before,
            "a refused move changes nothing"
        );
    }
    is_not_found(store.move_grid(&a, "no-such-grid"), "grid");

    let level = |s: &Store, id: &str| node(s, id).unwrap().level;
    let parent = |s: &Store, id: &str| node(s, id).unwrap().parent_id.unwrap();

    // A micro grid to another grid keeps its level.
    store.move_grid(&a1, &b).unwrap();
    assert_eq!((parent(&store, &a1), level(&store, &a1)), (b.clone(), 2));
    // Up to the root: level 1.
    let before = stamp(&store, "grids", &a1);
    store.move_grid(&a1, &root).unwrap();
    assert_eq!((parent(&store, &a1), level(&store, &a1)), (root.clone(), 1));
    let after = stamp(&store, "grids", &a1);
    assert!(after.updated_at > before.updated_at);
    assert_eq!(after.updated_by, store.device_id());
    // A childless grid down under another: level 2.
    store.move_grid(&c, &a).unwrap();
    assert_eq!(level(&store, &c), 2);

    // A whole subtree: every level below moves with it.
    let four: Vec<String> = ["社区", "网格", "微网格", "楼栋"]
        .map(String::from)
        .to_vec();
    store.set_level_names(CODE, &four).unwrap();
    store.move_grid(&a, &b).unwrap();
    assert_eq!(
        (level(&store, &b), level(&store, &a), level(&store, &c)),
        (1, 2, 3)
    );
    let in_db: i64 = store
        .conn()
        .query_row("SELECT level FROM grids WHERE id = ?1", [&c], |r| r.get(0))
        .unwrap();
    assert_eq!(in_db, 3, "the stored level, not only the tree's");
    // A grid cannot move under its own grandchild either.
    assert_eq!(refusal(store.move_grid(&b, &c)), "grid_cycle");
    store.move_grid(&a, &root).unwrap();
    assert_eq!((level(&store, &a), level(&store, &c)), (1, 2));
    // The shape stays a tree: one root, every parent known.
    let nodes = tree_nodes(&store);
    assert_eq!(nodes.len(), 5);
    let ids: HashSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    for n in &nodes {
        if let Some(p) = &n.parent_id {
            assert!(ids.contains(p.as_str()));
            let pl = nodes.iter().find(|x| &x.id == p).unwrap().level;
            assert_eq!(n.level, pl + 1, "{n:?}");
        }
    }
}

#[test]
fn grid_deletes_need_an_empty_leaf_and_leave_a_tombstone() {
    let (mut store, root) = set_up();
    let a = store.create_grid(&root, "第一网格").unwrap();
    let a1 = store.create_grid(&a, "幸福里").unwrap();
    let a2 = store.create_grid(&a, "和平苑").unwrap();
    let a3 = store.create_grid(&a, "康乐园").unwrap();
    let r = store
        .save_resident(&person(
            "王建国",
            &id_card("410103", "19500101", 11),
            "",
            &a1,
        ))
        .unwrap();
    store
        .save_household(&household(&a2, "1号楼", "1单元", "101"))
        .unwrap();

    assert_eq!(refusal(store.delete_grid(&root)), "grid_root_fixed");
    assert_eq!(refusal(store.delete_grid(&a)), "grid_has_children");
    assert_eq!(refusal(store.delete_grid(&a1)), "grid_has_residents");
    assert_eq!(
        refusal(store.delete_grid(&a2)),
        "grid_has_residents",
        "households count"
    );
    is_not_found(store.delete_grid("no-such-grid"), "grid");

    // An empty leaf with a staff duty on it.
    let staff = store
        .save_staff(&StaffForm {
            community_code: CODE.into(),
            name: "赵丽".into(),
            role: "micro_grid_worker".into(),
            ..StaffForm::default()
        })
        .unwrap();
    let link = store.assign_staff(&a3, &staff, "leader").unwrap();
    let before = stamp(&store, "grids", &a3);
    assert!(!before.deleted);
    store.delete_grid(&a3).unwrap();
    let after = stamp(&store, "grids", &a3);
    assert!(after.deleted, "the row stays, as a tombstone");
    assert_eq!(after.updated_by, store.device_id());
    assert!(after.updated_at > before.updated_at);
    assert_eq!(after.created_at, before.created_at);
    assert!(node(&store, &a3).is_none(), "gone from the tree");
    assert_eq!(count(&store, "SELECT count(*) FROM grids"), 5);
    // Its duty is tombstoned with it.
    let link_row = stamp(&store, "grid_staff", &link);
    assert!(link_row.deleted);
    assert_eq!(link_row.updated_at, after.updated_at);
    let row = store
        .list_staff(CODE)
        .unwrap()
        .into_iter()
        .find(|s| s.id == staff)
        .unwrap();
    assert!(row.grids.is_empty(), "{row:?}");
    // A tombstone is neither deletable, renamable nor a parent.
    is_not_found(store.delete_grid(&a3), "grid");
    is_not_found(store.rename_grid(&a3, "新名"), "grid");
    is_not_found(store.create_grid(&a3, "新网格"), "grid");
    has_field_error(
        store.save_resident(&person("李伟", "", "", &a3)),
        "grid_id",
        "unknown",
    );

    // Once its resident is gone (a tombstone too), a grid can go.
    store.delete_resident(&r).unwrap();
    store.delete_grid(&a1).unwrap();
    assert!(stamp(&store, "grids", &a1).deleted);
    assert_eq!(
        refusal(store.delete_grid(&a)),
        "grid_has_children",
        "和平苑 is left"
    );
    assert_eq!(
        tree_nodes(&store).len(),
        3,
        "root, 第一网格, 和平苑: {:?}",
        tree_nodes(&store)
    );
    assert_records_well_formed(&store, CODE);
}

#[test]
fn staff_are_saved_assigned_and_unassigned() {
    let (mut store, root) = set_up();
    let a = store.create_grid(&root, "第一网格").unwrap();
    let form = |name: &str, role: &str, phone: &str| StaffForm {
        community_code: CODE.into(),
        name: name.into(),
        role: role.into(),
        phone: phone.into(),
        ..StaffForm::default()
    };
    has_field_error(
        store.save_staff(&form("", "grid_leader", "")),
        "name",
        "required",
    );
    has_field_error(
        store.save_staff(&form("张伟", "boss", "")),
        "role",
        "required",
    );
    has_field_error(
        store.save_staff(&form("张伟", "grid_leader", "12345")),
        "phone",
        "phone_format",
    );
    let mut other = form("张伟", "grid_leader", "");
    other.community_code = "410103008099".into();
    is_not_found(store.save_staff(&other), "community");

    let leader = store
        .save_staff(&form(" 张伟 ", "grid_leader", "138 0013 8000"))
        .unwrap();
    let row = store.staff_row(&leader).unwrap().unwrap();
    assert_eq!(
        (row.name.as_str(), row.phone.as_str()),
        ("张伟", "13800138000")
    );

    let link = store.assign_staff(&a, &leader, "leader").unwrap();
    assert!(is_uuid_v7(&link));
    assert_eq!(
        refusal(store.assign_staff(&a, &leader, "leader")),
        "already_assigned"
    );
    has_field_error(store.assign_staff(&a, &leader, "boss"), "duty", "required");
    is_not_found(store.assign_staff(&a, "no-such-staff", "worker"), "staff");
    is_not_found(
        store.assign_staff("no-such-grid", &leader, "worker"),
        "grid",
    );
    let worker_link = store.assign_staff(&a, &leader, "worker").unwrap();

    let na = node(&store, &a).unwrap();
    assert_eq!(
        (na.leaders.clone(), na.workers.clone()),
        (vec!["张伟".to_string()], vec!["张伟".to_string()])
    );
    let row = store.staff_row(&leader).unwrap().unwrap();
    assert_eq!(row.grids.len(), 2);

    // Editing keeps the id and stamps the row.
    let before = stamp(&store, "staff", &leader);
    let mut edit = form("张伟", "full_time_worker", "");
    edit.id = leader.clone();
    assert_eq!(store.save_staff(&edit).unwrap(), leader);
    assert!(stamp(&store, "staff", &leader).updated_at > before.updated_at);
    assert_eq!(
        store.staff_row(&leader).unwrap().unwrap().role,
        "full_time_worker"
    );

    let before = stamp(&store, "grid_staff", &link);
    store.unassign_staff(&link).unwrap();
    let after = stamp(&store, "grid_staff", &link);
    assert!(after.deleted && after.updated_at > before.updated_at);
    is_not_found(store.unassign_staff(&link), "assignment");
    let na = node(&store, &a).unwrap();
    assert!(na.leaders.is_empty());
    assert_eq!(na.workers, ["张伟"]);
    // The same duty can be given again: a new link.
    let again = store.assign_staff(&a, &leader, "leader").unwrap();
    assert_ne!(again, link);
    assert_ne!(again, worker_link);
    assert_eq!(store.list_staff(CODE).unwrap().len(), 2);
    assert_records_well_formed(&store, CODE);
}

// ---------------------------------------------------------------------------------------------
// Residents, tags and households
// ---------------------------------------------------------------------------------------------

#[test]
fn the_id_number_helper_agrees_with_the_standard() {
    // The sample number printed in GB 11643-1999, and widely published specimens.
    assert_eq!(id_card("110105", "19491231", 2), "11010519491231002X");
    assert_eq!(id_card("110101", "19900307", 447), "110101199003074477");
    assert_eq!(id_card("440524", "18800101", 1), "440524188001010014");
}

#[test]
fn resident_fields_are_validated() {
    let (mut store, root) = set_up();
    let g = store.create_grid(&root, "第一网格").unwrap();
    let good = id_card("410103", "19800214", 123); // male
    type Edit = fn(&mut ResidentForm, &str);
    #[rustfmt::skip]
    let cases: [(&str, Edit, &str, &str); 13] = [
        ("bad check character", |f, id| f.id_number = with_bad_checksum(id), "id_number", "id_checksum"),
        ("17 characters", |f, id| f.id_number = id[..17].into(), "id_number", "id_format"),
        ("letter inside", |f, _| f.id_number = "41010319800214A231".into(), "id_number", "id_format"),
        ("impossible birth date", |f, _| f.id_number = id_card("410103", "19800230", 123), "id_number", "id_birth_date"),
        ("gender disagrees", |f, _| f.gender = "F".into(), "id_number", "id_gender_mismatch"),
        ("birth disagrees", |f, _| f.birth_date = "1980-02-15".into(), "id_number", "id_birth_mismatch"),
        ("no name", |f, _| f.name = " ".into(), "name", "required"),
        ("long name", |f, _| f.name = "名".repeat(31), "name", "too_long"),
        ("bad phone", |f, _| f.phone = "12345".into(), "phone", "phone_format"),
        ("unknown grid", |f, _| f.grid_id = "no-such-grid".into(), "grid_id", "unknown"),
        ("no grid", |f, _| f.grid_id = String::new(), "grid_id", "required"),
        ("unknown household", |f, _| f.household_id = "no-such-household".into(), "household_id", "unknown"),
        ("unknown tag", |f, _| f.tag_ids = vec!["no-such-tag".into()], "tag_ids", "unknown"),
    ];
    for (what, edit, field, code) in cases {
        let mut f = person("王建国", &good, "", &g);
        edit(&mut f, &good);
        let errors = field_errors(store.save_resident(&f));
        assert!(
            errors.iter().any(|(fl, c)| fl == field && c == code),
            "{what}: expected {field}/{code} in {errors:?}"
        );
    }
    // Without an ID number, birth date and gender are needed, and the birth is not in the future.
    let mut f = person("李子涵", "", "", &g);
    let fields: Vec<(String, String)> = field_errors(store.save_resident(&f));
    assert_eq!(
        fields,
        [
            ("birth_date".to_string(), "required".to_string()),
            ("gender".into(), "required".into())
        ]
    );
    f.gender = "F".into();
    f.birth_date = "2026-11-19".into(); // the fixed clock's tomorrow
    has_field_error(store.save_resident(&f), "birth_date", "date_in_future");
    f.birth_date = "2026/11/18".into();
    store.save_resident(&f).unwrap();
    // Another community's code is not this grid's.
    let mut f = person("王建国", &good, "", &g);
    f.community_code = "410103008099".into();
    has_field_error(store.save_resident(&f), "grid_id", "unknown");
    // Only 李子涵 was saved.
    assert_eq!(count(&store, "SELECT count(*) FROM residents"), 1);
}

#[test]
fn a_valid_resident_saves_with_fields_derived_from_the_id_number() {
    let (mut store, root) = set_up();
    let g = store.create_grid(&root, "第一网格").unwrap();
    let id = store
        .save_resident(&person(
            " 王秀英 ",
            "11010519491231002x",
            "+86 139-0000-5678",
            &g,
        ))
        .unwrap();
    assert!(is_uuid_v7(&id), "{id}");
    let f = store.get_resident(&id).unwrap();
    assert_eq!(f.id, id);
    assert_eq!(f.community_code, CODE);
    assert_eq!(f.name, "王秀英");
    assert_eq!(
        f.id_number, "11010519491231002X",
        "upper-case check character"
    );
    assert_eq!(
        (f.gender.as_str(), f.birth_date.as_str()),
        ("F", "1949-12-31")
    );
    assert_eq!(f.phone, "13900005678");
    assert_eq!(f.grid_id, g);
    assert_eq!(f.household_id, "");
    let (id_rev, phone_rev): (String, String) = store
        .conn()
        .query_row(
            "SELECT id_rev, phone_rev FROM residents WHERE id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(id_rev, "X20013219491501011");
    assert_eq!(phone_rev, "87650000931");
    let s = stamp(&store, "residents", &id);
    assert_eq!(s.created_at, s.updated_at);
    assert_eq!(hlc_millis(s.created_at), NOW);
    assert_eq!(node(&store, &g).unwrap().residents, 1);
    assert_eq!(
        node(&store, &root).unwrap().residents,
        1,
        "counts sum up the tree"
    );
    is_not_found(store.get_resident("no-such-resident"), "resident");
}

#[test]
fn duplicate_id_numbers_are_refused_within_a_community() {
    let (mut store, root) = set_up();
    let g = store.create_grid(&root, "第一网格").unwrap();
    let h = store.create_grid(&root, "第二网格").unwrap();
    let first = store
        .save_resident(&person("王秀英", "11010519491231002X", "", &g))
        .unwrap();
    for (what, id_number, grid) in [
        ("same number", "11010519491231002X", &g),
        ("lower-case x", "11010519491231002x", &g),
        ("padded, other grid", " 11010519491231002X ", &h),
    ] {
        let errors = field_errors(store.save_resident(&person("王秀芳", id_number, "", grid)));
        assert_eq!(
            errors,
            [("id_number".to_string(), "duplicate".to_string())],
            "{what}"
        );
    }
    // The resident itself may be saved again with its number.
    let mut f = store.get_resident(&first).unwrap();
    f.phone = "13900005678".into();
    assert_eq!(store.save_resident(&f).unwrap(), first);
    // Another number is fine; once the first resident is deleted, its number is free.
    store
        .save_resident(&person(
            "王建国",
            &id_card("410103", "19500101", 11),
            "",
            &g,
        ))
        .unwrap();
    store.delete_resident(&first).unwrap();
    let again = store
        .save_resident(&person("王秀英", "11010519491231002X", "", &h))
        .unwrap();
    assert_ne!(again, first);
    assert_eq!(store.search_residents(&query("")).unwrap().total, 2);
}

/// The grid tree and residents the search tests use:
/// root → 第一网格 (A) → 幸福里 (A1); root → 第二网格 (B).
struct Ledger {
    store: Store,
    root: String,
    a: String,
    a1: String,
    b: String,
    alone: String,
    party: String,
}

fn ledger() -> Ledger {
    let (mut store, root) = set_up();
    let a = store.create_grid(&root, "第一网格").unwrap();
    let a1 = store.create_grid(&a, "幸福里").unwrap();
    let b = store.create_grid(&root, "第二网格").unwrap();
    let alone = tag_id(&store, "独居老人");
    let party = tag_id(&store, "党员");
    #[rustfmt::skip]
    let people = [
        ("王建国", id_card("410103", "19500101", 11), "13800001234", &a1, vec![alone.clone()]),
        ("王秀英", "11010519491231002X".to_string(), "13900005678", &a, vec![party.clone()]),
        ("张建华", "110101199003074477".to_string(), "0371-67890123", &b, vec![alone.clone(), party.clone()]),
    ];
    for (name, id_number, phone, grid, tags) in people {
        let mut f = person(name, &id_number, phone, grid);
        f.tag_ids = tags;
        store.save_resident(&f).unwrap();
    }
    let mut child = person("李子涵", "", "", &b);
    child.gender = "F".into();
    child.birth_date = "2015-06-01".into();
    store.save_resident(&child).unwrap();
    Ledger {
        store,
        root,
        a,
        a1,
        b,
        alone,
        party,
    }
}

#[test]
fn residents_are_found_by_name_phone_id_grid_and_tag() {
    let l = ledger();
    let q = |text: &str, grid: Option<&String>, tag: Option<&String>| ResidentQuery {
        grid_id: grid.cloned(),
        tag_id: tag.cloned(),
        ..query(text)
    };
    #[rustfmt::skip]
    let cases: Vec<(&str, ResidentQuery, Vec<&str>)> = vec![
        ("everyone", q("", None, None), vec!["张建华", "李子涵", "王建国", "王秀英"]),
        ("name part", q("建", None, None), vec!["张建华", "王建国"]),
        ("surname", q("王", None, None), vec!["王建国", "王秀英"]),
        ("whole name", q(" 王秀英 ", None, None), vec!["王秀英"]),
        ("no such name", q("赵", None, None), vec![]),
        ("LIKE % is literal", q("%", None, None), vec![]),
        ("LIKE _ is literal", q("王_", None, None), vec![]),
        ("phone last 4", q("1234", None, None), vec!["王建国"]),
        ("other phone last 4", q("5678", None, None), vec!["王秀英"]),
        ("whole mobile", q("13900005678", None, None), vec!["王秀英"]),
        ("mobile prefix", q("1380000", None, None), vec!["王建国"]),
        ("landline last 4", q("0123", None, None), vec!["张建华"]),
        ("ID last 4", q("4477", None, None), vec!["张建华"]),
        ("ID last 4 with X", q("002X", None, None), vec!["王秀英"]),
        ("ID last 4 with x", q("002x", None, None), vec!["王秀英"]),
        ("GLOB * is literal", q("12*", None, None), vec![]),
        ("digits matching nothing", q("9999", None, None), vec![]),
        ("grid with its micro grid", q("", Some(&l.a), None), vec!["王建国", "王秀英"]),
        ("micro grid", q("", Some(&l.a1), None), vec!["王建国"]),
        ("other grid", q("", Some(&l.b), None), vec!["张建华", "李子涵"]),
        ("root is everyone", q("", Some(&l.root), None), vec!["张建华", "李子涵", "王建国", "王秀英"]),
        ("tag", q("", None, Some(&l.alone)), vec!["张建华", "王建国"]),
        ("other tag", q("", None, Some(&l.party)), vec!["张建华", "王秀英"]),
        ("tag in grid", q("", Some(&l.b), Some(&l.party)), vec!["张建华"]),
        ("name in grid", q("王", Some(&l.a1), None), vec!["王建国"]),
        ("phone and tag", q("1234", None, Some(&l.party)), vec![]),
        ("empty grid and tag mean any", ResidentQuery { grid_id: Some(String::new()), tag_id: Some(String::new()), ..query("建") }, vec!["张建华", "王建国"]),
    ];
    for (what, query, want) in cases {
        assert_eq!(found(&l.store, &query), want, "{what}: {query:?}");
    }
    // Rows carry the grid name and tag names.
    let page = l.store.search_residents(&query("张建华")).unwrap();
    let row = &page.rows[0];
    assert_eq!(row.grid_name, "第二网格");
    assert_eq!(row.id_number, "110101199003074477");
    assert_eq!(row.phone, "0371-67890123");
    assert_eq!(
        (row.gender.as_str(), row.birth_date.as_str()),
        ("M", "1990-03-07")
    );
    let mut tags = row.tags.clone();
    tags.sort();
    let mut want = vec!["党员".to_string(), "独居老人".to_string()];
    want.sort();
    assert_eq!(tags, want);
    // Another community sees nothing; an unknown grid is an error.
    let other = ResidentQuery {
        community_code: "410103008099".into(),
        ..query("")
    };
    assert_eq!(l.store.search_residents(&other).unwrap().total, 0);
    let unknown = ResidentQuery {
        grid_id: Some("no-such-grid".into()),
        ..query("")
    };
    is_not_found(l.store.search_residents(&unknown), "grid");
    // The tree counts residents per subtree.
    let counts: Vec<(u32, u64)> = [&l.root, &l.a, &l.a1, &l.b]
        .iter()
        .map(|id| {
            let n = node(&l.store, id).unwrap();
            (n.level, n.residents)
        })
        .collect();
    assert_eq!(counts, [(0, 4), (1, 2), (2, 1), (1, 2)]);
}

/// A phone number is found however it is typed: whole or by its tail, with or without the
/// landline's dash, with spaces or dashes between groups of digits.
#[test]
fn phones_are_found_however_they_are_typed() {
    let l = ledger();
    // What works today: plain digits of a mobile, a landline's local number or its tail.
    for (text, name) in [
        ("13900005678", "王秀英"),
        ("67890123", "张建华"),
        ("7890123", "张建华"),
    ] {
        assert_eq!(found(&l.store, &query(text)), [name], "{text}");
    }
    let missed: Vec<&str> = [
        ("037167890123", "张建华"),
        ("0371-67890123", "张建华"),
        ("0371 67890123", "张建华"),
        ("139 0000 5678", "王秀英"),
        ("139-0000-5678", "王秀英"),
    ]
    .into_iter()
    .filter(|(text, name)| found(&l.store, &query(text)) != [*name])
    .map(|(text, _)| text)
    .collect();
    assert!(missed.is_empty(), "not found by {missed:?}");
}

#[test]
fn search_pages_with_offset_limit_and_total() {
    let (mut store, root) = set_up();
    let g = store.create_grid(&root, "第一网格").unwrap();
    let mut all = Vec::new();
    for i in 1..=7 {
        let name = format!("测试{i:02}");
        let mut f = person(&name, &id_card("410103", "19800101", 2 * i + 1), "", &g);
        f.relation = "户主".into();
        store.save_resident(&f).unwrap();
        all.push(name);
    }
    store
        .save_resident(&person("别人", &id_card("410103", "19800101", 901), "", &g))
        .unwrap();
    let page = |offset: u32, limit: u32| {
        let q = ResidentQuery {
            offset,
            limit,
            ..query("测试")
        };
        let p = store.search_residents(&q).unwrap();
        assert_eq!(p.total, 7, "total ignores paging");
        assert_eq!(p.offset, offset);
        p.rows.into_iter().map(|r| r.name).collect::<Vec<_>>()
    };
    let cases: [(u32, u32, std::ops::Range<usize>); 6] = [
        (0, 3, 0..3),
        (3, 3, 3..6),
        (6, 3, 6..7),
        (7, 3, 7..7),
        (100, 3, 7..7),
        (2, 200, 2..7),
    ];
    for (offset, limit, want) in cases {
        assert_eq!(
            page(offset, limit),
            all[want.clone()],
            "offset {offset} limit {limit}"
        );
    }
    // Pages put together are the whole, in order, without repeats.
    let mut joined = Vec::new();
    let mut offset = 0;
    loop {
        let rows = page(offset, 2);
        if rows.is_empty() {
            break;
        }
        offset += rows.len() as u32;
        joined.extend(rows);
    }
    assert_eq!(joined, all);
}

#[test]
fn editing_a_resident_moves_updated_at_forward() {
    let (mut store, root) = set_up();
    let g = store.create_grid(&root, "第一网格").unwrap();
    let h = store.create_grid(&root, "第二网格").unwrap();
    let id = store
        .save_resident(&person(
            "王建国",
            &id_card("410103", "19500101", 11),
            "13800001234",
            &g,
        ))
        .unwrap();
    let before = stamp(&store, "residents", &id);
    let mut f = store.get_resident(&id).unwrap();
    f.name = "王建民".into();
    f.phone = "13700004321".into();
    f.grid_id = h.clone();
    f.note = " 腿脚不便 ".into();
    assert_eq!(store.save_resident(&f).unwrap(), id, "an edit keeps the id");
    let after = stamp(&store, "residents", &id);
    assert!(after.updated_at > before.updated_at, "{after:?} {before:?}");
    assert_eq!(after.created_at, before.created_at);
    assert_eq!(after.updated_by, store.device_id());
    let g2 = store.get_resident(&id).unwrap();
    assert_eq!(
        (g2.name.as_str(), g2.phone.as_str()),
        ("王建民", "13700004321")
    );
    assert_eq!(
        (g2.grid_id.as_str(), g2.note.as_str()),
        (h.as_str(), "腿脚不便")
    );
    assert_eq!(found(&store, &query("4321")), ["王建民"]);
    assert!(
        found(&store, &query("1234")).is_empty(),
        "the old phone is gone"
    );
    assert!(found(&store, &query("王建国")).is_empty());
    assert_eq!(
        count(&store, "SELECT count(*) FROM residents"),
        1,
        "no new row"
    );
    // Saving an unknown or deleted resident is not found.
    let mut ghost = f.clone();
    ghost.id = "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b".into();
    ghost.id_number = String::new(); // not a duplicate of the real one
    is_not_found(store.save_resident(&ghost), "resident");
    store.delete_resident(&id).unwrap();
    is_not_found(store.save_resident(&f), "resident");
}

#[test]
fn tag_changes_leave_tombstoned_links() {
    let (mut store, root) = set_up();
    let g = store.create_grid(&root, "第一网格").unwrap();
    let [t1, t2, t3] = ["独居老人", "残疾人", "党员"].map(|n| tag_id(&store, n));
    let link = |s: &Store, r: &str, t: &str| -> Vec<(String, bool)> {
        let mut st = s
            .conn()
            .prepare("SELECT id, deleted FROM resident_tags WHERE resident_id = ?1 AND tag_id = ?2 ORDER BY created_at")
            .unwrap();
        st.query_map([r, t], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let mut f = person("王建国", &id_card("410103", "19500101", 11), "", &g);
    // Repeated ids count once.
    f.tag_ids = vec![t1.clone(), t2.clone(), t1.clone()];
    let r = store.save_resident(&f).unwrap();
    let mut got = store.get_resident(&r).unwrap().tag_ids;
    got.sort();
    let mut want = vec![t1.clone(), t2.clone()];
    want.sort();
    assert_eq!(got, want);
    assert_eq!(link(&store, &r, &t1).len(), 1);
    let (l1, _) = link(&store, &r, &t1)[0].clone();
    let (l2, _) = link(&store, &r, &t2)[0].clone();
    let kept_before = stamp(&store, "resident_tags", &l2);

    // Remove t1, keep t2, add t3.
    let mut f = store.get_resident(&r).unwrap();
    f.tag_ids = vec![t2.clone(), t3.clone()];
    store.save_resident(&f).unwrap();
    let removed = stamp(&store, "resident_tags", &l1);
    assert!(removed.deleted, "the removed link is a tombstone");
    assert!(removed.updated_at > removed.created_at);
    assert_eq!(removed.updated_by, store.device_id());
    assert_eq!(
        stamp(&store, "resident_tags", &l2),
        kept_before,
        "the kept link is untouched"
    );
    assert_eq!(link(&store, &r, &t3).len(), 1);
    let mut got = store.get_resident(&r).unwrap().tag_ids;
    got.sort();
    let mut want = vec![t2.clone(), t3.clone()];
    want.sort();
    assert_eq!(got, want);
    let tagged = |t: &String| {
        found(
            &store,
            &ResidentQuery {
                tag_id: Some(t.clone()),
                ..query("")
            },
        )
    };
    assert!(tagged(&t1).is_empty());
    assert_eq!(tagged(&t3), ["王建国"]);
    let counts: Vec<(String, u64)> = store
        .list_tags(CODE)
        .unwrap()
        .into_iter()
        .filter(|t| t.residents > 0)
        .map(|t| (t.name, t.residents))
        .collect();
    assert_eq!(counts.len(), 2);
    assert!(counts.contains(&("残疾人".into(), 1)) && counts.contains(&("党员".into(), 1)));

    // Adding t1 back makes a new link; the tombstone stays.
    let mut f = store.get_resident(&r).unwrap();
    f.tag_ids.push(t1.clone());
    store.save_resident(&f).unwrap();
    let links = link(&store, &r, &t1);
    assert_eq!(links.len(), 2);
    assert_eq!((links[0].0.as_str(), links[0].1), (l1.as_str(), true));
    assert!(!links[1].1 && links[1].0 != l1);
    // Removing all tags tombstones every live link.
    let mut f = store.get_resident(&r).unwrap();
    f.tag_ids.clear();
    store.save_resident(&f).unwrap();
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM resident_tags WHERE deleted = 0"
        ),
        0
    );
    assert_eq!(count(&store, "SELECT count(*) FROM resident_tags"), 4);
    assert_records_well_formed(&store, CODE);
}

#[test]
fn tags_are_created_listed_and_counted() {
    let (mut store, root) = set_up();
    let g = store.create_grid(&root, "第一网格").unwrap();
    let id = store.create_tag(CODE, " 志愿者 ").unwrap();
    assert!(is_uuid_v7(&id));
    has_field_error(store.create_tag(CODE, "志愿者"), "name", "duplicate");
    has_field_error(store.create_tag(CODE, "党员"), "name", "duplicate");
    has_field_error(store.create_tag(CODE, "  "), "name", "required");
    has_field_error(store.create_tag(CODE, &"标".repeat(13)), "name", "too_long");
    is_not_found(store.create_tag("410103008099", "志愿者"), "community");
    let tags = store.list_tags(CODE).unwrap();
    assert_eq!(tags.len(), 11);
    let last = tags.last().unwrap();
    assert_eq!(
        (last.name.as_str(), last.builtin),
        ("志愿者", false),
        "custom tags after the built-in ones"
    );
    let mut f = person("王建国", &id_card("410103", "19500101", 11), "", &g);
    f.tag_ids = vec![id.clone()];
    let r = store.save_resident(&f).unwrap();
    let residents = |s: &Store| {
        s.list_tags(CODE)
            .unwrap()
            .into_iter()
            .find(|t| t.id == id)
            .unwrap()
            .residents
    };
    assert_eq!(residents(&store), 1);
    store.delete_resident(&r).unwrap();
    assert_eq!(residents(&store), 0, "deleted residents are not counted");
}

#[test]
fn deleting_a_resident_leaves_a_tombstone() {
    let (mut store, root) = set_up();
    let g = store.create_grid(&root, "第一网格").unwrap();
    let party = tag_id(&store, "党员");
    let mut f = person("王秀英", "11010519491231002X", "13900005678", &g);
    f.tag_ids = vec![party.clone()];
    let r = store.save_resident(&f).unwrap();
    let keep = store
        .save_resident(&person(
            "王建国",
            &id_card("410103", "19500101", 11),
            "",
            &g,
        ))
        .unwrap();
    let before = stamp(&store, "residents", &r);
    store.delete_resident(&r).unwrap();
    let after = stamp(&store, "residents", &r);
    assert!(after.deleted);
    assert!(after.updated_at > before.updated_at);
    assert_eq!(after.updated_by, store.device_id());
    assert_eq!(
        count(&store, "SELECT count(*) FROM residents"),
        2,
        "the row stays"
    );
    let link_deleted = count(
        &store,
        &format!("SELECT count(*) FROM resident_tags WHERE resident_id = '{r}' AND deleted = 1"),
    );
    assert_eq!(link_deleted, 1, "its tag links are tombstoned too");
    for text in ["王秀英", "5678", "002X", ""] {
        let names = found(&store, &query(text));
        assert!(!names.contains(&"王秀英".to_string()), "{text}: {names:?}");
    }
    let tagged = ResidentQuery {
        tag_id: Some(party),
        ..query("")
    };
    assert!(found(&store, &tagged).is_empty());
    is_not_found(store.get_resident(&r), "resident");
    is_not_found(store.delete_resident(&r), "resident");
    is_not_found(store.delete_resident("no-such-resident"), "resident");
    assert_eq!(node(&store, &g).unwrap().residents, 1);
    assert_eq!(store.get_resident(&keep).unwrap().name, "王建国");
    assert_records_well_formed(&store, CODE);
}

#[test]
fn households_are_saved_and_duplicate_addresses_refused() {
    let (mut store, root) = set_up();
    let a = store.create_grid(&root, "第一网格").unwrap();
    let a1 = store.create_grid(&a, "幸福里").unwrap();
    let a2 = store.create_grid(&a, "和平苑").unwrap();
    let h = store
        .save_household(&household(&a1, " 1号楼 ", "1单元", "101"))
        .unwrap();
    assert!(is_uuid_v7(&h));
    #[rustfmt::skip]
    let cases: [(&str, HouseholdForm, &str, &str); 6] = [
        ("same address", household(&a1, "1号楼", "1单元", "101"), "room", "duplicate"),
        ("same address, padded", household(&a1, "1号楼 ", " 1单元", " 101 "), "room", "duplicate"),
        ("no building", household(&a1, " ", "1单元", "102"), "building", "required"),
        ("no room", household(&a1, "1号楼", "1单元", ""), "room", "required"),
        ("no grid", household("", "1号楼", "1单元", "102"), "grid_id", "required"),
        ("unknown grid", household("no-such-grid", "1号楼", "1单元", "102"), "grid_id", "unknown"),
    ];
    for (what, form, field, code) in cases {
        let errors = field_errors(store.save_household(&form));
        assert_eq!(errors, [(field.to_string(), code.to_string())], "{what}");
    }
    // Another room, another unit, or the same address in another yard are different homes.
    store
        .save_household(&household(&a1, "1号楼", "1单元", "102"))
        .unwrap();
    store
        .save_household(&household(&a1, "1号楼", "2单元", "101"))
        .unwrap();
    store
        .save_household(&household(&a2, "1号楼", "1单元", "101"))
        .unwrap();
    store
        .save_household(&household(&a1, "10号楼", "", "201"))
        .unwrap();
    store
        .save_household(&household(&a1, "2号楼", "", "201"))
        .unwrap();

    let listed: Vec<String> = store
        .list_households(&a1)
        .unwrap()
        .into_iter()
        .map(|h| h.address())
        .collect();
    assert_eq!(
        listed,
        [
            "1号楼1单元101",
            "1号楼1单元102",
            "1号楼2单元101",
            "2号楼201",
            "10号楼201"
        ],
        "natural order"
    );
    assert_eq!(
        store.list_households(&a).unwrap().len(),
        6,
        "sub-grids included"
    );
    assert_eq!(store.list_households(&a2).unwrap().len(), 1);
    assert_eq!(node(&store, &a).unwrap().households, 6);
    assert_eq!(node(&store, &root).unwrap().households, 6);

    // An edit keeps the id; moving onto an existing address is refused.
    let mut edit = household(&a1, "1号楼", "1单元", "102");
    edit.id = h.clone();
    has_field_error(store.save_household(&edit), "room", "duplicate");
    edit.room = "103".into();
    let before = stamp(&store, "households", &h);
    assert_eq!(store.save_household(&edit).unwrap(), h);
    assert!(stamp(&store, "households", &h).updated_at > before.updated_at);
    let mut ghost = edit.clone();
    ghost.id = "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b".into();
    ghost.room = "999".into();
    is_not_found(store.save_household(&ghost), "household");
    assert_records_well_formed(&store, CODE);
}

#[test]
fn a_resident_in_a_household_takes_its_grid() {
    let (mut store, root) = set_up();
    let a = store.create_grid(&root, "第一网格").unwrap();
    let a1 = store.create_grid(&a, "幸福里").unwrap();
    let b = store.create_grid(&root, "第二网格").unwrap();
    let h = store
        .save_household(&household(&a1, "3号楼", "2单元", "501"))
        .unwrap();
    // The form names another grid (or none); the household decides.
    let mut head = person("王建国", &id_card("410103", "19500101", 11), "", &b);
    head.household_id = h.clone();
    head.relation = "户主".into();
    let head = store.save_resident(&head).unwrap();
    let mut spouse = person("王秀英", "11010519491231002X", "", "");
    spouse.household_id = h.clone();
    let spouse = store.save_resident(&spouse).unwrap();
    for r in [&head, &spouse] {
        let f = store.get_resident(r).unwrap();
        assert_eq!(
            (f.grid_id.as_str(), f.household_id.as_str()),
            (a1.as_str(), h.as_str())
        );
    }
    assert_eq!(store.get_resident(&head).unwrap().relation, "户主");
    let in_a1 = ResidentQuery {
        grid_id: Some(a1.clone()),
        ..query("")
    };
    let page = store.search_residents(&in_a1).unwrap();
    assert_eq!(page.total, 2);
    assert!(page
        .rows
        .iter()
        .all(|r| r.address == "3号楼2单元501" && r.grid_name == "幸福里"));
    let listed = store.list_households(&a1).unwrap();
    assert_eq!((listed.len(), listed[0].members), (1, 2));

    // Moving the household moves its members.
    let before = stamp(&store, "residents", &head);
    let mut moved = household(&b, "3号楼", "2单元", "501");
    moved.id = h.clone();
    store.save_household(&moved).unwrap();
    for r in [&head, &spouse] {
        assert_eq!(store.get_resident(r).unwrap().grid_id, b);
    }
    assert!(stamp(&store, "residents", &head).updated_at > before.updated_at);
    assert_eq!(node(&store, &a).unwrap().residents, 0);
    assert_eq!(node(&store, &b).unwrap().residents, 2);
    // A grid with a household is not deletable; the emptied one is.
    assert_eq!(refusal(store.delete_grid(&b)), "grid_has_residents");
    store.delete_grid(&a1).unwrap();
    assert_records_well_formed(&store, CODE);
}

#[test]
fn every_record_has_a_uuid_v7_id_community_code_and_ordered_times() {
    let (mut store, root) = set_up();
    let a = store.create_grid(&root, "第一网格").unwrap();
    let a1 = store.create_grid(&a, "幸福里").unwrap();
    let tag = store.create_tag(CODE, "志愿者").unwrap();
    let staff = store
        .save_staff(&StaffForm {
            community_code: CODE.into(),
            name: "赵丽".into(),
            role: "grid_leader".into(),
            ..StaffForm::default()
        })
        .unwrap();
    store.assign_staff(&a, &staff, "leader").unwrap();
    let h = store
        .save_household(&household(&a1, "1号楼", "1单元", "101"))
        .unwrap();
    let mut f = person(
        "王建国",
        &id_card("410103", "19500101", 11),
        "13800001234",
        &a1,
    );
    f.household_id = h;
    f.tag_ids = vec![tag, tag_id(&store, "党员")];
    let r = store.save_resident(&f).unwrap();
    // Edits and tombstones too.
    let mut f = store.get_resident(&r).unwrap();
    f.tag_ids.pop();
    store.save_resident(&f).unwrap();
    let b = store.create_grid(&root, "第二网格").unwrap();
    store.rename_grid(&b, "第二网格（新）").unwrap();
    store.delete_grid(&b).unwrap();
    let counts = assert_records_well_formed(&store, CODE);
    assert!(counts.iter().all(|(_, n)| *n > 0), "{counts:?}");
    // Updated records have updated_at > created_at.
    for (table, id) in [("grids", &b), ("residents", &r)] {
        let s = stamp(&store, table, id);
        assert!(s.updated_at > s.created_at, "{table}: {s:?}");
    }
    // All stamps are distinct HLC values at the fixed clock's millisecond.
    let mut seen = HashSet::new();
    for table in SHARED_TABLES {
        let mut st = store
            .conn()
            .prepare(&format!("SELECT created_at FROM {table}"))
            .unwrap();
        let times: Vec<i64> = st
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for t in times {
            assert_eq!(hlc_millis(t), NOW);
            // The community and its root grid share one stamp; nothing else does.
            if table != "grids" || t != count(&store, "SELECT created_at FROM communities") {
                assert!(seen.insert(t), "{table}: created_at {t} repeated");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The sample community
// ---------------------------------------------------------------------------------------------

#[test]
fn the_sample_community_loads_at_community_scale() {
    let mut store = memory_store();
    let loaded = store
        .load_sample(&SampleOptions::community(1, NOW))
        .unwrap();
    assert_eq!(loaded.community_code, CODE);
    assert_eq!(loaded.households, 3000);
    assert!(
        (7000..=9500).contains(&loaded.residents),
        "{}",
        loaded.residents
    );
    assert!(store.integrity_ok().unwrap());

    let nodes = tree_nodes(&store);
    assert_eq!(nodes.len(), loaded.grids);
    let level1 = nodes.iter().filter(|n| n.level == 1).count();
    assert!((6..=8).contains(&level1), "{level1} grids");
    let level2 = nodes.iter().filter(|n| n.level == 2).count();
    assert!(
        (level1 * 4..=level1 * 6).contains(&level2),
        "{level2} micro grids"
    );
    assert_eq!(nodes[0].level, 0);
    assert_eq!(nodes[0].households, 3000);
    assert_eq!(nodes[0].residents as usize, loaded.residents);
    assert!(nodes
        .iter()
        .filter(|n| n.level == 1)
        .all(|n| n.leaders.len() == 1));

    let community = &store.communities().unwrap()[0];
    assert_eq!(community.grids as usize, loaded.grids);
    let counts = assert_records_well_formed(&store, CODE);
    assert!(counts.iter().all(|(_, n)| *n > 0), "{counts:?}");
    let tags = store.list_tags(CODE).unwrap();
    assert_eq!(tags.len(), 10);
    assert!(tags.iter().all(|t| t.builtin));
    assert!(tags.iter().map(|t| t.residents).sum::<u64>() > 300);
    let actor = store.actor().unwrap().unwrap();
    assert_eq!(actor.id, loaded.actor_staff_id);
    assert_eq!(actor.role, "community_cadre");
    // The sample's residents, less those who moved out or died (findable by their status).
    let left = store
        .search_residents(&ResidentQuery {
            status: "all".into(),
            ..query("")
        })
        .unwrap()
        .total as usize;
    assert_eq!(left, loaded.residents);
    assert!(store.search_residents(&query("")).unwrap().total as usize + 5 < loaded.residents);

    // A resident from the middle of the ledger is found by name and by ID number tail.
    let (id, name, id_number): (String, String, String) = store
        .conn()
        .query_row(
            "SELECT id, name, id_number FROM residents ORDER BY id LIMIT 1 OFFSET 4321",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let by_name = store.search_residents(&query(&name)).unwrap();
    assert!(by_name.total >= 1);
    assert!(by_name.rows.iter().all(|r| r.name.contains(&name)));
    let mut offset = 0;
    let mut hit = false;
    while !hit && offset < by_name.total as u32 {
        let q = ResidentQuery {
            offset,
            ..query(&name)
        };
        hit = store
            .search_residents(&q)
            .unwrap()
            .rows
            .iter()
            .any(|r| r.id == id);
        offset += 200;
    }
    assert!(hit, "{name} by name");
    let tail = &id_number[14..];
    let by_tail = store.search_residents(&query(tail)).unwrap();
    assert!(
        by_tail.rows.iter().any(|r| r.id == id) || by_tail.total > 200,
        "{tail}"
    );
    let by_whole = store.search_residents(&query(&id_number)).unwrap();
    assert_eq!(
        by_whole
            .rows
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>(),
        [id.as_str()]
    );
    // Sample data are valid data: the resident can be edited and saved as it is.
    let f = store.get_resident(&id).unwrap();
    assert_eq!(store.save_resident(&f).unwrap(), id);
}

/// Nobody in the sample is born after today: every sample resident can be saved again from
/// the edit form as it is.
#[test]
fn sample_residents_are_not_born_in_the_future() {
    let mut store = memory_store();
    store
        .load_sample(&SampleOptions::community(1, NOW))
        .unwrap();
    let today = store.today().to_string();
    assert_eq!(today, "2026-11-18");
    let unborn: Vec<String> = {
        let mut st = store
            .conn()
            .prepare("SELECT id FROM residents WHERE birth_date > ?1 ORDER BY id")
            .unwrap();
        st.query_map([&today], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    for id in unborn.iter().take(3) {
        let f = store.get_resident(id).unwrap();
        assert!(
            store.save_resident(&f).is_ok(),
            "{} born {} cannot be saved: {:?}",
            f.name,
            f.birth_date,
            store.save_resident(&f)
        );
    }
    assert!(
        unborn.is_empty(),
        "{} residents born after {today}",
        unborn.len()
    );
}

// ---------------------------------------------------------------------------------------------
// The protocol path
// ---------------------------------------------------------------------------------------------

fn api_error(reply: gridledger::protocol::Reply) -> ApiError {
    match reply {
        Err(e) => e,
        Ok(r) => panic!("expected an error, got {r:?}"),
    }
}

#[test]
fn protocol_status_reports_office_and_actor() {
    let mut store = memory_store();
    let device = store.device_id().to_string();
    let before = match handle(&mut store, Request::Status, 1.5) {
        Ok(Response::Status(s)) => s,
        other => panic!("{other:?}"),
    };
    assert_eq!(before.office, None);
    assert_eq!(before.actor, None);
    assert_eq!(before.device_id, device);
    assert_eq!(before.schema_version, SCHEMA_VERSION);
    assert!(before.communities.is_empty());

    assert_eq!(
        handle(&mut store, Request::SetupCommunity(community_setup()), 0.0),
        Ok(Response::Done)
    );
    let s = match handle(&mut store, Request::Status, 12.5) {
        Ok(Response::Status(s)) => s,
        other => panic!("{other:?}"),
    };
    let office = s.office.expect("an office");
    assert_eq!(
        (office.kind, office.code.as_str(), office.name.as_str()),
        (OfficeKind::Community, CODE, "永安社区")
    );
    let actor = s.actor.expect("an actor");
    assert_eq!(
        (actor.name.as_str(), actor.role.as_str()),
        ("李淑珍", "community_cadre")
    );
    assert!(is_uuid_v7(&actor.id));
    assert_eq!(s.device_id, device);
    assert_eq!(s.device_name, "社区办公室电脑");
    assert_eq!(s.schema_version, SCHEMA_VERSION);
    assert_eq!(s.open_millis, 12.5);
    assert_eq!(s.communities.len(), 1);
    assert_eq!(s.communities[0].grids, 1);

    // A write through the protocol answers with the new id, readable back.
    let root = root_id(&store);
    let id = match handle(
        &mut store,
        Request::CreateGrid {
            parent_id: root.clone(),
            name: "第一网格".into(),
        },
        0.0,
    ) {
        Ok(Response::Created { id }) => id,
        other => panic!("{other:?}"),
    };
    assert!(is_uuid_v7(&id));
    match handle(
        &mut store,
        Request::GridTree {
            community_code: CODE.into(),
        },
        0.0,
    ) {
        Ok(Response::GridTree(t)) => assert!(t.nodes.iter().any(|n| n.id == id && n.level == 1)),
        other => panic!("{other:?}"),
    }
    let mut f = person("王秀英", "11010519491231002X", "", &id);
    let rid = match handle(&mut store, Request::SaveResident(f.clone()), 0.0) {
        Ok(Response::Created { id }) => id,
        other => panic!("{other:?}"),
    };
    f.id = rid.clone();
    match handle(&mut store, Request::GetResident { id: rid.clone() }, 0.0) {
        Ok(Response::Resident(r)) => assert_eq!((r.name, r.gender), ("王秀英".into(), "F".into())),
        other => panic!("{other:?}"),
    }
    match handle(&mut store, Request::SearchResidents(query("002x")), 0.0) {
        Ok(Response::Residents(p)) => assert_eq!(p.total, 1),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        handle(&mut store, Request::DeleteResident { id: rid }, 0.0),
        Ok(Response::Done)
    );
}

#[test]
fn protocol_errors_carry_codes_and_fields() {
    let mut store = memory_store();
    assert_eq!(
        api_error(handle(
            &mut store,
            Request::GridTree {
                community_code: CODE.into()
            },
            0.0
        ))
        .code,
        "not_found"
    );
    let mut bad = community_setup();
    bad.code = "41010300800".into();
    let e = api_error(handle(&mut store, Request::SetupCommunity(bad), 0.0));
    assert_eq!(
        (e.code.as_str(), e.for_field("code")),
        ("invalid", Some("digits_12"))
    );
    handle(&mut store, Request::SetupCommunity(community_setup()), 0.0).unwrap();
    let root = root_id(&store);
    let grid = store.create_grid(&root, "第一网格").unwrap();
    let micro = store.create_grid(&grid, "幸福里").unwrap();

    let good = id_card("410103", "19800214", 123);
    let mut bad_id = person("王建国", &with_bad_checksum(&good), "12345", &grid);
    bad_id.birth_date = "1980-02-14".into();
    bad_id.gender = "M".into();
    let e = api_error(handle(&mut store, Request::SaveResident(bad_id), 0.0));
    assert_eq!(e.code, "invalid");
    assert_eq!(e.for_field("id_number"), Some("id_checksum"));
    assert_eq!(e.for_field("phone"), Some("phone_format"));
    assert_eq!(e.fields.len(), 2, "{e:?}");
    assert_eq!(count(&store, "SELECT count(*) FROM residents"), 0);

    type Case = (
        &'static str,
        Request,
        &'static str,
        Option<(&'static str, &'static str)>,
    );
    #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        ("empty resident", Request::SaveResident(ResidentForm { community_code: CODE.into(), ..ResidentForm::default() }), "invalid", Some(("name", "required"))),
        ("setup again", Request::SetupCommunity(community_setup()), "already_set_up", None),
        ("sample after setup", Request::LoadSample { seed: 1 }, "already_set_up", None),
        ("delete the root", Request::DeleteGrid { id: root.clone() }, "grid_root_fixed", None),
        ("too deep", Request::CreateGrid { parent_id: micro.clone(), name: "3号楼".into() }, "grid_too_deep", None),
        ("cycle", Request::MoveGrid { id: grid.clone(), new_parent_id: micro.clone() }, "grid_cycle", None),
        ("unknown parent", Request::CreateGrid { parent_id: "nope".into(), name: "第二网格".into() }, "not_found", None),
        ("unknown resident", Request::GetResident { id: "nope".into() }, "not_found", None),
        ("delete unknown resident", Request::DeleteResident { id: "nope".into() }, "not_found", None),
        ("bad duty", Request::AssignStaff { grid_id: grid.clone(), staff_id: "nope".into(), duty: "boss".into() }, "invalid", Some(("duty", "required"))),
        ("empty tag", Request::CreateTag { community_code: CODE.into(), name: " ".into() }, "invalid", Some(("name", "required"))),
        ("bad household", Request::SaveHousehold(household(&grid, "", "", "")), "invalid", Some(("building", "required"))),
        ("unknown grid search", Request::SearchResidents(ResidentQuery { grid_id: Some("nope".into()), ..query("") }), "not_found", None),
        ("unassign unknown", Request::UnassignStaff { link_id: "nope".into() }, "not_found", None),
        ("device without name", Request::SetDevice { device_name: " ".into(), actor_staff_id: None }, "invalid", Some(("device_name", "required"))),
        ("bad level names", Request::SetLevelNames { community_code: CODE.into(), names: vec!["社区".into()] }, "invalid", Some(("level_names", "level_names"))),
    ];
    for (what, req, code, field) in cases {
        let e = api_error(handle(&mut store, req, 0.0));
        assert_eq!(e.code, code, "{what}: {e:?}");
        if let Some((f, c)) = field {
            assert_eq!(e.for_field(f), Some(c), "{what}: {e:?}");
        }
    }
}

#[test]
fn pinyin_initials_find_names_and_follow_renames_and_imports() {
    let (mut store, root) = set_up();
    let g = store.create_grid(&root, "第一网格").unwrap();
    let names = |store: &Store, q: &str| -> Vec<String> {
        store
            .search_residents(&query(q))
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.name)
            .collect()
    };
    let id = store
        .save_resident(&person("张三", &id_card("410103", "19800101", 11), "", &g))
        .unwrap();
    store
        .save_resident(&person(
            "张三丰",
            &id_card("410103", "19800101", 13),
            "",
            &g,
        ))
        .unwrap();
    store
        .save_resident(&person(
            "曾小明",
            &id_card("410103", "19800101", 15),
            "",
            &g,
        ))
        .unwrap();
    assert_eq!(names(&store, "zs"), ["张三", "张三丰"]);
    assert_eq!(names(&store, "ZSF"), ["张三丰"]);
    assert_eq!(names(&store, "zxm"), ["曾小明"], "the surname reading");
    assert!(names(&store, "ls").is_empty());
    // Renamed: the initials follow.
    let mut f = store.get_resident(&id).unwrap();
    f.name = "李四".into();
    store.save_resident(&f).unwrap();
    assert_eq!(names(&store, "ls"), ["李四"]);
    assert_eq!(names(&store, "zs"), ["张三丰"]);
    // A bundle carries no initials: the importing store computes them.
    let b = store
        .export_bundle(&gridledger::storage::bundle::ExportOptions::default())
        .unwrap();
    let mut street = memory_store();
    street
        .setup_street(&gridledger::protocol::StreetSetup {
            name: "建中街街道".into(),
            code: "410103008".into(),
            device_name: "街道".into(),
            actor_name: "王主任".into(),
        })
        .unwrap();
    let parsed = gridledger::domain::bundle::parse(b.to_json().as_bytes()).unwrap();
    street.import_bundle(&parsed, "a", false, "t").unwrap();
    assert_eq!(names(&street, "ls"), ["李四"]);
    // An older database's names get their initials when it is opened.
    let pending: i64 = street
        .conn()
        .query_row(
            "SELECT count(*) FROM residents WHERE name_initials IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pending, 0);
}

/// The one-pass resident search gives the same total and page as counting and paging in SQL,
/// for searches that find a few, many and none, on every page.
#[test]
fn a_search_counted_in_one_pass_agrees_with_count_then_page() {
    let mut s = memory_store();
    let mut o = SampleOptions::community(11, NOW);
    o.households = 400;
    o.cases = 10;
    s.load_sample(&o).unwrap();
    let some: String = s
        .conn()
        .query_row("SELECT name FROM residents ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let surname: String = some.chars().take(1).collect();
    for text in [
        some.as_str(),
        surname.as_str(),
        "zs",
        "w",
        "",
        "13",
        "无此人",
    ] {
        for offset in [0u32, 50, 100, 5_000] {
            let q = ResidentQuery {
                community_code: CODE.into(),
                text: text.into(),
                offset,
                limit: 50,
                ..Default::default()
            };
            let got = s.search_residents(&q).unwrap();
            let (count, page, args) = s.resident_search_sql(&q).unwrap();
            let total: i64 = s
                .conn()
                .query_row(&count, rusqlite::params_from_iter(args.iter()), |r| {
                    r.get(0)
                })
                .unwrap();
            let ids: Vec<String> = s
                .conn()
                .prepare(&page)
                .unwrap()
                .query_map(rusqlite::params_from_iter(args.iter()), |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            assert_eq!(got.total as i64, total, "{text:?} total");
            let got_ids: Vec<String> = got.rows.into_iter().map(|r| r.id).collect();
            assert_eq!(got_ids, ids, "{text:?} at {offset}");
        }
    }
}
