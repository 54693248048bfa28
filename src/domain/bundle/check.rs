//! Reading a bundle: every way a file can be bad gets its own error that says what and where,
//! and nothing is written until a bundle has passed all of them.

use super::tables::{self, is_masked, Column, Kind, TableSpec};
use super::{id_of, text, Bundle, Record, FORMAT, MIN_VERSION, VERSION};
use crate::domain::date::Date;
use crate::domain::{division, id, photo, resident, staff};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::cmp::Ordering;
// A fast hasher for the bundle's ids (a street's 950,000): SipHash was ~6% of checking one.
type HashMap<K, V> = foldhash::HashMap<K, V>;
type HashSet<K> = foldhash::HashSet<K>;
use std::fmt;

/// Why a file is not a bundle this app can import. `code` is stable (the UI translates it);
/// the other fields say where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BundleError {
    pub code: String,
    /// Human detail in English (the parser's message, the value found, ...).
    pub detail: String,
    #[serde(default)]
    pub table: Option<String>,
    #[serde(default)]
    pub record: Option<String>,
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub line: Option<usize>,
    #[serde(default)]
    pub column: Option<usize>,
}

impl BundleError {
    pub fn new(code: &str, detail: impl Into<String>) -> Self {
        BundleError {
            code: code.into(),
            detail: detail.into(),
            ..Default::default()
        }
    }

    fn at_record(code: &str, table: &str, record: &str, field: &str, detail: String) -> Self {
        BundleError {
            code: code.into(),
            detail,
            table: Some(table.into()),
            record: Some(record.into()),
            field: (!field.is_empty()).then(|| field.into()),
            ..Default::default()
        }
    }

    fn from_json(code: &str, e: &serde_json::Error) -> Self {
        BundleError {
            code: code.into(),
            detail: e.to_string(),
            line: Some(e.line()),
            column: Some(e.column()),
            ..Default::default()
        }
    }
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        if let Some(t) = &self.table {
            write!(f, " in {t}")?;
        }
        if let Some(r) = &self.record {
            write!(f, " record {r}")?;
        }
        if let Some(c) = &self.field {
            write!(f, " field {c}")?;
        }
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, " at line {l} column {c}")?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

impl std::error::Error for BundleError {}

#[derive(Deserialize)]
struct Head {
    format: Option<Value>,
    version: Option<Value>,
}

/// The longest text a record's field may hold (bytes of UTF-8; photos are `Bytes` columns).
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Parses and checks a bundle file (after decryption). On success every record has exactly
/// its table's columns with the right types, passes the domain's checks (masked values
/// excepted), and every reference resolves inside the bundle.
pub fn parse(bytes: &[u8]) -> Result<Bundle, BundleError> {
    parse_hashed(bytes, None)
}

/// [`parse`], given what the file's bytes hash to when that was computed outside (the worker
/// has the browser's native SHA-256 do it): used only if it is the checksum the file declares.
pub fn parse_hashed(bytes: &[u8], hashed: Option<&Hashed>) -> Result<Bundle, BundleError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(BundleError::new("empty", "the file is empty"));
    }
    // One pass when the file is a bundle (a street's is ~420 MB); when it is not, a second,
    // lenient read of the header says why.
    let mut bundle: Bundle = match serde_json::from_slice::<Bundle>(bytes) {
        Ok(b) => {
            head_ok(
                Some(&Value::from(b.format.as_str())),
                Some(&Value::from(b.version)),
            )?;
            b
        }
        Err(full) => {
            let head: Head = serde_json::from_slice(bytes).map_err(|e| match e.classify() {
                serde_json::error::Category::Eof => BundleError::from_json("truncated", &e),
                serde_json::error::Category::Data => BundleError::from_json("not_bundle", &e),
                _ => BundleError::from_json("not_json", &e),
            })?;
            head_ok(head.format.as_ref(), head.version.as_ref())?;
            return Err(BundleError::from_json("bad_header", &full));
        }
    };
    let file_verified =
        file_sum(bytes, &bundle.checksum, hashed).as_ref() == Some(&bundle.checksum);
    check_as(&bundle, file_verified)?;
    upgrade(&mut bundle);
    Ok(bundle)
}

