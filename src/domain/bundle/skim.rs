//! A bundle whose every record the database already holds, recognised without parsing its
//! records into memory: the no-op merge of the same records in another file (a street office
//! importing a community's bundle again under a new export, `gridledger merge` output).
//!
//! The file is read as written, record by record, keeping of each only its table, id, version
//! and community; the caller says whether it holds that very version. At the first record it
//! does not hold, or anything unusual (a file laid out otherwise, an older format, a header or
//! record the full checks would look at twice), the skim gives up and the caller reads the
//! file the whole way ([`super::parse`]), which checks everything and gives errors.
//!
//! Why the records it passes over need no field-by-field check: the file's own bytes give the
//! checksum it declares (so the records are the exporter's), and a record of the same version
//! as the stored one leaves it unchanged whatever else it says (the merge rules,
//! [`super::merge`]); a masked stored value is the caller's to exclude, since the same
//! version with the real value fills it in.

use super::check::{file_sum, head_ok, Hashed};
use super::tables;
use super::{Bundle, Scope, Source, VERSION};
use crate::domain::{division, id};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

type HashSet<K> = foldhash::HashSet<K>;

/// What a skimmed bundle says and holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Skimmed {
    /// The header, with no records (`tables` empty; `counts` as declared).
    pub header: Bundle,
    /// Per community, per table: how many records (all unchanged).
    pub unchanged: BTreeMap<String, BTreeMap<String, u64>>,
    /// The newest `updated_at` in the file.
    pub max_time: i64,
}

/// The header fields of a bundle as this app writes them (all but `tables`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Head {
    format: String,
    version: u32,
    exported_at: i64,
    device: String,
    device_name: String,
    actor: String,
    sequence: u64,
    source: Source,
    scope: Scope,
    masked: BTreeMap<String, Vec<String>>,
    counts: BTreeMap<String, u64>,
    checksum: String,
}

/// Of one record, what the skim keeps (every other field is passed over, still as JSON).
#[derive(Deserialize)]
struct Key<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    updated_at: i64,
    #[serde(borrow)]
    updated_by: Cow<'a, str>,
    #[serde(borrow)]
    community_code: Cow<'a, str>,
}

/// Where a plain bundle's records begin, as this app writes it.
const MARK: &[u8] = b",\"tables\":";

/// Skims `bytes` (a plain bundle file). `holds(table, id, updated_at, updated_by)`: the
/// database holds this version of the record. `progress(done, total)` every few thousand
/// records. `None`: not a bundle of records all held (or not one this can tell): read it whole.
pub fn skim(
    bytes: &[u8],
    hashed: Option<&Hashed>,
    holds: &mut dyn FnMut(&str, &str, i64, &str) -> bool,
    progress: &mut dyn FnMut(u64, u64),
) -> Option<Skimmed> {
    let head_end = bytes[..bytes.len().min(1 << 20)]
        .windows(MARK.len())
        .position(|w| w == MARK)?;
    let mut prefix = bytes[..head_end].to_vec();
    prefix.push(b'}');
    let head: Head = serde_json::from_slice(&prefix).ok()?;
    head_ok(
        Some(&head.format.as_str().into()),
        Some(&head.version.into()),
    )
    .ok()?;
    // An older format is upgraded (and sealed again) on the whole way.
    if head.version != VERSION
        || !id::is_valid_id(&head.device)
        || !matches!(head.source.kind.as_str(), "community" | "street")
        || head.scope.field.is_some()
        || head
            .scope
            .communities
            .iter()
            .any(|c| division::community_code(c).is_err())
    {
        return None;
    }
    let rest = bytes[head_end + MARK.len()..].trim_ascii_end();
    let records = rest.strip_suffix(b"}")?;
    // Counts are checked as the records pass; a header's own may be anything.
    let total = head.counts.values().fold(0u64, |a, n| a.saturating_add(*n));
    let mut walk = Walk {
        scope: head.scope.communities.iter().map(String::as_str).collect(),
        counts: &head.counts,
        holds,
        progress,
        total,
        done: 0,
        unchanged: BTreeMap::new(),
        max_time: 0,
        tables_seen: 0,
    };
    let mut de = serde_json::Deserializer::from_slice(records);
    TablesSeed(&mut walk).deserialize(&mut de).ok()?;
    de.end().ok()?;
    // Last: a file whose records are not all held stops at the first such record, before
    // its bytes are hashed (natively; the worker has them hashed by the browser as it reads).
    if walk.tables_seen != head.counts.len()
        || file_sum(bytes, &head.checksum, hashed).as_deref() != Some(head.checksum.as_str())
    {
        return None;
    }
    let (unchanged, max_time) = (walk.unchanged, walk.max_time);
    let header = Bundle {
        format: head.format,
        version: head.version,
        exported_at: head.exported_at,
        device: head.device,
        device_name: head.device_name,
        actor: head.actor,
        sequence: head.sequence,
        source: head.source,
        scope: head.scope,
        masked: head.masked,
        counts: head.counts,
        checksum: head.checksum,
        tables: BTreeMap::new(),
        read_version: 0,
    };
    Some(Skimmed {
        header,
        unchanged,
        max_time,
    })
}

