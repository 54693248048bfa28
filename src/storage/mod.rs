//! The only module that knows SQL. It owns the schema and its versioned migrations, stamps
//! every write with an id, a hybrid-logical-clock time and this device's id, keeps deletes as
//! tombstones, and answers the queries the UI needs. The same code runs natively (bundled
//! SQLite, for tests and tools) and in the worker on OPFS.

pub mod bundle;
mod care;
mod cases;
mod dashboard;
pub mod field;
mod grids;
mod hours;
pub mod ledger;
pub mod migrations;
mod office;
mod residents;
mod roster;
pub mod sample;
mod staff;
mod volunteers;
mod wishes;

use crate::domain::date::Date;
use crate::domain::hlc::Hlc;
use crate::domain::id::IdGen;
use crate::protocol::{ApiError, FieldError};
use rusqlite::{Connection, OptionalExtension, Transaction};
use std::fmt;

pub use migrations::SCHEMA_VERSION;

#[derive(Debug)]
pub enum StoreError {
    Sql {
        error: rusqlite::Error,
        context: &'static str,
    },
    /// The database was written by a newer GridLedger than this one.
    TooNew {
        found: u32,
        supported: u32,
    },
    /// Field-level validation problems: (field, problem code).
    Invalid(Vec<(String, String)>),
    /// A rule refused the change (a code such as `grid_has_children`).
    Refused(&'static str),
    NotFound(&'static str),
    NotSetUp,
    AlreadySetUp,
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Sql { error, context } => write!(f, "{context}: {error}"),
            StoreError::TooNew { found, supported } => {
                write!(
                    f,
                    "database schema {found} is newer than this app's {supported}"
                )
            }
            StoreError::Invalid(p) => write!(f, "invalid: {p:?}"),
            StoreError::Refused(c) => write!(f, "refused: {c}"),
            StoreError::NotFound(what) => write!(f, "{what} not found"),
            StoreError::NotSetUp => write!(f, "this office is not set up yet"),
            StoreError::AlreadySetUp => write!(f, "this office is already set up"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError::Sql {
            error,
            context: "sql",
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(fields) => ApiError::invalid(
                fields
                    .into_iter()
                    .map(|(field, code)| FieldError { field, code })
                    .collect(),
            ),
            StoreError::Refused(code) => ApiError::new(code, ""),
            StoreError::NotFound(what) => ApiError::new("not_found", what),
            StoreError::NotSetUp => ApiError::new("not_set_up", ""),
            StoreError::AlreadySetUp => ApiError::new("already_set_up", ""),
            StoreError::TooNew { .. } => ApiError::new("schema_too_new", e.to_string()),
            StoreError::Sql { .. } => ApiError::new("storage", e.to_string()),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The SET clause every local edit of a shared record includes (SQLite reads the old row on
/// the right-hand side): when the version being replaced had already left or reached this
/// device (made elsewhere, or exported), it becomes the new version's base; otherwise the base
/// stays. See `domain::bundle::merge` for how the merge uses it.
macro_rules! rebase {
    () => {
        "base_at = CASE WHEN updated_by != (SELECT value FROM local WHERE key = 'device_id') \
           OR updated_at <= coalesce((SELECT CAST(value AS INTEGER) FROM local WHERE key = 'shared_until'), 0) \
           THEN updated_at ELSE base_at END, "
    };
}
pub(crate) use rebase;

/// Tombstones a live record of a shared table (rows are never removed): how many it marked.
pub(crate) fn tombstone(tx: &Transaction, ctx: &mut Ctx, table: &str, id: &str) -> Result<usize> {
    let t = ctx.stamp();
    Ok(tx.execute(
        &format!(
            concat!(
                "UPDATE {} SET ",
                rebase!(),
                "deleted = 1, updated_at = ?1, updated_by = ?2 WHERE id = ?3 AND deleted = 0"
            ),
            table
        ),
        rusqlite::params![t, ctx.device_id, id],
    )?)
}

pub(crate) fn invalid(field: &str, code: &str) -> StoreError {
    StoreError::Invalid(vec![(field.to_string(), code.to_string())])
}

/// What a write needs besides the connection: the device, its clock and its id source.
pub struct Ctx {
    pub device_id: String,
    clock: Hlc,
    ids: IdGen,
    now: fn() -> i64,
}

impl Ctx {
    /// The next HLC time for a change made here.
    pub fn stamp(&mut self) -> i64 {
        self.clock = Hlc::tick(self.clock, (self.now)());
        self.clock.0
    }
    pub fn new_id(&mut self) -> String {
        let ms = Hlc::tick(self.clock, (self.now)()).millis();
        self.ids.next(ms)
    }
    pub fn today(&self) -> Date {
        // China Standard Time (UTC+8): the offices' calendar day.
        Date::from_millis((self.now)() + 8 * 3_600_000)
    }
    pub fn now_millis(&self) -> i64 {
        (self.now)()
    }
}

pub struct Store {
    conn: Connection,
    ctx: Ctx,
    /// A staged import whose transaction is still open (`bundle::stage_import`).
    held: Option<HeldImport>,
    /// The care list's "who is due", kept until the database changes (`care::DueCache`).
    due_cache: care::DueCache,
}

/// What applying a staged import needs: its report, the clock to go back to, the newest time
/// it saw, and the choice it was made with.
pub(crate) struct HeldImport {
    report: bundle::ImportReport,
    clock_before: Hlc,
    max_time: i64,
    accept_identity: bool,
}

/// SQLite's page cache (KiB). A street's database is hundreds of MB; the default 2 MB page
/// cache rereads the same index pages on every list (through OPFS in the browser). 32 MB,
/// filled only as used.
pub(crate) const CACHE_KIB: i64 = 32 * 1024;
/// The page cache while a bundle is imported. A street's first import writes ~500 MB in one
/// transaction: with 32 MB, pages were written out to OPFS before the transaction ended and
/// read back to build the indexes and settle (in the worker: the staged import 36.7 → 29.4
/// s with 256 MB). Filled only as used: a community's import stays small.
pub(crate) const IMPORT_CACHE_KIB: i64 = 256 * 1024;

impl Store {
    fn set_cache_kib(&self, kib: i64) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -kib)?;
        Ok(())
    }

    /// Opens a store on a connection: foreign keys on, migrations applied, this device's id
    /// made on first open. `now` is the wall clock in milliseconds; `seed` must be random.
    pub fn open(mut conn: Connection, now: fn() -> i64, seed: u64) -> Result<Store> {
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        migrations::apply(&mut conn)?;
        let mut ctx = Ctx {
            device_id: String::new(),
            clock: Hlc::ZERO,
            ids: IdGen::new(seed),
            now,
        };
        let stored = |key: &str| -> Result<Option<String>> {
            Ok(conn
                .query_row("SELECT value FROM local WHERE key = ?1", [key], |r| {
                    r.get(0)
                })
                .optional()?)
        };
        ctx.clock = Hlc(stored("hlc")?.and_then(|v| v.parse().ok()).unwrap_or(0));
        ctx.device_id = match stored("device_id")? {
            Some(id) => id,
            None => {
                let id = ctx.new_id();
                conn.execute(
                    "INSERT INTO local (key, value) VALUES ('device_id', ?1)",
                    [&id],
                )?;
                id
            }
        };
        // Names written before the initials existed (or by an older app) get them now.
        let tx = conn.transaction()?;
        residents::fill_initials(&tx)?;
        tx.commit()?;
        Ok(Store {
            conn,
            ctx,
            held: None,
            due_cache: Default::default(),
        })
    }

    /// An in-memory store, for tests and tools.
    pub fn open_in_memory(now: fn() -> i64, seed: u64) -> Result<Store> {
        Store::open(Connection::open_in_memory()?, now, seed)
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Moves with every change (the clock of the newest one, written here or imported).
    pub fn data_version(&self) -> i64 {
        self.ctx.clock.0
    }

    pub fn device_id(&self) -> &str {
        &self.ctx.device_id
    }

    pub fn today(&self) -> Date {
        self.ctx.today()
    }

    /// The wall clock, ms.
    pub fn now_millis(&self) -> i64 {
        self.ctx.now_millis()
    }

    /// Runs `f` in one transaction (all or nothing) and saves the clock with it.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction, &mut Ctx) -> Result<T>) -> Result<T> {
        // A staged import is rolled back before anything else writes.
        self.release_staged()?;
        let tx = self.conn.transaction()?;
        let out = f(&tx, &mut self.ctx)?;
        residents::fill_initials(&tx)?;
        put_local(&tx, "hlc", &self.ctx.clock.0.to_string())?;
        tx.commit()?;
        Ok(out)
    }

    pub fn local(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM local WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_local(&self, key: &str, value: &str) -> Result<()> {
        put_local(&self.conn, key, value)
    }

    /// `PRAGMA integrity_check` says "ok".
    pub fn integrity_ok(&self) -> Result<bool> {
        let s: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        Ok(s == "ok")
    }
}

/// Sets a value of this device's `local` table (never shared).
pub(crate) fn put_local(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO local (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// The wall clock natively.
#[cfg(not(target_arch = "wasm32"))]
pub fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
