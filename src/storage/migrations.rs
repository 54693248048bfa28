//! Versioned schema migrations, tracked in `PRAGMA user_version`. Append-only: a released
//! migration is never edited; a new one is added at the end, with a fixture database of the
//! previous version under tests/fixtures and a test that it migrates.

use super::{Result, StoreError};
use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_phone_digits.sql"),
    include_str!("migrations/0003_bundles.sql"),
    include_str!("migrations/0004_cases.sql"),
    include_str!("migrations/0005_photos_calendar.sql"),
    include_str!("migrations/0006_volunteers.sql"),
    include_str!("migrations/0007_roster.sql"),
    include_str!("migrations/0008_hours.sql"),
    include_str!("migrations/0009_wishes.sql"),
    include_str!("migrations/0010_name_initials.sql"),
    include_str!("migrations/0011_care.sql"),
    include_str!("migrations/0012_street_reads.sql"),
    include_str!("migrations/0013_household_counts.sql"),
    include_str!("migrations/0014_import_checksum.sql"),
    include_str!("migrations/0015_care_due_snapshot.sql"),
    include_str!("migrations/0016_initials_cover.sql"),
];

pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// The page size of a new database (bytes); see [`apply`].
pub const PAGE_SIZE: i64 = 16384;

pub fn version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Brings the database up to [`SCHEMA_VERSION`], each step in its own transaction.
pub fn apply(conn: &mut Connection) -> Result<u32> {
    let found = version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == 0 {
        // A new database gets 16 KiB pages (SQLite's default is 4 KiB): in the browser every
        // page read is one call from wasm through JavaScript into OPFS, and a street's first
        // dashboard read ~30,000 pages of 4 KiB but ~8,000 of 16 KiB (the same bytes, a
        // quarter of the calls). A file that already holds pages keeps its size (only VACUUM
        // could change it).
        let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        if pages == 0 {
            conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        }
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql).map_err(|error| StoreError::Sql {
            error,
            context: "migration",
        })?;
        tx.pragma_update(None, "user_version", (i + 1) as u32)?;
        tx.commit()?;
    }
    Ok(SCHEMA_VERSION)
}