/// The skim's state while it walks the records.
struct Walk<'h, 'f> {
    scope: HashSet<&'h str>,
    counts: &'h BTreeMap<String, u64>,
    holds: &'f mut dyn FnMut(&str, &str, i64, &str) -> bool,
    progress: &'f mut dyn FnMut(u64, u64),
    total: u64,
    done: u64,
    unchanged: BTreeMap<String, BTreeMap<String, u64>>,
    max_time: i64,
    tables_seen: usize,
}

/// Why the skim stopped (it never says more: the whole way says what is wrong).
fn stop<E: de::Error>() -> E {
    E::custom("not all held")
}

struct TablesSeed<'w, 'h, 'f>(&'w mut Walk<'h, 'f>);

impl<'de> DeserializeSeed<'de> for TablesSeed<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TablesSeed<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the tables")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::default();
        while let Some(name) = map.next_key::<Cow<'de, str>>()? {
            let spec = tables::table(&name).ok_or_else(stop)?;
            let declared = *self.0.counts.get(spec.name).ok_or_else(stop)?;
            if !seen.insert(spec.name) {
                return Err(stop());
            }
            let n = map.next_value_seed(RecordsSeed {
                walk: self.0,
                table: spec.name,
            })?;
            if n != declared {
                return Err(stop());
            }
            self.0.tables_seen += 1;
        }
        Ok(())
    }
}

struct RecordsSeed<'w, 'h, 'f> {
    walk: &'w mut Walk<'h, 'f>,
    table: &'static str,
}

impl<'de> DeserializeSeed<'de> for RecordsSeed<'_, '_, '_> {
    type Value = u64;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<u64, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RecordsSeed<'_, '_, '_> {
    type Value = u64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a table's records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<u64, A::Error> {
        let w = self.walk;
        // Records come sorted by id, as every writer seals them: each id after the last one
        // (no id twice).
        let mut last = String::new();
        let mut per_community: BTreeMap<Cow<'de, str>, u64> = BTreeMap::new();
        let mut n = 0u64;
        while let Some(k) = seq.next_element::<Key<'de>>()? {
            n += 1;
            w.done += 1;
            if w.done.is_multiple_of(super::merge::PROGRESS_EVERY) {
                (w.progress)(w.done, w.total);
            }
            if (n > 1 && *k.id <= *last)
                || !w.scope.contains(k.community_code.as_ref())
                || !(w.holds)(self.table, &k.id, k.updated_at, &k.updated_by)
            {
                return Err(stop());
            }
            last.clear();
            last.push_str(&k.id);
            w.max_time = w.max_time.max(k.updated_at);
            *per_community.entry(k.community_code).or_default() += 1;
        }
        for (code, count) in per_community {
            *w.unchanged
                .entry(code.into_owned())
                .or_default()
                .entry(self.table.to_string())
                .or_default() += count;
        }
        Ok(n)
    }
}
