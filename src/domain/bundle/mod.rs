//! Bundles (数据包): the JSON files communities and the street office exchange. This module is
//! pure: the format, parsing with specific errors, validation of every record, masking, and
//! the merge rules (`merge`). Storage exports and applies; the UI only shows.
//!
//! Format (version 1, `assets/bundle.schema.json`, described in docs/bundle-format.md):
//! a header (format name and version, who exported it, when, from which device, with which
//! sequence number, the scope, which fields are masked, record counts and a checksum) and
//! `tables`: for each shared table, its records sorted by id.

// A refused file is rare and its error carries where it went wrong; boxing it buys nothing.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod crypt;
pub mod merge;
mod record;
pub mod schema;
pub mod skim;
pub mod tables;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

pub const FORMAT: &str = "gridledger-bundle";
/// The format this app writes. Version 2 added the `case_photos` table and the volunteers
/// (`volunteers`, `volunteer_teams`, `team_members`) with their duty rosters (`shifts`,
/// `shift_people`); version 3 attendance (`shift_people.check_in`/`check_out`), the time
/// bank (`service_hours`) and the micro-wishes (`wishes`, `wish_events`, `wish_photos`);
/// version 4 key-group care (`tags.visit_days`, `care_plans`, `visits`), residents' status
/// with its history (`residents.status`, `resident_events`) and the party organisation
/// (`party_orgs`, `party_members`).
pub const VERSION: u32 = 4;
/// The oldest format this app reads. Versions only add tables and columns: a table or column
/// a bundle's version does not have is refused in it (`TableSpec::since`, `Column::since`),
/// and reading an older bundle fills in the columns added since with their defaults.
pub const MIN_VERSION: u32 = 1;

/// One record: a JSON object with the record fields and the table's columns.
pub use record::Record;

