//! Bundles in and out of the database: export (whole community, one grid's subtree, or only
//! what changed since the last export), the import preview (the real import, rolled back) and
//! the import itself (one transaction). The rules are `domain::bundle`; this file is their SQL.

use super::{put_local, Result, Store, StoreError};
use crate::domain::bundle::merge::{self, Conflict, ConflictKind, IdentityClash, Local, Stored};
use crate::domain::bundle::skim::{skim, Skimmed};
use crate::domain::bundle::tables::{self, mask_value, Kind, TableSpec, TABLES};
use crate::domain::bundle::{
    id_of, int, text, Bundle, Declared, FieldScope, Hashed, Record, Scope, Source, FORMAT,
};
use crate::domain::grid::Tree;
use crate::domain::hlc::Hlc;
use crate::protocol::{Office, OfficeKind};
use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};

pub use crate::protocol::{ExportLogRow, ExportOptions, ImportReport};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Do it, report, roll back.
    Preview,
    /// Do it, report, keep the transaction open (a staged import).
    Hold,
    /// Do it and commit.
    Commit,
}

/// The end of an applied import, inside its transaction: the identity check, the clock,
/// the import log.
#[allow(clippy::too_many_arguments)]
fn finish_import(
    tx: &Connection,
    ctx: &mut super::Ctx,
    mut report: ImportReport,
    bundle: &Bundle,
    file_name: &str,
    actor: &str,
    max_time: i64,
) -> Result<ImportReport> {
    if !report.identity.is_empty() {
        return Err(StoreError::Refused("identity_conflict"));
    }
    // The clock never falls behind a time it has seen.
    ctx.clock = Hlc::observe(ctx.clock, Hlc(max_time));
    report.applied = true;
    let id = ctx.new_id();
    let at = ctx.stamp();
    tx.execute(
        "INSERT INTO import_log (id, at, wall_millis, actor, file_name, source_kind, source_code, source_name,
                                 source_device, sequence, after_sequence, exported_at, report, bundle_checksum)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, NULLIF(?14, ''))",
        params![
            id,
            at,
            ctx.now_millis(),
            actor,
            file_name,
            bundle.source.kind,
            bundle.source.code,
            bundle.source.name,
            bundle.device,
            bundle.sequence as i64,
            bundle.scope.after_sequence.map(|s| s as i64),
            bundle.exported_at,
            serde_json::to_string(&report).unwrap_or_default(),
            bundle.checksum,
        ],
    )?;
    put_local(tx, "hlc", &ctx.clock.0.to_string())?;
    Ok(report)
}

/// Conflicts listed in a report (all are counted).
pub const MAX_LISTED: usize = 500;

fn columns(spec: &TableSpec) -> Vec<&'static str> {
    spec.all_columns().map(|c| c.name).collect()
}

/// `SELECT` list of a table, reading the winning tombstone of a kept record as deleted.
fn select_list(spec: &TableSpec) -> String {
    spec.all_columns()
        .map(|c| {
            if c.name == "deleted" {
                "(deleted OR revived)".to_string()
            } else {
                c.name.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn row_to_record(spec: &TableSpec, row: &Row) -> rusqlite::Result<Record> {
    let mut r = Record::with_capacity(spec.all_columns().count());
    for (i, c) in spec.all_columns().enumerate() {
        let v = match c.kind {
            Kind::Text => Value::String(row.get::<_, String>(i)?),
            Kind::OptText => row
                .get::<_, Option<String>>(i)?
                .map(Value::String)
                .unwrap_or(Value::Null),
            Kind::Int => Value::from(row.get::<_, i64>(i)?),
            Kind::OptInt => row
                .get::<_, Option<i64>>(i)?
                .map(Value::from)
                .unwrap_or(Value::Null),
            Kind::Bool => Value::Bool(row.get::<_, i64>(i)? != 0),
            Kind::Bytes => {
                use base64::Engine;
                Value::String(
                    base64::engine::general_purpose::STANDARD.encode(row.get::<_, Vec<u8>>(i)?),
                )
            }
        };
        r.insert_column(c.name, v);
    }
    Ok(r)
}

/// One statement per shared table, made by `make` the first time any is asked for.
type SqlByTable = std::sync::OnceLock<std::collections::HashMap<&'static str, String>>;

fn table_sql(
    cache: &'static SqlByTable,
    spec: &TableSpec,
    make: fn(&TableSpec) -> String,
) -> &'static str {
    cache
        .get_or_init(|| TABLES.iter().map(|t| (t.name, make(t))).collect())
        .get(spec.name)
        .map(String::as_str)
        .unwrap_or_default()
}

/// `SELECT ... WHERE id = ?1` of every shared table, made once (the planner reads one record
/// per incoming record it has not found unchanged).
fn get_sql(spec: &TableSpec) -> &'static str {
    static SQL: SqlByTable = SqlByTable::new();
    table_sql(&SQL, spec, |t| {
        format!("SELECT {} FROM {} WHERE id = ?1", select_list(t), t.name)
    })
}

fn get_record(conn: &Connection, spec: &TableSpec, id: &str) -> Result<Option<Record>> {
    Ok(conn
        .prepare_cached(get_sql(spec))?
        .query_row([id], |r| row_to_record(spec, r))
        .optional()?)
}

/// `SELECT` of a record's [`Stored`] in every shared table, made once (the planner reads one
/// per incoming record: a street's import reads ~950,000).
fn stored_sql(spec: &TableSpec) -> &'static str {
    static SQL: SqlByTable = SqlByTable::new();
    table_sql(&SQL, spec, |t| {
        let masked: Vec<String> = t
            .columns
            .iter()
            .filter(|c| c.mask.is_some())
            .map(|c| format!("ifnull({}, '')", c.name))
            .collect();
        let masked = if masked.is_empty() {
            "0".to_string()
        } else {
            format!("instr({}, '*') > 0", masked.join(" || "))
        };
        format!(
            "SELECT updated_at, updated_by, {masked} FROM {} WHERE id = ?1",
            t.name
        )
    })
}

/// The database as the merge planner sees it. A failed read is kept (the planner's interface
/// has no errors) and ends the import before anything is written.
struct SqlLocal<'a>(&'a Connection, std::cell::RefCell<Option<StoreError>>);

impl SqlLocal<'_> {
    fn keep<T>(&self, r: Result<Option<T>>) -> Option<T> {
        match r {
            Ok(v) => v,
            Err(e) => {
                self.1.borrow_mut().get_or_insert(e);
                None
            }
        }
    }
}