/// The format name and version of a file's header: this app's format, a version it reads.
pub(super) fn head_ok(format: Option<&Value>, version: Option<&Value>) -> Result<(), BundleError> {
    match format.and_then(Value::as_str) {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(BundleError::new(
                "wrong_format",
                format!("format is {other:?}, not {FORMAT:?}"),
            ))
        }
        None => return Err(BundleError::new("not_bundle", "no \"format\" field")),
    }
    let version = version
        .and_then(Value::as_u64)
        .ok_or_else(|| BundleError::new("bad_header", "\"version\" is missing or not a number"))?;
    if version > VERSION as u64 {
        return Err(BundleError::new(
            "too_new",
            format!("format version {version} is newer than this app's {VERSION}"),
        ));
    }
    if version < MIN_VERSION as u64 {
        return Err(BundleError::new(
            "too_old",
            format!("format version {version} is not supported"),
        ));
    }
    Ok(())
}

/// Brings a checked bundle of an older version to this app's: the columns added since get
/// their defaults, and it is sealed again as a bundle of this version (the checksum was
/// verified on the file as written; `read_version` remembers that version).
fn upgrade(b: &mut Bundle) {
    if b.version >= VERSION {
        return;
    }
    for (t, records) in b.tables.iter_mut() {
        let Some(spec) = tables::table(t) else {
            continue;
        };
        for c in spec.all_columns().filter(|c| c.since > b.version) {
            for r in records.iter_mut() {
                r.get_or_insert_with(c.name, || c.default_value());
            }
        }
    }
    b.read_version = b.version;
    b.version = VERSION;
    b.seal();
}

/// The checks after parsing; also run on every bundle this app writes (in tests).
pub fn check(b: &Bundle) -> Result<(), BundleError> {
    check_as(b, false)
}

/// The checksum of a file as written, when the file is the canonical JSON this app writes:
/// its bytes hashed with the header's checksum value emptied, nothing serialized again. `None`
/// when the header's checksum is not where canonical JSON puts it.
pub(crate) fn file_checksum(bytes: &[u8], declared: &str) -> Option<String> {
    use sha2::{Digest, Sha256};
    let at = checksum_span(bytes, declared)?;
    let mut h = Sha256::new();
    h.update(&bytes[..at.start]);
    h.update(EMPTY_CHECKSUM);
    h.update(&bytes[at.end..]);
    Some(sha256_text(&h.finalize()))
}

/// [`file_checksum`], or the checksum computed outside when it is for this declared one.
pub(crate) fn file_sum(bytes: &[u8], declared: &str, hashed: Option<&Hashed>) -> Option<String> {
    match hashed {
        Some(h) if h.declared == declared => Some(h.computed.clone()),
        _ => file_checksum(bytes, declared),
    }
}

/// The checksum field as the checksum hashes it: emptied.
const EMPTY_CHECKSUM: &[u8] = b"\"checksum\":\"\"";

/// Where a file as written holds the checksum it declares: the bytes of `"checksum":"…"` in
/// its header (canonical JSON puts the header first, a few KB in).
fn checksum_span(bytes: &[u8], declared: &str) -> Option<std::ops::Range<usize>> {
    let needle = format!("\"checksum\":{}", serde_json::to_string(declared).ok()?);
    let head = &bytes[..bytes.len().min(1 << 20)];
    let at = head
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())?;
    Some(at..at + needle.len())
}

/// How to hash a file as written without a second copy of it: `(offset, head)`, where `head`
/// is the bytes before the checksum field with the field emptied. Written over a copy of the
/// file at `offset`, it ends where the field ended, and `copy[offset..]` is what the checksum
/// hashes. `None` when the field is not where canonical JSON puts it.
pub fn emptied_head(bytes: &[u8], declared: &str) -> Option<(usize, Vec<u8>)> {
    let at = checksum_span(bytes, declared)?;
    let mut head = Vec::with_capacity(at.start + EMPTY_CHECKSUM.len());
    head.extend_from_slice(&bytes[..at.start]);
    head.extend_from_slice(EMPTY_CHECKSUM);
    Some((at.end - head.len(), head))
}

/// `sha256:` and the digest in lower-case hex: how a bundle writes its checksum.
pub fn sha256_text(digest: &[u8]) -> String {
    let mut hex = String::with_capacity(7 + 2 * digest.len());
    hex.push_str("sha256:");
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// What a bundle file's bytes hash to, computed outside this module (see [`emptied_head`]):
/// `declared` is the checksum its header says, `computed` what the bytes give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hashed {
    pub declared: String,
    pub computed: String,
}