/// A record inside a typed message (`#[serde(with = "record_text")]`): an object in JSON,
/// JSON text in a positional binary encoding, which cannot carry a self-describing value.
pub mod record_text {
    use super::Record;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(record: &Record, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            record.serialize(s)
        } else {
            let text = serde_json::to_string(record).map_err(serde::ser::Error::custom)?;
            s.serialize_str(&text)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Record, D::Error> {
        // Read as a JSON map, then made a record (a conflict's two records, a few at a time):
        // the page's wasm reads conflicts, and the map's reader is already there for JSON
        // values, where the record's own would add ~2 KiB to what the first paint downloads.
        let map: serde_json::Map<String, serde_json::Value> = if d.is_human_readable() {
            serde_json::Map::deserialize(d)?
        } else {
            let text = String::deserialize(d)?;
            serde_json::from_str(&text).map_err(serde::de::Error::custom)?
        };
        Ok(map.into_iter().collect())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub format: String,
    pub version: u32,
    /// The exporting database's hybrid-logical-clock time when it exported.
    pub exported_at: i64,
    pub device: String,
    pub device_name: String,
    /// Who exported (a staff name), for the export log.
    pub actor: String,
    /// This device's export counter; incremental bundles follow one another by it.
    pub sequence: u64,
    pub source: Source,
    pub scope: Scope,
    /// Per table, the columns whose values are masked in this bundle.
    pub masked: BTreeMap<String, Vec<String>>,
    pub counts: BTreeMap<String, u64>,
    /// `sha256:` and the hex SHA-256 of the canonical JSON of the whole bundle with this field
    /// empty: header and records alike.
    pub checksum: String,
    pub tables: BTreeMap<String, Vec<Record>>,
    /// The version the file was written in, when reading upgraded it (0: as written).
    #[serde(skip)]
    pub read_version: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// "community" or "street".
    pub kind: String,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// The communities whose records are in the bundle.
    pub communities: Vec<String>,
    /// One grid and its sub-grids, or the whole community (null).
    pub grid_id: Option<String>,
    /// Incremental: only records changed after this clock time (with the parents they need).
    pub since: Option<i64>,
    /// Incremental: the sequence number of the bundle this one follows.
    pub after_sequence: Option<u64>,
    /// A field bundle (外勤数据包): what one grid worker takes to a phone. Absent otherwise
    /// (older bundles have no such key, so their checksums are unchanged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<FieldScope>,
}

/// Whose field bundle this is: the grid worker it was made for, their grids (each with its
/// sub-grids in the bundle), and, in a return bundle (送回), that it comes back from the phone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldScope {
    pub staff_id: String,
    pub staff_name: String,
    /// The worker's own grids (the bundle also holds their sub-grids and ancestors).
    pub grid_ids: Vec<String>,
    pub grid_names: Vec<String>,
    /// false: the office's bundle for the phone; true: the phone's return bundle.
    #[serde(default)]
    pub returning: bool,
}

impl Bundle {
    /// The checksum of the canonical JSON of this bundle with an empty `checksum`, hashed as
    /// it is serialized (a street's bundle is ~420 MB: it is never held as one string).
    pub fn compute_checksum(&self) -> String {
        use sha2::{Digest, Sha256};
        use std::io::Write;
        /// What `serde_json` writes for a [`Bundle`]: the same fields in the same order.
        #[derive(Serialize)]
        struct Unsealed<'a> {
            format: &'a str,
            version: u32,
            exported_at: i64,
            device: &'a str,
            device_name: &'a str,
            actor: &'a str,
            sequence: u64,
            source: &'a Source,
            scope: &'a Scope,
            masked: &'a BTreeMap<String, Vec<String>>,
            counts: &'a BTreeMap<String, u64>,
            checksum: &'a str,
            tables: &'a BTreeMap<String, Vec<Record>>,
        }
        struct Hasher(Sha256);
        impl Write for Hasher {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.update(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let view = Unsealed {
            format: &self.format,
            version: self.version,
            exported_at: self.exported_at,
            device: &self.device,
            device_name: &self.device_name,
            actor: &self.actor,
            sequence: self.sequence,
            source: &self.source,
            scope: &self.scope,
            masked: &self.masked,
            counts: &self.counts,
            checksum: "",
            tables: &self.tables,
        };
        let mut out = std::io::BufWriter::with_capacity(1 << 16, Hasher(Sha256::new()));
        // Writing into a hasher cannot fail, nor can serializing JSON values.
        let _ = serde_json::to_writer(&mut out, &view);
        let digest = match out.into_inner() {
            Ok(h) => h.0.finalize(),
            Err(_) => Sha256::digest(b""),
        };
        check::sha256_text(&digest)
    }

    /// Sorts records by id, fills in counts and the checksum: the form every writer emits.
    pub fn seal(&mut self) {
        for records in self.tables.values_mut() {
            records.sort_by(|a, b| id_of(a).cmp(id_of(b)));
        }
        self.counts = self
            .tables
            .iter()
            .map(|(t, r)| (t.clone(), r.len() as u64))
            .collect();
        self.checksum = self.compute_checksum();
    }

    /// Canonical JSON: fixed key order (serde_json's maps are sorted), records sorted by id.
    /// The bundle as an app of an older format `version` would have written it: the tables
    /// and columns added since left out, sealed again (for tests and for older readers).
    pub fn strip_to(&mut self, version: u32) {
        self.tables
            .retain(|t, _| tables::table(t).is_some_and(|s| s.since <= version));
        self.counts.retain(|t, _| self.tables.contains_key(t));
        for (t, records) in self.tables.iter_mut() {
            let Some(spec) = tables::table(t) else {
                continue;
            };
            for r in records.iter_mut() {
                for c in spec.all_columns().filter(|c| c.since > version) {
                    r.remove(c.name);
                }
            }
        }
        self.masked
            .retain(|t, _| tables::table(t).is_some_and(|s| s.since <= version));
        self.version = version;
        self.seal();
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn record_count(&self) -> u64 {
        self.counts.values().sum()
    }
}

pub fn id_of(r: &Record) -> &str {
    r.get("id").and_then(Value::as_str).unwrap_or("")
}

pub fn text<'a>(r: &'a Record, column: &str) -> Option<&'a str> {
    r.get(column).and_then(Value::as_str)
}

pub fn int(r: &Record, column: &str) -> i64 {
    r.get(column).and_then(Value::as_i64).unwrap_or(0)
}

pub fn is_deleted(r: &Record) -> bool {
    r.get("deleted").and_then(Value::as_bool).unwrap_or(false)
}

/// The version of a record: newer wins, by clock time then device id.
pub fn version(r: &Record) -> (i64, &str) {
    (int(r, "updated_at"), text(r, "updated_by").unwrap_or(""))
}

pub use check::{parse, parse_hashed, BundleError, Hashed};

/// The largest bundle file read (a street's 15 communities with two years of cases are
/// ~420 MB; parsing needs several times the file in the worker's memory, which wasm caps at
/// 4 GB). The page refuses a larger file before sending it to the worker.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// Who a bundle says it is: enough to recognise one imported before without parsing its
/// records (see [`Declared::holds`]).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Declared {
    pub device: String,
    pub sequence: u64,
    pub exported_at: i64,
    pub checksum: String,
}

