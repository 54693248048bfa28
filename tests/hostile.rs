//! Hostile and broken input, fuzzed with proptest in a bounded run: the bundle reader (plain
//! and encrypted), the spreadsheet importer (.xlsx/.xls/.ods/.csv) and the shared-duty link
//! decoder never panic and never hang on arbitrary bytes, on real files with bytes flipped,
//! cut or inserted, or on arbitrary JSON; every failure is an error with a code. Oversized
//! input (a file over the limit, a 1 MB string in a record) is refused with its own code.

#![cfg(feature = "store")]
// `bounded` returns the readers' own results, whose errors are large by design.
#![allow(clippy::result_large_err)]

use gridledger::domain::bundle::{self, crypt, MAX_FILE_BYTES};
use gridledger::domain::sample::SampleOptions;
use gridledger::domain::share::{self, SharedDuty, SharedShift};
use gridledger::sheet;
use gridledger::storage::bundle::ExportOptions;
use gridledger::storage::Store;
use proptest::prelude::*;
use serde_json::Value;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn now() -> i64 {
    1_795_000_000_000
}

/// A real, small bundle file (two households' worth of a sample community).
fn real_bundle() -> &'static Vec<u8> {
    static B: OnceLock<Vec<u8>> = OnceLock::new();
    B.get_or_init(|| {
        let mut s = Store::open_in_memory(now, 7).unwrap();
        let mut o = SampleOptions::community(7, now());
        o.households = 3;
        o.cases = 3;
        o.grids = 1;
        o.wishes = 1;
        s.load_sample(&o).unwrap();
        let b = s
            .export_bundle(&ExportOptions {
                actor: "测试".into(),
                ..Default::default()
            })
            .unwrap();
        b.to_json().into_bytes()
    })
}

fn real_sheet() -> &'static Vec<u8> {
    static X: OnceLock<Vec<u8>> = OnceLock::new();
    X.get_or_init(|| {
        sheet::write_xlsx(&sheet::Table {
            sheet_name: "居民",
            headers: vec!["姓名".into(), "身份证号".into(), "电话".into()],
            rows: (0..20)
                .map(|i| {
                    vec![
                        format!("张{i}"),
                        "11010519491231002X".into(),
                        format!("138{i:08}"),
                    ]
                })
                .collect(),
            widths: vec![],
        })
        .unwrap()
    })
}

fn real_link() -> String {
    share::encode(&SharedDuty {
        name: "王小红".into(),
        office: "永安社区".into(),
        as_of: now(),
        shifts: (0..5)
            .map(|i| SharedShift {
                start: now() + i * 86_400_000,
                end: now() + i * 86_400_000 + 7_200_000,
                title: "夜间巡逻".into(),
                place: "一网格 · 3号楼".into(),
                role: "巡逻".into(),
                people: vec!["李四".into()],
            })
            .collect(),
    })
}

/// Damages `bytes`: each edit flips, removes or inserts a byte, or cuts the tail.
fn damage(bytes: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut v = bytes.to_vec();
    for &(at, what, b) in edits {
        if v.is_empty() {
            break;
        }
        let i = at % v.len();
        match what % 4 {
            0 => v[i] ^= b | 1,
            1 => {
                v.remove(i);
            }
            2 => v.insert(i, b),
            _ => v.truncate(i),
        }
    }
    v
}

/// Runs `f`, which must finish well within a second on these small inputs (no hang).
fn bounded<T>(f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "took {:?}",
        t.elapsed()
    );
    out
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[a-z_\\u{4e00}-\\u{4e20}]{0,12}".prop_map(Value::String),
        Just(Value::String("gridledger-bundle".into())),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("format".to_string()),
                    Just("version".to_string()),
                    Just("tables".to_string()),
                    Just("residents".to_string()),
                    Just("id".to_string()),
                    "[a-z_]{1,8}".prop_map(String::from),
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_bundle_reader_refuses_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let r = bounded(|| bundle::open(&bytes, None));
        prop_assert!(r.is_err());
        prop_assert!(!r.unwrap_err().code.is_empty());
    }

    #[test]
    fn a_damaged_bundle_is_refused_or_read_never_a_panic(
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..4)
    ) {
        let bytes = damage(real_bundle(), &edits);
        if let Err(e) = bounded(|| bundle::open(&bytes, None)) {
            prop_assert!(!e.code.is_empty());
        }
    }

    #[test]
    fn arbitrary_json_is_no_bundle(v in json_value()) {
        let text = serde_json::to_vec(&v).unwrap();
        prop_assert!(bounded(|| bundle::open(&text, None)).is_err());
    }

    #[test]
    fn a_damaged_encrypted_bundle_is_refused(
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..3)
    ) {
        static ENC: OnceLock<Vec<u8>> = OnceLock::new();
        // Few PBKDF2 rounds: the fuzzing is of the reader, not the key derivation.
        let enc = ENC.get_or_init(|| crypt::encrypt(real_bundle(), "正确的密码123", [7; 28], 1_000));
        let bytes = damage(enc, &edits);
        if bytes != *enc {
            let r = bounded(|| bundle::open(&bytes, Some("正确的密码123")));
            prop_assert!(r.is_err(), "a changed encrypted file never decrypts");
        }
    }

    #[test]
    fn the_spreadsheet_reader_survives_arbitrary_and_damaged_files(
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..4)
    ) {
        let _ = bounded(|| sheet::read(&bytes));
        let _ = bounded(|| sheet::read(&damage(real_sheet(), &edits)));
        let csv = "姓名,身份证号,电话\n张三,11010519491231002X,13812345678\n李四,,\n".as_bytes();
        let _ = bounded(|| sheet::read(&damage(csv, &edits)));
    }

    #[test]
    fn the_share_link_decoder_refuses_garbage_and_damage(
        text in "\\PC{0,300}",
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..4)
    ) {
        let _ = bounded(|| share::decode(&text));
        let _ = bounded(|| share::decode(&format!("d1.{text}")));
        let link = real_link();
        let damaged = String::from_utf8_lossy(&damage(link.as_bytes(), &edits)).into_owned();
        if damaged != link {
            prop_assert!(bounded(|| share::decode(&damaged)).is_err());
        }
    }
}

#[test]
fn the_real_files_themselves_are_read() {
    assert!(bundle::open(real_bundle(), None).is_ok());
    assert!(sheet::read(real_sheet()).is_ok());
    assert!(share::decode(&real_link()).is_ok());
}

#[test]
fn oversized_input_is_refused_with_its_own_code() {
    // A 1 MB string in a record's field.
    let mut v: Value = serde_json::from_slice(real_bundle()).unwrap();
    let residents = v["tables"]["residents"].as_array_mut().unwrap();
    residents[0]["note"] = Value::String("长".repeat(400_000));
    let mut b: bundle::Bundle = serde_json::from_value(v).unwrap();
    b.seal();
    let e = bundle::open(b.to_json().as_bytes(), None).unwrap_err();
    assert_eq!(e.code, "field_too_long", "{e}");
    assert_eq!(e.field.as_deref(), Some("note"));
    // A file over the limit is refused before it is parsed (the check costs nothing).
    let big = vec![b' '; (MAX_FILE_BYTES + 1) as usize];
    let t = Instant::now();
    assert_eq!(bundle::open(&big, None).unwrap_err().code, "too_large");
    assert!(t.elapsed() < Duration::from_millis(100));
}