impl Local for SqlLocal<'_> {
    fn get(&self, table: &str, id: &str) -> Option<Record> {
        let spec = tables::table(table)?;
        self.keep(get_record(self.0, spec, id))
    }
    fn stored(&self, table: &str, id: &str) -> Option<Stored> {
        let spec = tables::table(table)?;
        let read = || -> Result<Option<Stored>> {
            Ok(self
                .0
                .prepare_cached(stored_sql(spec))?
                .query_row([id], |r| {
                    Ok(Stored {
                        updated_at: r.get(0)?,
                        updated_by: r.get(1)?,
                        masked: r.get(2)?,
                    })
                })
                .optional()?)
        };
        self.keep(read())
    }
    fn community(&self, code: &str) -> Option<Record> {
        let spec = tables::table("communities")?;
        let sql = format!(
            "SELECT {} FROM communities WHERE community_code = ?1",
            select_list(spec)
        );
        self.keep(
            self.0
                .query_row(&sql, [code], |r| row_to_record(spec, r))
                .optional()
                .map_err(StoreError::from),
        )
    }
}

/// One bundle value as SQLite stores it, borrowing the record's text.
fn to_sql(kind: Kind, v: &Value) -> ToSqlOutput<'_> {
    if kind == Kind::Bytes {
        use base64::Engine;
        // Checked on parse (`check::record`): a bundle's bytes are valid base64.
        let s = v.as_str().unwrap_or_default();
        return ToSqlOutput::Owned(SqlValue::Blob(
            base64::engine::general_purpose::STANDARD
                .decode(s)
                .unwrap_or_default(),
        ));
    }
    match v {
        Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
        Value::Bool(b) => ToSqlOutput::Owned(SqlValue::Integer(*b as i64)),
        Value::Number(n) => ToSqlOutput::Owned(SqlValue::Integer(n.as_i64().unwrap_or(0))),
        Value::String(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        other => ToSqlOutput::Owned(SqlValue::Text(other.to_string())),
    }
}

/// The columns a table's rows are written with: the bundle's, then the search keys the
/// residents table keeps beside the values (migrations 1, 2 and 10: reversed ID number and
/// phone, pinyin initials; written with the row rather than filled after the writes, which
/// cost a street's import an update of 200,000 rows), then `revived`.
pub fn write_columns(spec: &TableSpec) -> Vec<&'static str> {
    let mut cols = columns(spec);
    if spec.name == "residents" {
        cols.extend(["id_rev", "phone_rev", "name_initials"]);
    }
    cols.push("revived");
    cols
}

/// A record's values in the order of [`write_columns`].
pub fn write_values<'a>(spec: &TableSpec, r: &'a Record) -> Vec<ToSqlOutput<'a>> {
    let mut values: Vec<ToSqlOutput<'a>> = spec
        .all_columns()
        .map(|c| to_sql(c.kind, r.get(c.name).unwrap_or(&Value::Null)))
        .collect();
    if spec.name == "residents" {
        let opt =
            |v: Option<String>| ToSqlOutput::Owned(v.map(SqlValue::Text).unwrap_or(SqlValue::Null));
        values.push(opt(text(r, "id_number").map(super::residents::reversed)));
        values.push(opt(text(r, "phone").map(super::residents::phone_key)));
        values.push(opt(text(r, "name").map(crate::domain::pinyin::initials)));
    }
    values.push(ToSqlOutput::Owned(SqlValue::Integer(0)));
    values
}

/// The insert statement of a table's rows into a table that was empty: made once a table,
/// prepared once.
fn insert_sql(spec: &TableSpec) -> String {
    let cols = write_columns(spec);
    let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO {} ({}) VALUES ({})",
        spec.name,
        cols.join(", "),
        marks.join(", ")
    )
}

/// The insert-or-update statement of a table's rows. SQLite gives each such statement a
/// statement journal (it may abort after changing rows), which copies every page the row
/// touches that the transaction had already changed: a street's first import spent half its
/// writing time there. So a table empty before the import gets [`insert_sql`] instead.
fn upsert_sql(spec: &TableSpec) -> String {
    let sets: Vec<String> = write_columns(spec)
        .iter()
        .filter(|c| **c != "id")
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "{} ON CONFLICT (id) DO UPDATE SET {}",
        insert_sql(spec),
        sets.join(", ")
    )
}

/// How many rows a table must receive for its indexes to be built after the writes rather than
/// kept up to date by them.
const REBUILD_FROM: usize = 5000;