impl Declared {
    /// The file's bytes give the checksum it declares: it is, byte for byte, the canonical
    /// JSON the exporter hashed (this app's own files are), so its records are those of the
    /// bundle with that checksum. One SHA-256 over the file, no parsing. A damaged or altered
    /// copy fails this and goes the whole way, where it is refused with its reason.
    /// `hashed`: what the bytes hash to, if that was computed already.
    pub fn holds(&self, bytes: &[u8], hashed: Option<&Hashed>) -> bool {
        check::file_sum(bytes, &self.checksum, hashed).as_deref() == Some(self.checksum.as_str())
    }
}

/// [`Declared`] from a plain bundle whose header comes before its records, as this app writes
/// them (the header is read from the bytes before `,"tables":`, within the first MiB); `None`
/// for anything else (encrypted, laid out otherwise, not a bundle).
pub fn declared(bytes: &[u8]) -> Option<Declared> {
    const MARK: &[u8] = b",\"tables\":";
    let head = &bytes[..bytes.len().min(1 << 20)];
    let at = head.windows(MARK.len()).position(|w| w == MARK)?;
    let mut prefix = head[..at].to_vec();
    prefix.push(b'}');
    let d: Declared = serde_json::from_slice(&prefix).ok()?;
    let hex = d.checksum.strip_prefix("sha256:")?;
    (hex.len() == 64 && !d.device.is_empty()).then_some(d)
}

/// Reads a bundle file, encrypted or not.
pub fn open(bytes: &[u8], passphrase: Option<&str>) -> Result<Bundle, BundleError> {
    open_hashed(bytes, passphrase, None)
}