/// [`check`]; `file_verified`: the file's own bytes already gave its checksum (they are what
/// the writer hashed, so the records parsed from them are too), and the canonical JSON need not
/// be made again. Any other file (pretty-printed, keys in another order) is checked on the
/// canonical JSON of what was parsed.
fn check_as(b: &Bundle, file_verified: bool) -> Result<(), BundleError> {
    if !id::is_valid_id(&b.device) {
        return Err(BundleError::new("bad_header", "\"device\" is not an id"));
    }
    if !matches!(b.source.kind.as_str(), "community" | "street") {
        return Err(BundleError::new(
            "bad_header",
            format!("source kind {:?}", b.source.kind),
        ));
    }
    let checksum = if file_verified {
        b.checksum.clone()
    } else {
        b.compute_checksum()
    };
    if checksum != b.checksum {
        return Err(BundleError::new(
            "checksum",
            format!("the file says {}, its records give {checksum}", b.checksum),
        ));
    }
    for (t, records) in &b.tables {
        if b.counts.get(t).copied() != Some(records.len() as u64) {
            return Err(BundleError {
                table: Some(t.clone()),
                ..BundleError::new(
                    "count_mismatch",
                    format!(
                        "{} records, counts say {:?}",
                        records.len(),
                        b.counts.get(t)
                    ),
                )
            });
        }
    }
    if b.counts.len() != b.tables.len() {
        return Err(BundleError::new(
            "count_mismatch",
            "counts name other tables",
        ));
    }
    let scope: HashSet<&str> = b.scope.communities.iter().map(String::as_str).collect();
    for c in &b.scope.communities {
        if division::community_code(c).is_err() {
            return Err(BundleError::new(
                "bad_header",
                format!("scope community {c:?} is not a 12-digit code"),
            ));
        }
    }
    let mut ids: HashMap<&str, HashSet<&str>> = HashMap::default();
    for (t, records) in &b.tables {
        let Some(spec) = tables::table(t).filter(|s| s.since <= b.version) else {
            return Err(BundleError {
                table: Some(t.clone()),
                ..BundleError::new(
                    "unknown_table",
                    format!("no table {t:?} in format version {}", b.version),
                )
            });
        };
        let masked: HashSet<&str> = b
            .masked
            .get(t)
            .map(|m| m.iter().map(String::as_str).collect())
            .unwrap_or_default();
        for m in &masked {
            if spec.column(m).and_then(|c| c.mask).is_none() {
                return Err(BundleError {
                    table: Some(t.clone()),
                    field: Some(m.to_string()),
                    ..BundleError::new("bad_header", "this column cannot be masked")
                });
            }
        }
        let seen = ids.entry(spec.name).or_default();
        seen.reserve(records.len());
        let by_name = ByName::of(spec);
        for r in records {
            check_record(spec, &by_name, b.version, r, &masked, &scope)?;
            if !seen.insert(id_of(r)) {
                return Err(BundleError::at_record(
                    "duplicate_id",
                    t,
                    id_of(r),
                    "id",
                    "the id appears twice".into(),
                ));
            }
        }
    }
    // References resolve inside the bundle: a record never arrives without its parent.
    let communities: HashSet<&str> = b
        .tables
        .get("communities")
        .map(|rs| {
            rs.iter()
                .filter_map(|r| text(r, "community_code"))
                .collect()
        })
        .unwrap_or_default();
    for (t, records) in &b.tables {
        let spec = tables::table(t).expect("checked above");
        for r in records {
            let code = text(r, "community_code").unwrap_or("");
            if !communities.contains(code) {
                return Err(BundleError::at_record(
                    "missing_parent",
                    t,
                    id_of(r),
                    "community_code",
                    format!("community {code} is not in the bundle"),
                ));
            }
            for p in spec.parents {
                let Some(target) = text(r, p.column) else {
                    continue;
                };
                if !ids.get(p.table).is_some_and(|s| s.contains(target)) {
                    return Err(BundleError::at_record(
                        "missing_parent",
                        t,
                        id_of(r),
                        p.column,
                        format!("{} {target} is not in the bundle", p.table),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The most columns a table has (record fields included).
const MAX_COLUMNS: usize = 64;

/// A table's columns sorted by name, as a record's fields are, each with its place in
/// [`TableSpec::all_columns`]: a record's fields are matched to them in one walk.
struct ByName(Vec<(&'static Column, usize)>);

impl ByName {
    fn of(spec: &TableSpec) -> Self {
        let mut v: Vec<_> = spec
            .all_columns()
            .enumerate()
            .map(|(i, c)| (c, i))
            .collect();
        assert!(v.len() <= MAX_COLUMNS, "{} has too many columns", spec.name);
        v.sort_unstable_by(|a, b| a.0.name.cmp(b.0.name));
        ByName(v)
    }
}

fn check_record(
    spec: &TableSpec,
    by_name: &ByName,
    version: u32,
    r: &Record,
    masked: &HashSet<&str>,
    scope: &HashSet<&str>,
) -> Result<(), BundleError> {
    let rid = id_of(r).to_string();
    let bad = |code: &str, field: &str, detail: String| {
        BundleError::at_record(code, spec.name, &rid, field, detail)
    };
    // Every field a column of the table in this version (both in name order: one walk), its
    // value kept by the column's place.
    let mut values: [Option<&Value>; MAX_COLUMNS] = [None; MAX_COLUMNS];
    let mut columns = by_name.0.iter().peekable();
    for (key, v) in r.iter() {
        while columns
            .next_if(|(c, _)| c.name.cmp(key) == Ordering::Less)
            .is_some()
        {}
        match columns.next_if(|(c, _)| c.name == key) {
            Some((c, i)) if c.since <= version => values[*i] = Some(v),
            _ => {
                return Err(bad(
                    "unknown_field",
                    key,
                    format!("no such column in format version {version}"),
                ))
            }
        }
    }
    for (c, v) in spec.all_columns().zip(values) {
        if c.since > version {
            continue;
        }
        let v = v.ok_or_else(|| bad("missing_field", c.name, "required".into()))?;
        let ok = match c.kind {
            Kind::Text => v.is_string(),
            Kind::OptText => v.is_string() || v.is_null(),
            Kind::Int => v.is_i64(),
            Kind::OptInt => v.is_i64() || v.is_null(),
            Kind::Bool => v.is_boolean(),
            Kind::Bytes => v.is_string(),
        };
        if !ok {
            return Err(bad(
                "wrong_type",
                c.name,
                format!("{v} is not {:?}", c.kind),
            ));
        }
        // No ledger text is this long (a note is a few hundred characters): a huge string is
        // a broken or hostile file, refused before it reaches a page. Photos are bytes.
        if let (Some(s), false) = (v.as_str(), c.kind == Kind::Bytes) {
            if s.len() > MAX_TEXT_BYTES {
                return Err(bad(
                    "field_too_long",
                    c.name,
                    format!("{} bytes; at most {MAX_TEXT_BYTES}", s.len()),
                ));
            }
        }
        if let (Some(s), Some(_)) = (v.as_str(), c.mask) {
            if is_masked(s) && !masked.contains(c.name) {
                return Err(bad(
                    "invalid_field",
                    c.name,
                    "a masked value in a column the bundle does not list as masked".into(),
                ));
            }
        }
    }
    if !id::is_valid_id(&rid) {
        return Err(bad("invalid_field", "id", format!("{rid:?} is not an id")));
    }
    let by = text(r, "updated_by").unwrap_or("");
    if !id::is_valid_id(by) {
        return Err(bad(
            "invalid_field",
            "updated_by",
            format!("{by:?} is not an id"),
        ));
    }
    let code = text(r, "community_code").unwrap_or("");
    if !scope.contains(code) {
        return Err(bad(
            "invalid_field",
            "community_code",
            format!("{code} is not in the bundle's scope"),
        ));
    }
    let (created, updated, base) = (
        super::int(r, "created_at"),
        super::int(r, "updated_at"),
        super::int(r, "base_at"),
    );
    if created <= 0 || updated < created || base < 0 || base >= updated && base != 0 {
        return Err(bad(
            "invalid_field",
            "updated_at",
            format!("times out of order: created {created}, updated {updated}, base {base}"),
        ));
    }
    let t = |c: &str| text(r, c).unwrap_or("");
    let nonempty = |c: &str| -> Result<(), BundleError> {
        if t(c).trim().is_empty() {
            Err(bad("invalid_field", c, "required".into()))
        } else {
            Ok(())
        }
    };
    match spec.name {
        "communities" => {
            if division::community_code(code).is_err() {
                return Err(bad(
                    "invalid_field",
                    "community_code",
                    "not 12 digits".into(),
                ));
            }
            nonempty("name")?;
            if serde_json::from_str::<Vec<String>>(t("level_names")).is_err() {
                return Err(bad(
                    "invalid_field",
                    "level_names",
                    "not a list of names".into(),
                ));
            }
        }
        "grids" => {
            nonempty("name")?;
            let level = super::int(r, "level");
            if !(0..=8).contains(&level) || (level == 0) != r["parent_id"].is_null() {
                return Err(bad(
                    "invalid_field",
                    "level",
                    format!("level {level} does not fit its parent"),
                ));
            }
        }
        "staff" => {
            nonempty("name")?;
            if staff::Role::from_code(t("role")).is_none() {
                return Err(bad("invalid_field", "role", format!("{:?}", t("role"))));
            }
        }
        "grid_staff" if staff::Duty::from_code(t("duty")).is_none() => {
            return Err(bad("invalid_field", "duty", format!("{:?}", t("duty"))));
        }
        "households" => {
            let p = resident::validate_household(t("building"), t("unit"), t("room"), t("grid_id"));
            if let Some((f, problem)) = p.first() {
                return Err(bad("invalid_field", f, problem.code().into()));
            }
        }
        "residents" => {
            let unmasked = |c: &str| {
                if masked.contains(c) && is_masked(t(c)) {
                    ""
                } else {
                    t(c)
                }
            };
            let draft = resident::ResidentDraft {
                name: t("name"),
                gender: t("gender"),
                birth_date: t("birth_date"),
                id_number: unmasked("id_number"),
                phone: unmasked("phone"),
                grid_id: t("grid_id"),
            };
            // Not "today": a sender's clock may run ahead; the date is checked, not its age.
            let far = Date::new(9999, 12, 31).expect("a date");
            if let Err(p) = resident::validate(&draft, far) {
                if let Some((f, problem)) = p.first() {
                    return Err(bad("invalid_field", f, problem.code().into()));
                }
            }
        }
        "tags" => nonempty("name")?,
        "case_categories" => {
            nonempty("name")?;
            nonempty("code")?;
            if !matches!(t("limit_unit"), "working_hours" | "working_days") {
                return Err(bad(
                    "invalid_field",
                    "limit_unit",
                    format!("{:?}", t("limit_unit")),
                ));
            }
        }
        "cases" => {
            nonempty("title")?;
            nonempty("category_code")?;
            if !crate::domain::case::CHANNELS.contains(&t("channel")) {
                return Err(bad(
                    "invalid_field",
                    "channel",
                    format!("{:?}", t("channel")),
                ));
            }
        }
        "case_events" if crate::domain::case::Move::from_code(t("move")).is_none() => {
            return Err(bad("invalid_field", "move", format!("{:?}", t("move"))));
        }
        "volunteers" => {
            let unmasked = |c: &str| {
                if masked.contains(c) && is_masked(t(c)) {
                    ""
                } else {
                    t(c)
                }
            };
            let codes = |c: &str| crate::domain::volunteer::split_codes(t(c));
            let (skills, availability, posts) =
                (codes("skills"), codes("availability"), codes("posts"));
            let draft = crate::domain::volunteer::VolunteerDraft {
                name: t("name"),
                phone: unmasked("phone"),
                skills: &skills,
                availability: &availability,
                party_member: r["party_member"].as_bool().unwrap_or(false),
                in_service: r["in_service"].as_bool().unwrap_or(false),
                work_unit: t("work_unit"),
                posts: &posts,
            };
            if let Err(p) = crate::domain::volunteer::validate(&draft) {
                if let Some((f, problem)) = p.first() {
                    return Err(bad("invalid_field", f, (*problem).into()));
                }
            }
        }
        "volunteer_teams" => nonempty("name")?,
        "shifts" => {
            nonempty("title")?;
            let (a, b) = (super::int(r, "start_at"), super::int(r, "end_at"));
            if b <= a || b - a > crate::domain::roster::MAX_SHIFT {
                return Err(bad(
                    "invalid_field",
                    "end_at",
                    format!("{a}..{b} is not a shift"),
                ));
            }
        }
        "shift_people" => {
            if !matches!(t("status"), "planned" | "done" | "no_show") {
                return Err(bad("invalid_field", "status", format!("{:?}", t("status"))));
            }
            if r["volunteer_id"].is_null() == r["staff_id"].is_null() {
                return Err(bad(
                    "invalid_field",
                    "volunteer_id",
                    "one of volunteer or staff".into(),
                ));
            }
            let at = |c: &str| r.get(c).and_then(Value::as_i64);
            if let (Some(a), Some(b)) = (at("check_in"), at("check_out")) {
                if b < a {
                    return Err(bad(
                        "invalid_field",
                        "check_out",
                        format!("checked out at {b}, before checking in at {a}"),
                    ));
                }
            } else if at("check_out").is_some() {
                return Err(bad(
                    "invalid_field",
                    "check_out",
                    "checked out without checking in".into(),
                ));
            }
        }
        "service_hours" => {
            let p = crate::domain::roster::check_task_hours(
                t("day"),
                super::int(r, "minutes"),
                t("task"),
            );
            if let Some((f, problem)) = p.first() {
                return Err(bad("invalid_field", f, (*problem).into()));
            }
        }
        "wishes" => {
            nonempty("title")?;
            if Date::parse(t("due_date")).is_none() {
                return Err(bad(
                    "invalid_field",
                    "due_date",
                    format!("{:?} is not a date", t("due_date")),
                ));
            }
        }
        "wish_events" => {
            let Some(m) = crate::domain::wish::Move::from_code(t("move")) else {
                return Err(bad("invalid_field", "move", format!("{:?}", t("move"))));
            };
            let minutes = super::int(r, "minutes");
            if !(0..=crate::domain::wish::MAX_MINUTES as i64).contains(&minutes) {
                return Err(bad("invalid_field", "minutes", format!("{minutes}")));
            }
            if (m == crate::domain::wish::Move::Claim) == r["volunteer_id"].is_null() {
                return Err(bad(
                    "invalid_field",
                    "volunteer_id",
                    "a claim, and only a claim, names a volunteer".into(),
                ));
            }
        }
        "case_photos" | "wish_photos" => {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(t("data"))
                .map_err(|e| bad("invalid_field", "data", format!("not base64: {e}")))?;
            let info =
                photo::check(&bytes).map_err(|e| bad("invalid_field", "data", e.code().into()))?;
            let (w, h, size) = (
                super::int(r, "width"),
                super::int(r, "height"),
                super::int(r, "size"),
            );
            if info.mime != t("mime")
                || (w, h) != (info.width as i64, info.height as i64)
                || size != bytes.len() as i64
            {
                return Err(bad(
                    "invalid_field",
                    "data",
                    format!(
                        "the image is {} {}x{} of {} bytes, the record says {} {w}x{h} of {size}",
                        info.mime,
                        info.width,
                        info.height,
                        bytes.len(),
                        t("mime")
                    ),
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_say_where() {
        let e = parse(b"{\"format\": \"gridledger-bundle\",\n \"version\": 1,\n \"x\": [1, 2")
            .unwrap_err();
        assert_eq!((e.code.as_str(), e.line), ("truncated", Some(3)));
        let e = parse(b"{\"format\": nope}").unwrap_err();
        assert_eq!(e.code, "not_json");
        assert_eq!(parse(b"  \n").unwrap_err().code, "empty");
        assert_eq!(parse(b"[1, 2]").unwrap_err().code, "not_bundle");
        assert_eq!(parse(b"{\"a\": 1}").unwrap_err().code, "not_bundle");
    }

    #[test]
    fn format_and_version_are_checked_first() {
        let e = parse(br#"{"format": "other-app", "version": 1}"#).unwrap_err();
        assert_eq!(e.code, "wrong_format");
        let e = parse(br#"{"format": "gridledger-bundle", "version": 7}"#).unwrap_err();
        assert_eq!(e.code, "too_new");
        assert!(e.detail.contains('7'), "{e}");
        let e = parse(br#"{"format": "gridledger-bundle", "version": 0}"#).unwrap_err();
        assert_eq!(e.code, "too_old");
        let e = parse(br#"{"format": "gridledger-bundle", "version": 1}"#).unwrap_err();
        assert_eq!(e.code, "bad_header");
    }
}