/// The tables an import fills from empty (a street's first import, a restore), which are
/// written with plain inserts (see [`upsert_sql`]; a bundle's ids are unique in each table,
/// checked when it was read; communities excepted, where two set-ups of one community become
/// one row). Those that receive many rows are written without their secondary indexes: they are
/// dropped here and made again from the CREATE INDEX statements returned, after the writes and
/// in the same transaction, so each is one sort instead of a B-tree insert per row (a street's
/// 199,000 residents carry 15 indexes).
fn prepare_empty_tables(
    tx: &Connection,
    writes: &[(&'static str, std::borrow::Cow<'_, Record>)],
) -> Result<(BTreeSet<&'static str>, Vec<String>)> {
    let mut per_table: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (t, _) in writes {
        *per_table.entry(t).or_default() += 1;
    }
    let mut empty_tables = BTreeSet::new();
    let mut rebuild = Vec::new();
    for (t, n) in per_table {
        let empty: bool =
            tx.query_row(&format!("SELECT NOT EXISTS (SELECT 1 FROM {t})"), [], |r| {
                r.get(0)
            })?;
        if !empty {
            continue;
        }
        if t != "communities" {
            empty_tables.insert(t);
        }
        if n < REBUILD_FROM {
            continue;
        }
        let indexes: Vec<(String, String)> = tx
            .prepare(
                "SELECT name, sql FROM sqlite_master
                 WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY name",
            )?
            .query_map([t], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (name, sql) in indexes {
            tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            rebuild.push(sql);
        }
    }
    Ok((empty_tables, rebuild))
}

/// "Is any live record pointing at t.id?" for every child table of `spec`.
fn live_child_exists(spec: &TableSpec) -> Option<String> {
    let parts: Vec<String> = spec
        .children()
        .filter(|(_, p)| p.keeps)
        .map(|(child, p)| {
            format!(
                "EXISTS (SELECT 1 FROM {c} k WHERE k.{col} = t.id AND k.deleted = 0)",
                c = child.name,
                col = p.column
            )
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" OR "))
}

/// Keeps every record that live records point at, and lets a kept record go once nothing
/// points at it any more. A function of the merged versions only, so the order of imports
/// does not matter. Returns the records newly kept.
fn settle(conn: &Connection) -> Result<Vec<(&'static str, String)>> {
    let mut kept = Vec::new();
    loop {
        let mut changed = 0;
        for spec in TABLES.iter().rev() {
            let Some(live) = live_child_exists(spec) else {
                continue;
            };
            let ids: Vec<String> = conn
                .prepare(&format!(
                    "SELECT id FROM {} t WHERE t.deleted = 1 AND ({live})",
                    spec.name
                ))?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in &ids {
                conn.execute(
                    &format!(
                        "UPDATE {} SET deleted = 0, revived = 1 WHERE id = ?1",
                        spec.name
                    ),
                    [id],
                )?;
                kept.push((spec.name, id.clone()));
            }
            changed += ids.len();
            changed += conn.execute(
                &format!(
                    "UPDATE {t} SET deleted = 1, revived = 0 WHERE id IN
                       (SELECT id FROM {t} t WHERE t.revived = 1 AND NOT ({live}))",
                    t = spec.name
                ),
                [],
            )?;
        }
        if changed == 0 {
            break;
        }
    }
    Ok(kept)
}

impl Store {
    fn next_local_counter(&self, key: &str) -> Result<u64> {
        let n = self
            .local(key)?
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
            + 1;
        self.set_local(key, &n.to_string())?;
        Ok(n)
    }

    /// Exports a bundle and logs the export. The bundle is sealed (sorted, counted, checksummed).
    pub fn export_bundle(&mut self, opts: &ExportOptions) -> Result<Bundle> {
        Ok(self.export_bundle_counted(opts)?.0)
    }

    /// [`Store::export_bundle`], also saying how many photos the size cap left out.
    pub fn export_bundle_counted(&mut self, opts: &ExportOptions) -> Result<(Bundle, u64)> {
        let office = self.office()?.ok_or(StoreError::NotSetUp)?;
        let field = match &opts.field_staff_id {
            Some(id) => Some(self.field_selection(id)?),
            None => None,
        };
        // A phone in field mode names the worker it works for in what it exports: its return
        // bundle (送回), and its backup, which then sets a phone up in field mode again.
        let phone: Option<FieldScope> = if field.is_some() {
            None
        } else {
            self.field_info()?.map(|info| FieldScope {
                staff_id: info.staff_id,
                staff_name: info.staff_name,
                grid_ids: Vec::new(),
                grid_names: info.grid_names,
                returning: opts.returning,
            })
        };
        let returning = opts.returning;
        if returning && phone.is_none() {
            return Err(StoreError::Refused("field_not_field_device"));
        }
        let mut communities: Vec<String> = if let Some(f) = &field {
            vec![f.community.clone()]
        } else if opts.communities.is_empty() {
            let mut st = self
                .conn
                .prepare("SELECT community_code FROM communities WHERE deleted = 0 ORDER BY 1")?;
            let v = st
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            v
        } else {
            opts.communities.clone()
        };
        communities.sort();
        communities.dedup();
        if communities.is_empty() {
            return Err(StoreError::Refused("nothing_to_export"));
        }
        for c in &communities {
            let exists: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM communities WHERE community_code = ?1)",
                [c],
                |r| r.get(0),
            )?;
            if !exists {
                return Err(StoreError::NotFound("community"));
            }
        }
        let field_dest: String;
        let dest = if returning {
            super::field::RETURN_DESTINATION
        } else if let Some(f) = &field {
            // Incremental field bundles count from the last one for the same worker.
            field_dest = format!("field:{}", f.scope.staff_id);
            field_dest.as_str()
        } else if opts.destination.is_empty() {
            "street"
        } else {
            opts.destination.as_str()
        };
        let since_key = format!("last_export_at:{dest}");
        let seq_key = format!("last_export_seq:{dest}");
        let (since, after_sequence) = if opts.incremental {
            (
                self.local(&since_key)?.and_then(|v| v.parse::<i64>().ok()),
                self.local(&seq_key)?.and_then(|v| v.parse::<u64>().ok()),
            )
        } else {
            (None, None)
        };

        // The grids in scope: one subtree, or all of the communities'.
        let grid_scope: Option<HashSet<String>> = match &opts.grid_id {
            _ if field.is_some() => field.as_ref().map(|f| f.grids.clone()),
            Some(g) => {
                let code = self.grid_community(g)?;
                if !communities.contains(&code) {
                    return Err(StoreError::Refused("grid_outside_scope"));
                }
                let nodes = self.grid_nodes(&code)?;
                Some(
                    Tree::new(&nodes)
                        .subtree(g)
                        .into_iter()
                        .map(String::from)
                        .collect(),
                )
            }
            None => None,
        };

        let mut tables_out: BTreeMap<String, Vec<Record>> = BTreeMap::new();
        let mut picked: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
        let placeholders = vec!["?"; communities.len()].join(", ");
        for spec in TABLES {
            if matches!(spec.name, "case_photos" | "wish_photos") && !opts.photos {
                continue;
            }
            let sql = format!(
                "SELECT {} FROM {} WHERE community_code IN ({placeholders}) ORDER BY id",
                select_list(spec),
                spec.name
            );
            let mut st = self.conn.prepare(&sql)?;
            let rows = st.query_map(rusqlite::params_from_iter(communities.iter()), |r| {
                row_to_record(spec, r)
            })?;
            let out = tables_out.entry(spec.name.to_string()).or_default();
            for r in rows {
                let r = r?;
                // A field bundle: the worker's open cases wherever they are, their shifts.
                let field_pick = field.as_ref().and_then(|f| match spec.name {
                    "cases" => Some(f.cases.contains(id_of(&r))),
                    "shifts" => Some(f.shifts.contains(id_of(&r))),
                    _ => None,
                });
                if field_pick == Some(false) {
                    continue;
                }
                if let (Some(grids), None) = (&grid_scope, field_pick) {
                    if !in_grid_scope(spec, &r, grids, &picked) {
                        continue;
                    }
                }
                picked
                    .entry(spec.name)
                    .or_default()
                    .insert(id_of(&r).to_string());
                out.push(r);
            }
        }
        if grid_scope.is_some() && field.is_none() {
            prune_unlinked_staff(&mut tables_out);
        }
        // A grid subtree also needs its ancestors (the path from the community down).
        let tops: Vec<String> = match (&field, &opts.grid_id) {
            (Some(f), _) => f.scope.grid_ids.clone(),
            (None, Some(g)) => vec![g.clone()],
            (None, None) => Vec::new(),
        };
        for g in &tops {
            let mut need = self.grid_ancestors(g)?;
            // Two grids of one worker share their ancestors: each goes in once.
            let have = picked.entry("grids").or_default();
            need.retain(|id| have.insert(id.clone()));
            let spec = tables::table("grids").expect("grids");
            for id in need {
                if let Some(r) = get_record(&self.conn, spec, &id)? {
                    tables_out.entry("grids".into()).or_default().push(r);
                }
            }
        }
        if grid_scope.is_some() {
            // A wish claimed by a volunteer from outside the subtree brings the claimer's record.
            close_over_parents(&self.conn, &mut tables_out)?;
        }
        if since.is_some() || returning {
            // Only what changed (a return bundle: what changed on this device), then the
            // parents those records need, recursively.
            let here = self.ctx.device_id.clone();
            for records in tables_out.values_mut() {
                records.retain(|r| {
                    since.is_none_or(|s| int(r, "updated_at") > s)
                        && (!returning || text(r, "updated_by") == Some(here.as_str()))
                });
            }
            close_over_parents(&self.conn, &mut tables_out)?;
            // The community record always travels: every record needs it.
            let cs = tables::table("communities").expect("communities");
            let have: HashSet<String> = tables_out
                .get("communities")
                .map(|v| v.iter().map(|r| id_of(r).to_string()).collect())
                .unwrap_or_default();
            for c in &communities {
                let id: String = self.conn.query_row(
                    "SELECT id FROM communities WHERE community_code = ?1",
                    [c],
                    |r| r.get(0),
                )?;
                if !have.contains(&id) {
                    if let Some(r) = get_record(&self.conn, cs, &id)? {
                        tables_out.entry("communities".into()).or_default().push(r);
                    }
                }
            }
        }
        // Photos within the cap, oldest first (ids are time-ordered); case photos, then the
        // micro-wishes' photos, share one cap.
        let mut photos_left_out = 0u64;
        let cap_mb = if opts.photo_cap_mb == 0 {
            crate::domain::photo::DEFAULT_BUNDLE_CAP_MB
        } else {
            opts.photo_cap_mb
        };
        let mut left = cap_mb as i64 * 1_000_000;
        for t in ["case_photos", "wish_photos"] {
            let Some(photos) = tables_out.get_mut(t) else {
                continue;
            };
            let before = photos.len();
            photos.retain(|r| {
                let size = int(r, "size");
                if size <= left {
                    left -= size;
                    true
                } else {
                    left = -1;
                    false
                }
            });
            photos_left_out += (before - photos.len()) as u64;
        }
        // Masking (a field bundle has its own profile, below).
        let asked = if field.is_some() {
            BTreeMap::new()
        } else {
            opts.mask.clone()
        };
        for (t, cols) in &asked {
            let spec = tables::table(t).ok_or(StoreError::Refused("unknown_table"))?;
            for c in cols {
                let col = spec
                    .column(c)
                    .ok_or(StoreError::Refused("unknown_column"))?;
                let Some(m) = col.mask else {
                    return Err(StoreError::Refused("column_not_maskable"));
                };
                for r in tables_out.get_mut(t).into_iter().flatten() {
                    if let Some(v) = text(r, c).map(String::from) {
                        if !tables::is_masked(&v) && !v.is_empty() {
                            r.insert(c.clone(), Value::String(mask_value(m, &v)));
                        }
                    }
                }
            }
        }
        // A field bundle: ID numbers and phones of people the worker does not care for, in
        // every table that holds a resident's phone. The reporters of the cases dispatched to
        // the worker keep theirs: handling a case means calling its reporter back.
        if let Some(f) = &field {
            // (table, the column naming the resident, the columns to mask)
            const PERSONAL: &[(&str, &str, &[&str])] = &[
                ("residents", "id", &["id_number", "phone"]),
                ("volunteers", "resident_id", &["phone"]),
                ("wishes", "resident_id", &["wisher_phone"]),
                ("party_members", "resident_id", &["phone"]),
                ("cases", "reporter_id", &["reporter_phone"]),
            ];
            for (t, who, cols) in PERSONAL {
                let spec = tables::table(t).expect("a shared table");
                for r in tables_out.get_mut(*t).into_iter().flatten() {
                    let person = if *who == "id" {
                        Some(id_of(r))
                    } else {
                        text(r, who)
                    };
                    if person.is_some_and(|p| f.unmasked.contains(p))
                        || (*t == "cases" && f.cases.contains(id_of(r)))
                    {
                        continue;
                    }
                    for c in *cols {
                        let m = spec.column(c).and_then(|c| c.mask).expect("maskable");
                        if let Some(v) = text(r, c).map(String::from) {
                            if !tables::is_masked(&v) && !v.is_empty() {
                                r.insert(c, Value::String(mask_value(m, &v)));
                            }
                        }
                    }
                }
            }
        }
        tables_out.retain(|_, v| !v.is_empty());
        // The masked columns: those asked for, and any that hold a masked value (a field
        // profile, a phone sending back records it only ever saw masked).
        let mut masked: BTreeMap<String, Vec<String>> = asked
            .iter()
            .filter(|(_, c)| !c.is_empty())
            .map(|(t, c)| (t.clone(), c.clone()))
            .collect();
        for (t, records) in &tables_out {
            let Some(spec) = tables::table(t) else {
                continue;
            };
            for c in spec.columns.iter().filter(|c| c.mask.is_some()) {
                if records
                    .iter()
                    .any(|r| text(r, c.name).is_some_and(tables::is_masked))
                {
                    let cols = masked.entry(t.clone()).or_default();
                    if !cols.iter().any(|x| x == c.name) {
                        cols.push(c.name.to_string());
                    }
                }
            }
        }

        let source = match office.kind {
            OfficeKind::Community => Source {
                kind: "community".into(),
                code: office.code.clone(),
                name: office.name.clone(),
            },
            OfficeKind::Street => Source {
                kind: "street".into(),
                code: office.code.clone(),
                name: office.name.clone(),
            },
        };
        let device_id = self.ctx.device_id.clone();
        let sequence = self.next_local_counter("export_sequence")?;
        let (exported_at, wall) = self.write(|_, ctx| Ok((ctx.stamp(), ctx.now_millis())))?;
        let mut bundle = Bundle {
            format: FORMAT.into(),
            version: crate::domain::bundle::VERSION,
            exported_at,
            device: device_id.clone(),
            device_name: opts.device_name.clone(),
            actor: opts.actor.clone(),
            sequence,
            source,
            scope: Scope {
                communities: communities.clone(),
                grid_id: opts.grid_id.clone().filter(|_| field.is_none()),
                since,
                after_sequence,
                field: field.map(|f| f.scope).or(phone),
            },
            masked,
            counts: BTreeMap::new(),
            checksum: String::new(),
            tables: tables_out,
            read_version: 0,
        };
        bundle.seal();
        let records = bundle.record_count();
        let scope_json = serde_json::to_string(&bundle.scope).unwrap_or_default();
        let masked_json = serde_json::to_string(&bundle.masked).unwrap_or_default();
        self.write(|tx, ctx| {
            let id = ctx.new_id();
            tx.execute(
                "INSERT INTO export_log (id, at, wall_millis, actor, device, sequence, destination, scope,
                                         masked, encrypted, file_name, records)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    id,
                    exported_at,
                    wall,
                    opts.actor,
                    device_id,
                    sequence as i64,
                    dest,
                    scope_json,
                    masked_json,
                    opts.encrypted,
                    opts.file_name,
                    records as i64
                ],
            )?;
            for (k, v) in [
                ("shared_until".to_string(), exported_at.to_string()),
                (since_key.clone(), exported_at.to_string()),
                (seq_key.clone(), sequence.to_string()),
            ] {
                // A return bundle counts as sent once the phone has handed it on
                // (`Store::field_sent`), not when it is made.
                if returning && k == since_key {
                    continue;
                }
                put_local(tx, &k, &v)?;
            }
            Ok(())
        })?;
        Ok((bundle, photos_left_out))
    }

    fn grid_ancestors(&self, id: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut cur: Option<String> = self
            .conn
            .query_row("SELECT parent_id FROM grids WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .flatten();
        while let Some(p) = cur {
            if out.contains(&p) {
                break;
            }
            out.push(p.clone());
            cur = self
                .conn
                .query_row("SELECT parent_id FROM grids WHERE id = ?1", [&p], |r| {
                    r.get(0)
                })
                .optional()?
                .flatten();
        }
        Ok(out)
    }

    /// What importing `bundle` would do, computed by doing it and rolling back.
    pub fn preview_import(
        &mut self,
        bundle: &Bundle,
        file_name: &str,
        accept_identity: bool,
    ) -> Result<ImportReport> {
        self.import_with(
            bundle,
            file_name,
            accept_identity,
            false,
            "",
            &mut |_, _, _| {},
        )
    }

    /// Imports `bundle` in one transaction: all of it or, on any error, nothing.
    pub fn import_bundle(
        &mut self,
        bundle: &Bundle,
        file_name: &str,
        accept_identity: bool,
        actor: &str,
    ) -> Result<ImportReport> {
        let report = self.import_with(
            bundle,
            file_name,
            accept_identity,
            true,
            actor,
            &mut |_, _, _| {},
        )?;
        self.field_bundle_imported(bundle)?;
        Ok(report)
    }

    /// The import (`commit`) or its preview, telling `progress(stage, done, total)` as it goes
    /// (stages "plan", "write", "settle").
    pub fn import_with(
        &mut self,
        bundle: &Bundle,
        file_name: &str,
        accept_identity: bool,
        commit: bool,
        actor: &str,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<ImportReport> {
        let mode = if commit { Mode::Commit } else { Mode::Preview };
        self.import_inner(bundle, file_name, accept_identity, mode, actor, progress)
    }

    /// The preview of an import that the person will most likely apply: the import is done
    /// and its transaction left open, so that [`Store::apply_staged`] only has to commit it
    /// (a street bundle is not written twice). Anything else this store does first must call
    /// [`Store::release_staged`], which rolls it back (the worker does so before every other
    /// request; `write` does too).
    pub fn stage_import(
        &mut self,
        bundle: &Bundle,
        file_name: &str,
        accept_identity: bool,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<ImportReport> {
        self.release_staged()?;
        self.import_inner(bundle, file_name, accept_identity, Mode::Hold, "", progress)
    }

    /// Applies the bundle staged by [`Store::stage_import`]: commits its open transaction
    /// when nothing came between and the choice is the same, otherwise imports again.
    pub fn apply_staged(
        &mut self,
        bundle: &Bundle,
        file_name: &str,
        accept_identity: bool,
        actor: &str,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<ImportReport> {
        if !self.can_commit_staged(accept_identity) {
            self.release_staged()?;
            let report =
                self.import_with(bundle, file_name, accept_identity, true, actor, progress)?;
            self.field_bundle_imported(bundle)?;
            return Ok(report);
        }
        match self.held.take() {
            Some(h) => {
                progress("commit", 0, 0);
                let report = h.report.clone();
                let done = finish_import(
                    &self.conn,
                    &mut self.ctx,
                    report,
                    bundle,
                    file_name,
                    actor,
                    h.max_time,
                );
                let done = match done {
                    Ok(report) => {
                        self.conn.execute_batch("COMMIT")?;
                        self.field_bundle_imported(bundle)?;
                        Ok(report)
                    }
                    Err(e) => {
                        self.conn.execute_batch("ROLLBACK")?;
                        self.ctx.clock = h.clock_before;
                        Err(e)
                    }
                };
                self.set_cache_kib(super::CACHE_KIB)?;
                done
            }
            None => unreachable!("checked by can_commit_staged"),
        }
    }

    /// Whether [`Store::apply_staged`] with this choice only commits the staged import (else
    /// it imports its bundle again).
    pub fn can_commit_staged(&self, accept_identity: bool) -> bool {
        self.held
            .as_ref()
            .is_some_and(|h| h.accept_identity == accept_identity && h.report.identity.is_empty())
    }

    /// [`Store::stage_import`] of a plain bundle file whose every record this database holds
    /// in the same version (the same records in another export): recognised by skimming the
    /// file ([`skim`]), not parsing its records. `None` when it is not such a file: read it
    /// whole and stage that. `Some` holds the preview and the bundle's header (no records),
    /// which [`Store::apply_staged`] commits when [`Store::can_commit_staged`].
    pub fn stage_unchanged(
        &mut self,
        bytes: &[u8],
        hashed: Option<&Hashed>,
        file_name: &str,
        accept_identity: bool,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<Option<(ImportReport, Bundle)>> {
        self.release_staged()?;
        if self.office()?.is_none() {
            return Ok(None);
        }
        // The lookups are the planner's, with its larger page cache, in one read transaction
        // (outside one, each lookup checked the file for changes: ~70 µs each in the worker).
        self.set_cache_kib(super::IMPORT_CACHE_KIB)?;
        let tx = self.conn.transaction()?;
        let mut failed = None;
        // Records come table by table: the table's statement is kept while its records pass,
        // and the stored version compared where SQLite holds it.
        let mut current: Option<(&str, rusqlite::CachedStatement)> = None;
        let mut holds = |t: &str, id: &str, at: i64, by: &str| {
            let mut look = || -> Result<bool> {
                if current.as_ref().is_none_or(|(name, _)| *name != t) {
                    let Some(spec) = tables::table(t) else {
                        return Ok(false);
                    };
                    current = Some((spec.name, tx.prepare_cached(stored_sql(spec))?));
                }
                let Some((_, st)) = current.as_mut() else {
                    return Ok(false);
                };
                Ok(st
                    .query_row([id], |r| {
                        // A value of another type: not that version (the whole way tells).
                        Ok(r.get::<_, i64>(0).is_ok_and(|v| v == at)
                            && r.get_ref(1)?.as_str().is_ok_and(|v| v == by)
                            && r.get::<_, bool>(2).is_ok_and(|masked| !masked))
                    })
                    .optional()?
                    .unwrap_or(false))
            };
            look().unwrap_or_else(|e| {
                failed.get_or_insert(e);
                false
            })
        };
        let skimmed = skim(bytes, hashed, &mut holds, &mut |d, t| {
            progress("plan", d, t)
        });
        drop(current);
        drop(tx);
        let Some(sk) = skimmed.filter(|_| failed.is_none()) else {
            self.set_cache_kib(super::CACHE_KIB)?;
            return failed.map_or(Ok(None), Err);
        };
        let report = self.with_import_cache(|s| {
            s.import_inner_as(
                &sk.header,
                file_name,
                accept_identity,
                Mode::Hold,
                "",
                progress,
                None,
                Some(&sk),
            )
        })?;
        Ok(Some((report, sk.header)))
    }

    /// Rolls back a staged import's open transaction, if there is one.
    pub fn release_staged(&mut self) -> Result<()> {
        if let Some(h) = self.held.take() {
            self.conn.execute_batch("ROLLBACK")?;
            self.ctx.clock = h.clock_before;
            self.set_cache_kib(super::CACHE_KIB)?;
        }
        Ok(())
    }

    /// Whether a staged import holds an open transaction.
    pub fn has_staged(&self) -> bool {
        self.held.is_some()
    }

    /// A fresh device restored from a full backup: the office `office` is set up and every
    /// record of `bundle` imported in one transaction, so a bad file leaves the device as it
    /// was (not set up).
    pub(super) fn restore_import(
        &mut self,
        bundle: &Bundle,
        file_name: &str,
        office: &Office,
        actor: &str,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<ImportReport> {
        self.release_staged()?;
        if self.office()?.is_some() {
            return Err(StoreError::AlreadySetUp);
        }
        self.with_import_cache(|s| {
            s.import_inner_as(
                bundle,
                file_name,
                true,
                Mode::Commit,
                actor,
                progress,
                Some(office),
                None,
            )
        })
    }

    fn import_inner(
        &mut self,
        bundle: &Bundle,
        file_name: &str,
        accept_identity: bool,
        mode: Mode,
        actor: &str,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<ImportReport> {
        self.with_import_cache(|s| {
            s.import_inner_as(
                bundle,
                file_name,
                accept_identity,
                mode,
                actor,
                progress,
                None,
                None,
            )
        })
    }

    /// Runs an import with the larger page cache of imports, kept after it while it stays
    /// staged.
    fn with_import_cache(
        &mut self,
        import: impl FnOnce(&mut Self) -> Result<ImportReport>,
    ) -> Result<ImportReport> {
        self.set_cache_kib(super::IMPORT_CACHE_KIB)?;
        let done = import(self);
        if !self.has_staged() {
            self.set_cache_kib(super::CACHE_KIB)?;
        }
        done
    }

    /// The import; with `restore`, that office is set up first, inside the same transaction.
    #[allow(clippy::too_many_arguments)]
    fn import_inner_as(
        &mut self,
        bundle: &Bundle,
        file_name: &str,
        accept_identity: bool,
        mode: Mode,
        actor: &str,
        progress: &mut dyn FnMut(&str, u64, u64),
        restore: Option<&Office>,
        skimmed: Option<&Skimmed>,
    ) -> Result<ImportReport> {
        self.release_staged()?;
        self.check_field_bundle(bundle)?;
        let office = match restore {
            Some(o) => o.clone(),
            None => self.office()?.ok_or(StoreError::NotSetUp)?,
        };
        let clock_before = self.ctx.clock;
        let tx = self.conn.transaction()?;
        tx.pragma_update(None, "defer_foreign_keys", true)?;
        if let Some(o) = restore {
            tx.execute(
                "INSERT INTO office (id, kind, name, code, street_name, street_code) VALUES (1, ?1, ?2, ?3, ?4, ?5)",
                params![
                    if o.kind == OfficeKind::Street { "street" } else { "community" },
                    o.name,
                    o.code,
                    o.street_name,
                    o.street_code
                ],
            )?;
        }
        let local = SqlLocal(&tx, Default::default());
        let mut plan = merge::plan_with(bundle, &local, accept_identity, &mut |d, t| {
            progress("plan", d, t)
        });
        // The records a skim found held (their bundle comes with its header only).
        if let Some(sk) = skimmed {
            for (code, per_table) in &sk.unchanged {
                for (t, n) in per_table {
                    plan.counts
                        .entry(code.clone())
                        .or_default()
                        .entry(t.clone())
                        .or_default()
                        .unchanged += n;
                }
            }
            plan.max_time = plan.max_time.max(sk.max_time);
        }
        if let Some(e) = local.1.into_inner() {
            return Err(e);
        }
        let mut report = ImportReport {
            file_name: file_name.into(),
            source: Some(bundle.source.clone()),
            device: bundle.device.clone(),
            device_name: bundle.device_name.clone(),
            imported_millis: self.ctx.now_millis(),
            sequence: bundle.sequence,
            after_sequence: bundle.scope.after_sequence,
            exported_at: bundle.exported_at,
            identity: plan.identity.clone(),
            ..Default::default()
        };
        // Whose data is this? Mixing another office's communities in needs a yes.
        for c in &bundle.scope.communities {
            let foreign = match office.kind {
                OfficeKind::Community => *c != office.code,
                OfficeKind::Street => !c.starts_with(&office.code),
            };
            if foreign {
                report.warnings.push(format!("foreign_community:{c}"));
                if !accept_identity {
                    report.identity.push(IdentityClash {
                        community_code: c.clone(),
                        local_name: office.name.clone(),
                        incoming_name: bundle.source.name.clone(),
                    });
                }
            }
        }
        if let Some(prev) = bundle.scope.after_sequence.filter(|p| *p > 0) {
            let seen: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM import_log WHERE source_device = ?1 AND sequence >= ?2)",
                params![bundle.device, prev as i64],
                |r| r.get(0),
            )?;
            if !seen {
                report.warnings.push(format!("missing_sequence:{prev}"));
            }
        }
        let writes = plan.writes.len() as u64;
        let (empty_tables, rebuild) = prepare_empty_tables(&tx, &plan.writes)?;
        // The writes come table by table: each table's statement is made and prepared once.
        let mut statements: BTreeMap<&str, String> = BTreeMap::new();
        for (i, (t, r)) in plan.writes.iter().enumerate() {
            if (i as u64).is_multiple_of(merge::PROGRESS_EVERY) {
                progress("write", i as u64, writes);
            }
            let spec = tables::table(t).expect("planned tables exist");
            if *t == "communities" {
                // Two set-ups of one community merged: one row, under the id the plan chose.
                tx.execute(
                    "DELETE FROM communities WHERE community_code = ?1 AND id != ?2",
                    params![text(r, "community_code"), id_of(r)],
                )?;
            }
            let sql = statements.entry(t).or_insert_with(|| {
                if empty_tables.contains(t) {
                    insert_sql(spec)
                } else {
                    upsert_sql(spec)
                }
            });
            tx.prepare_cached(sql)?
                .execute(rusqlite::params_from_iter(write_values(spec, r)))?;
        }
        progress("settle", writes, writes);
        for sql in &rebuild {
            tx.execute_batch(sql)?;
        }
        let kept = settle(&tx)?;
        super::residents::fill_initials(&tx)?;
        // Cases whose events changed: their state comes from all their events, both sides'.
        let touched: std::collections::BTreeSet<&str> = plan
            .writes
            .iter()
            .filter_map(|(t, r)| match *t {
                "cases" => Some(id_of(r)),
                "case_events" => text(r, "case_id"),
                _ => None,
            })
            .collect();
        super::cases::rederive_many(&tx, &touched)?;
        // Micro-wishes likewise.
        let touched_wishes: std::collections::BTreeSet<&str> = plan
            .writes
            .iter()
            .filter_map(|(t, r)| match *t {
                "wishes" => Some(id_of(r)),
                "wish_events" => text(r, "wish_id"),
                _ => None,
            })
            .collect();
        for id in touched_wishes {
            super::wishes::rederive(&tx, id)?;
        }
        let mut conflicts = plan.conflicts.clone();
        for (t, id) in kept {
            let spec = tables::table(t).expect("known");
            if let Some(rec) = get_record(&tx, spec, &id)? {
                let mut live = rec.clone();
                live.insert("deleted", Value::Bool(false));
                conflicts.push(Conflict {
                    kind: ConflictKind::KeptParent,
                    table: t.into(),
                    id: id.clone(),
                    community_code: text(&rec, "community_code").unwrap_or("").into(),
                    winner: "local".into(),
                    kept: live,
                    lost: rec,
                });
            }
        }
        let mut counts = plan.counts.clone();
        for c in conflicts
            .iter()
            .filter(|c| c.kind == ConflictKind::KeptParent)
        {
            counts
                .entry(c.community_code.clone())
                .or_default()
                .entry(c.table.clone())
                .or_default()
                .conflicts += 1;
        }
        report.counts = counts;
        report.totals = merge::Plan {
            counts: report.counts.clone(),
            ..Default::default()
        }
        .totals();
        report.changes = plan.changes.iter().take(1000).cloned().collect();
        report.conflicts_total = conflicts.len() as u64;
        conflicts.truncate(MAX_LISTED);
        report.conflicts = conflicts;
        // Only rows written can point nowhere (nothing is deleted but a merged community's
        // second row): each written table is checked, not the whole database (a street's
        // check took ~0.5 s natively, all of an import that changes nothing).
        let written: std::collections::BTreeSet<&str> =
            plan.writes.iter().map(|(t, _)| *t).collect();
        let fk_problems: i64 = if written.contains("communities") {
            tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?
        } else {
            let mut n = 0;
            for t in written {
                n += tx.query_row(
                    "SELECT count(*) FROM pragma_foreign_key_check(?1)",
                    [t],
                    |r| r.get::<_, i64>(0),
                )?;
            }
            n
        };
        if fk_problems > 0 {
            return Err(StoreError::Refused("foreign_keys"));
        }
        match mode {
            Mode::Preview => {
                drop(tx);
                self.ctx.clock = clock_before;
                Ok(report)
            }
            Mode::Hold => {
                // Neither committed nor rolled back: the transaction stays open on the
                // connection until `apply_staged` or `release_staged`.
                let mut tx = tx;
                tx.set_drop_behavior(rusqlite::DropBehavior::Ignore);
                drop(tx);
                self.held = Some(super::HeldImport {
                    report: report.clone(),
                    clock_before,
                    max_time: plan.max_time,
                    accept_identity,
                });
                Ok(report)
            }
            Mode::Commit => {
                let report = finish_import(
                    &tx,
                    &mut self.ctx,
                    report,
                    bundle,
                    file_name,
                    actor,
                    plan.max_time,
                )?;
                tx.commit()?;
                Ok(report)
            }
        }
    }

    /// A fingerprint of every shared record and both logs: equal digests, equal data. Shown in
    /// the settings so two offices (or a test) can compare databases.
    /// `PRAGMA integrity_check`: "ok", or SQLite's list of what is wrong.
    pub fn integrity_check(&self) -> Result<String> {
        let mut st = self.conn.prepare("PRAGMA integrity_check")?;
        let lines = st
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(lines.join("\n"))
    }

    pub fn digest(&self) -> Result<String> {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let names = TABLES
            .iter()
            .map(|t| t.name)
            .chain(["import_log", "export_log"]);
        for t in names {
            let mut st = self
                .conn
                .prepare(&format!("SELECT * FROM {t} ORDER BY id"))?;
            let n = st.column_count();
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                h.update(t.as_bytes());
                for i in 0..n {
                    h.update(format!("|{:?}", r.get_ref(i)?).as_bytes());
                }
                h.update(b"\n");
            }
        }
        Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Past exports, newest first.
    pub fn export_log(&self, limit: u32) -> Result<Vec<ExportLogRow>> {
        let mut st = self.conn.prepare(
            "SELECT wall_millis, actor, sequence, destination, scope, masked, encrypted, file_name, records
             FROM export_log ORDER BY at DESC LIMIT ?1",
        )?;
        let rows = st.query_map([limit], |r| {
            Ok(ExportLogRow {
                wall_millis: r.get(0)?,
                actor: r.get(1)?,
                sequence: r.get::<_, i64>(2)? as u64,
                destination: r.get(3)?,
                scope: r.get(4)?,
                masked: r.get(5)?,
                encrypted: r.get(6)?,
                file_name: r.get(7)?,
                records: r.get::<_, i64>(8)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The latest applied import of the bundle `d` declares itself to be (same device,
    /// sequence, export time and checksum): its log row's id and its report.
    pub fn import_of_bundle(&self, d: &Declared) -> Result<Option<(String, ImportReport)>> {
        let row = self
            .conn
            .query_row(
                "SELECT id, report FROM import_log
                 WHERE bundle_checksum = ?1 AND source_device = ?2 AND sequence = ?3 AND exported_at = ?4
                 ORDER BY at DESC LIMIT 1",
                params![d.checksum, d.device, d.sequence as i64, d.exported_at],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()?;
        Ok(row.and_then(|(id, report)| serde_json::from_str(&report).ok().map(|r| (id, r))))
    }

    /// A bundle imported before (`earlier_id` in the log), applied again: the log gets a row
    /// with the earlier import's source, device and sequence and this report, time and
    /// person. No record changes (see [`again_report`]).
    pub fn log_import_again(
        &mut self,
        earlier_id: &str,
        report: &ImportReport,
        file_name: &str,
        actor: &str,
    ) -> Result<ImportReport> {
        let mut report = report.clone();
        report.applied = true;
        report.file_name = file_name.into();
        self.write(|tx, ctx| {
            report.imported_millis = ctx.now_millis();
            let (id, at) = (ctx.new_id(), ctx.stamp());
            let json = serde_json::to_string(&report).unwrap_or_default();
            let n = tx.execute(
                "INSERT INTO import_log (id, at, wall_millis, actor, file_name, source_kind, source_code,
                                         source_name, source_device, sequence, after_sequence,
                                         exported_at, report, bundle_checksum)
                 SELECT ?1, ?2, ?3, ?4, ?5, source_kind, source_code, source_name, source_device,
                        sequence, after_sequence, exported_at, ?6, bundle_checksum
                 FROM import_log WHERE id = ?7",
                params![id, at, report.imported_millis, actor, file_name, json, earlier_id],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound("import_log"));
            }
            Ok(())
        })?;
        Ok(report)
    }

    /// Past imports, newest first (their reports).
    pub fn import_log(&self, limit: u32) -> Result<Vec<ImportReport>> {
        let mut st = self
            .conn
            .prepare("SELECT report FROM import_log ORDER BY at DESC LIMIT ?1")?;
        let rows = st.query_map([limit], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for r in rows {
            if let Ok::<ImportReport, _>(mut rep) = serde_json::from_str(&r?) {
                rep.changes.clear(); // the log lists reports; the record lists stay behind
                out.push(rep);
            }
        }
        Ok(out)
    }
}

fn in_grid_scope(
    spec: &TableSpec,
    r: &Record,
    grids: &HashSet<String>,
    picked: &BTreeMap<&'static str, BTreeSet<String>>,
) -> bool {
    let has = |t: &str, id: Option<&str>| {
        id.is_some_and(|id| picked.get(t).is_some_and(|s| s.contains(id)))
    };
    match spec.name {
        "communities" | "tags" => true,
        "grids" => grids.contains(id_of(r)),
        "households" | "residents" | "grid_staff" => {
            text(r, "grid_id").is_some_and(|g| grids.contains(g))
        }
        // Staff come with their links: decided after grid_staff (below).
        "staff" => true,
        "resident_tags" => has("residents", text(r, "resident_id")),
        "cases" => text(r, "grid_id").is_some_and(|g| grids.contains(g)),
        "case_events" | "case_photos" => has("cases", text(r, "case_id")),
        // Volunteers of the subtree (or of the whole community), with what they point at.
        "volunteers" => {
            text(r, "grid_id").is_none_or(|g| grids.contains(g))
                && text(r, "resident_id").is_none_or(|id| has("residents", Some(id)))
        }
        "volunteer_teams" => text(r, "leader_id").is_none_or(|id| has("volunteers", Some(id))),
        "shifts" => text(r, "grid_id").is_none_or(|g| grids.contains(g)),
        "shift_people" => {
            has("shifts", text(r, "shift_id"))
                && text(r, "volunteer_id").is_none_or(|v| has("volunteers", Some(v)))
                && text(r, "staff_id").is_none_or(|v| has("staff", Some(v)))
        }
        "team_members" => {
            has("volunteer_teams", text(r, "team_id")) && has("volunteers", text(r, "volunteer_id"))
        }
        "service_hours" => has("volunteers", text(r, "volunteer_id")),
        "wishes" => text(r, "grid_id").is_some_and(|g| grids.contains(g)),
        "wish_events" | "wish_photos" => has("wishes", text(r, "wish_id")),
        // Care and status history of the subtree's residents only (not of the whole
        // community, which would bring those residents along as parents).
        "resident_events" | "care_plans" | "visits" => has("residents", text(r, "resident_id")),
        "party_orgs" => text(r, "grid_id").is_some_and(|g| grids.contains(g)),
        "party_members" => has("party_orgs", text(r, "org_id")),
        _ => true,
    }
}

/// Adds, for every record, the parents it points at that are not in the bundle yet.
fn close_over_parents(
    conn: &Connection,
    tables_out: &mut BTreeMap<String, Vec<Record>>,
) -> Result<()> {
    loop {
        let mut have: HashSet<(String, String)> = HashSet::new();
        for (t, rs) in tables_out.iter() {
            for r in rs {
                have.insert((t.clone(), id_of(r).to_string()));
            }
        }
        let mut need: BTreeSet<(&'static str, String)> = BTreeSet::new();
        for spec in TABLES {
            for r in tables_out.get(spec.name).into_iter().flatten() {
                for p in spec.parents {
                    if let Some(pid) = text(r, p.column) {
                        if !have.contains(&(p.table.to_string(), pid.to_string())) {
                            let pt = tables::table(p.table).expect("known").name;
                            need.insert((pt, pid.to_string()));
                        }
                    }
                }
            }
        }
        if need.is_empty() {
            return Ok(());
        }
        for (t, id) in need {
            let spec = tables::table(t).expect("known");
            if let Some(r) = get_record(conn, spec, &id)? {
                tables_out.entry(t.to_string()).or_default().push(r);
            }
        }
    }
}

/// Drops staff that no exported link needs (grid-scoped exports).
fn prune_unlinked_staff(tables_out: &mut BTreeMap<String, Vec<Record>>) {
    let linked: HashSet<String> = tables_out
        .get("grid_staff")
        .map(|v| {
            v.iter()
                .filter_map(|r| text(r, "staff_id").map(String::from))
                .collect()
        })
        .unwrap_or_default();
    if let Some(staff) = tables_out.get_mut("staff") {
        staff.retain(|r| linked.contains(id_of(r)));
    }
    // Staff on the subtree's shifts who work elsewhere stay home, and so do those places.
    if let Some(people) = tables_out.get_mut("shift_people") {
        people.retain(|r| text(r, "staff_id").is_none_or(|s| linked.contains(s)));
    }
}

/// The preview of a bundle imported here before: what the earlier import reported, with
/// every record counted unchanged and nothing to list. Imports are idempotent (the newer
/// version wins, the same version is unchanged) and every local change since is newer than
/// anything the bundle holds, so merging it again changes nothing.
pub fn again_report(earlier: &ImportReport, file_name: &str) -> ImportReport {
    let all_unchanged = |c: &merge::Counts| merge::Counts {
        unchanged: c.new + c.updated + c.unchanged + c.deleted,
        ..Default::default()
    };
    ImportReport {
        file_name: file_name.into(),
        source: earlier.source.clone(),
        device: earlier.device.clone(),
        device_name: earlier.device_name.clone(),
        sequence: earlier.sequence,
        after_sequence: earlier.after_sequence,
        exported_at: earlier.exported_at,
        counts: earlier
            .counts
            .iter()
            .map(|(community, tables)| {
                let tables = tables
                    .iter()
                    .map(|(t, c)| (t.clone(), all_unchanged(c)))
                    .collect();
                (community.clone(), tables)
            })
            .collect(),
        totals: all_unchanged(&earlier.totals),
        imported_before: Some(earlier.imported_millis),
        ..Default::default()
    }
}