/// [`open`], given what a plain file's bytes hash to (see [`parse_hashed`]).
pub fn open_hashed(
    bytes: &[u8],
    passphrase: Option<&str>,
    hashed: Option<&Hashed>,
) -> Result<Bundle, BundleError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(BundleError::new(
            "too_large",
            format!("{} bytes; at most {MAX_FILE_BYTES}", bytes.len()),
        ));
    }
    if crypt::is_encrypted(bytes) {
        parse(&crypt::decrypt(bytes, passphrase)?)
    } else {
        parse_hashed(bytes, hashed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bundle of one record from `device`, exported at 12 as number 3.
    fn small_bundle(
        device: &str,
        masked: BTreeMap<String, Vec<String>>,
        (table, record): (&str, Record),
    ) -> Bundle {
        Bundle {
            format: FORMAT.into(),
            version: VERSION,
            exported_at: 12,
            device: device.into(),
            device_name: "名".into(),
            actor: "x".into(),
            sequence: 3,
            source: Source {
                kind: "community".into(),
                code: "1".into(),
                name: "n".into(),
            },
            scope: Scope::default(),
            masked,
            counts: BTreeMap::new(),
            checksum: String::new(),
            tables: BTreeMap::from([(table.into(), vec![record])]),
            read_version: 0,
        }
    }

    /// A bundle this app wrote says who it is from its first bytes; other layouts do not.
    #[test]
    fn a_bundle_declares_itself_in_its_header() {
        let mut b = small_bundle(
            "dev\",\"tables\":",
            BTreeMap::new(),
            ("grids", Record::new()),
        );
        b.checksum = b.compute_checksum();
        let json = b.to_json();
        let d = declared(json.as_bytes()).expect("declared");
        assert!(d.holds(json.as_bytes(), None));
        assert!(
            !d.holds(&json.as_bytes()[..json.len() - 1], None),
            "truncated"
        );
        assert!(
            !d.holds(json.replace("名", "另").as_bytes(), None),
            "altered"
        );
        assert_eq!(
            (d.device.as_str(), d.sequence, d.exported_at),
            ("dev\",\"tables\":", 3, 12)
        );
        assert_eq!(d.checksum, b.checksum);
        let pretty = serde_json::to_string_pretty(&b).unwrap();
        assert_eq!(declared(pretty.as_bytes()), None);
        assert_eq!(declared(b"{\"format\":1,\"tables\":{}}"), None);
        assert_eq!(declared(&[0xff; 40]), None);
    }

    /// The streamed checksum hashes exactly the bundle's own JSON with `checksum` empty.
    #[test]
    fn checksum_hashes_the_bundles_json_with_an_empty_checksum() {
        use sha2::{Digest, Sha256};
        let mut r = Record::new();
        r.insert("id", Value::String("a\"b".into()));
        r.insert("n", Value::from(7));
        let mut b = small_bundle(
            "d",
            BTreeMap::from([("residents".into(), vec!["phone".into()])]),
            ("residents", r),
        );
        let text = b.to_json();
        b.checksum = "sha256:old".into();
        let want: String = Sha256::digest(text.as_bytes())
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect();
        assert_eq!(b.compute_checksum(), format!("sha256:{want}"));
        // A file as this app writes it gives its checksum from its own bytes; laid out
        // otherwise, it does not (and is checked on its canonical JSON instead).
        b.seal();
        let file = b.to_json();
        assert_eq!(
            check::file_checksum(file.as_bytes(), &b.checksum),
            Some(b.checksum.clone())
        );
        let value: Value = serde_json::from_str(&file).unwrap();
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        assert_ne!(
            check::file_checksum(pretty.as_bytes(), &b.checksum),
            Some(b.checksum.clone())
        );
    }

    /// The overlay the worker hashes with the browser's SHA-256 gives the file's checksum, and a
    /// checksum computed outside is used only when it is for the checksum the file declares
    /// (parsing with one: `tests/bundle.rs`).
    #[test]
    fn a_file_hashed_outside_gives_its_checksum() {
        use sha2::{Digest, Sha256};
        let mut r = Record::new();
        r.insert("id", Value::String("r1".into()));
        let mut b = small_bundle("d", BTreeMap::new(), ("grids", r));
        b.seal();
        let file = b.to_json();
        let (offset, head) = check::emptied_head(file.as_bytes(), &b.checksum).expect("head");
        let mut copy = file.clone().into_bytes();
        copy[offset..offset + head.len()].copy_from_slice(&head);
        let computed = check::sha256_text(&Sha256::digest(&copy[offset..]));
        assert_eq!(computed, b.checksum);
        assert_eq!(check::emptied_head(b"{}", &b.checksum), None);

        let right = Hashed {
            declared: b.checksum.clone(),
            computed,
        };
        let d = declared(file.as_bytes()).expect("declared");
        assert!(d.holds(file.as_bytes(), Some(&right)));
        // A wrong outside sum makes a good file fail the quick test...
        let wrong = Hashed {
            computed: "sha256:0".into(),
            ..right.clone()
        };
        assert!(!d.holds(file.as_bytes(), Some(&wrong)));
        // A sum for another declared checksum is not used.
        let other = Hashed {
            declared: "sha256:1".into(),
            ..right
        };
        assert!(d.holds(file.as_bytes(), Some(&other)));
    }
}
