//! One record of a bundle: its fields sorted by name, as a JSON object.
//!
//! A street's bundle holds ~950,000 records of ~15 fields. As `serde_json::Map` (a B-tree with
//! an allocated `String` per key) the parsed street took 2.5 GB natively and 9 s to parse;
//! here the fields are one vector, each name a `&'static str` from the tables' columns (a name
//! no table has, which the checks then refuse, is kept as its own string): 1.2 GB and 2.7 s.
//! Serialized, a record is the same JSON as the map was (the same fields in the same order),
//! so checksums and files are unchanged.

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

/// A field's name: one of the tables' column names, or (rarely) any other text.
type Key = Cow<'static, str>;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// Sorted by name, no name twice.
    fields: Vec<(Key, Value)>,
}

/// Every column name of every table, sorted.
fn known() -> &'static [&'static str] {
    static KNOWN: OnceLock<Vec<&'static str>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut names: Vec<&'static str> = super::tables::TABLES
            .iter()
            .flat_map(|t| t.all_columns().map(|c| c.name))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    })
}

/// `a.cmp(b)` for field names. They are short and mostly differ in their first bytes, and a
/// record's are looked up ~60 times in an import: comparing them byte by byte here, rather
/// than through a call to the C library's `memcmp`, made the street's checks ~20% faster.
#[inline]
fn compare(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    if std::ptr::eq(a, b) {
        return std::cmp::Ordering::Equal;
    }
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

fn key(name: &str) -> Key {
    let known = known();
    match known.binary_search_by(|k| compare(k.as_bytes(), name.as_bytes())) {
        Ok(i) => Cow::Borrowed(known[i]),
        Err(_) => Cow::Owned(name.to_string()),
    }
}

impl Record {
    pub fn new() -> Record {
        Record::default()
    }

    /// A record with room for `n` fields.
    pub fn with_capacity(n: usize) -> Record {
        Record {
            fields: Vec::with_capacity(n),
        }
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.fields
            .binary_search_by(|(k, _)| compare(k.as_bytes(), name.as_bytes()))
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.find(name).ok().map(|i| &self.fields[i].1)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut Value> {
        self.find(name).ok().map(|i| &mut self.fields[i].1)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    /// Sets a field; the value it replaces, if any.
    pub fn insert(&mut self, name: impl AsRef<str>, value: Value) -> Option<Value> {
        let name = name.as_ref();
        self.put(name, || key(name), value)
    }

    /// Sets a column's field (a name of the program's own, kept without copying).
    pub fn insert_column(&mut self, name: &'static str, value: Value) -> Option<Value> {
        self.put(name, || Cow::Borrowed(name), value)
    }

    /// Sets the field `name`, named by `make_key()` when the record lacks it.
    fn put(&mut self, name: &str, make_key: impl FnOnce() -> Key, value: Value) -> Option<Value> {
        match self.find(name) {
            Ok(i) => Some(std::mem::replace(&mut self.fields[i].1, value)),
            Err(i) => {
                self.fields.insert(i, (make_key(), value));
                None
            }
        }
    }

    /// The field's value, set first to `make()` when the record lacks it.
    pub fn get_or_insert_with(&mut self, name: &str, make: impl FnOnce() -> Value) -> &mut Value {
        let i = match self.find(name) {
            Ok(i) => i,
            Err(i) => {
                self.fields.insert(i, (key(name), make()));
                i
            }
        };
        &mut self.fields[i].1
    }

    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.find(name).ok().map(|i| self.fields.remove(i).1)
    }

    /// Keeps the fields for which `keep(name, value)` holds.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &mut Value) -> bool) {
        self.fields.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The fields in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.fields.iter().map(|(k, v)| (k.as_ref(), v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|(k, _)| k.as_ref())
    }
}

/// `record["column"]`: the value, or null when the record lacks the field.
impl std::ops::Index<&str> for Record {
    type Output = Value;
    fn index(&self, name: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(name).unwrap_or(&NULL)
    }
}

impl<K: AsRef<str>> FromIterator<(K, Value)> for Record {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(items: I) -> Record {
        let mut r = Record::new();
        for (k, v) in items {
            r.insert(k, v);
        }
        r
    }
}

impl From<Record> for Value {
    fn from(r: Record) -> Value {
        Value::Object(
            r.fields
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v))
                .collect(),
        )
    }
}

impl Serialize for Record {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.fields.len()))?;
        for (k, v) in &self.fields {
            m.serialize_entry(k.as_ref(), v)?;
        }
        m.end()
    }
}

thread_local! {
    /// The fields of the record being read.
    static SCRATCH: std::cell::RefCell<Vec<(Key, Value)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A field name read as its column's `&'static str` without allocating.
struct KeySeed;

impl<'de> de::DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Key, E> {
        Ok(key(s))
    }
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Record, D::Error> {
        struct RecordVisitor;
        impl<'de> Visitor<'de> for RecordVisitor {
            type Value = Record;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a record (a JSON object)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Record, A::Error> {
                // Read into a vector kept for the next record, then copied to one of exactly
                // its length: a street's records are 950,000 vectors, and allocating each with
                // room to spare, then shrinking it, was a fifth of the parse in the worker.
                let mut read = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
                read.clear();
                while let Some(k) = m.next_key_seed(KeySeed)? {
                    read.push((k, m.next_value()?));
                }
                // Stable: of a name given twice, the later value stays (as JSON objects read).
                read.sort_by(|a, b| compare(a.0.as_bytes(), b.0.as_bytes()));
                read.dedup_by(|later, kept| {
                    let same = later.0 == kept.0;
                    if same {
                        std::mem::swap(&mut later.1, &mut kept.1);
                    }
                    same
                });
                let mut fields = Vec::with_capacity(read.len());
                fields.append(&mut read);
                SCRATCH.with(|s| *s.borrow_mut() = read);
                Ok(Record { fields })
            }
        }
        d.deserialize_map(RecordVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map};

    /// A record reads and writes exactly as a JSON object (a map sorted by key) did.
    #[test]
    fn a_record_is_the_json_object_it_was() {
        let text = r#"{"zeta":1,"id":"a","name":"张三","odd key":[1,{"b":2}],"deleted":false,"name":"李四"}"#;
        let r: Record = serde_json::from_str(text).unwrap();
        let map: Map<String, Value> = serde_json::from_str(text).unwrap();
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            serde_json::to_string(&map).unwrap()
        );
        assert_eq!(r.get("name"), Some(&json!("李四")), "the later value stays");
        assert_eq!(r.len(), 5);
        assert!(
            matches!(r.fields[0].0, Cow::Borrowed(_)),
            "a column name is not copied"
        );
        let from_value: Record = serde_json::from_value(Value::Object(map.clone())).unwrap();
        assert_eq!(from_value, r);
        assert_eq!(Value::from(r.clone()), Value::Object(map));
        let mut r = r;
        assert_eq!(r.insert("a", json!(0)), None);
        assert_eq!(r.insert("zeta", json!(2)), Some(json!(1)));
        assert_eq!(
            r.keys().collect::<Vec<_>>(),
            ["a", "deleted", "id", "name", "odd key", "zeta"]
        );
        assert_eq!(r.remove("odd key"), Some(json!([1, {"b": 2}])));
        *r.get_or_insert_with("b", || json!(null)) = json!(3);
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"a":0,"b":3,"deleted":false,"id":"a","name":"李四","zeta":2}"#
        );
        assert!(serde_json::from_str::<Record>("[1]").is_err());
    }
}
