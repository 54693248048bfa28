//! Benchmark (prints figures, asserts nothing): a street bundle's import natively, phase by
//! phase (reading the file, parsing, the checksum and checks, then the store's plan, write and
//! settle stages as its progress reports them), then the same bundle again (a no-op). Run by
//! `bash scripts/bench.sh`.
//!   cargo run --release --example import_phases -- street.json
use gridledger::domain::bundle;
use gridledger::protocol::StreetSetup;
use gridledger::storage::{system_now, Store};
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: import_phases BUNDLE");
    let t = Instant::now();
    let bytes = std::fs::read(&path).expect("read");
    println!("read file            {:>7} ms", t.elapsed().as_millis());
    let t = Instant::now();
    let b: bundle::Bundle = serde_json::from_slice(&bytes).expect("json");
    println!("serde parse (only)   {:>7} ms", t.elapsed().as_millis());
    let t = Instant::now();
    let c = b.compute_checksum();
    println!(
        "checksum             {:>7} ms  {}",
        t.elapsed().as_millis(),
        c == b.checksum
    );
    let t = Instant::now();
    bundle::check::check(&b).expect("check");
    println!("check (incl checksum){:>7} ms", t.elapsed().as_millis());
    drop(b);
    let t = Instant::now();
    let b = bundle::parse(&bytes).expect("bundle");
    println!("bundle::parse whole  {:>7} ms", t.elapsed().as_millis());
    let db = std::env::temp_dir().join("gridledger-phases.sqlite");
    let _ = std::fs::remove_file(&db);
    let conn = rusqlite::Connection::open(&db).expect("open");
    let mut s = Store::open(conn, system_now, 1).expect("store");
    s.setup_street(&StreetSetup {
        name: "建中街街道".into(),
        code: "410103008".into(),
        device_name: "bench".into(),
        actor_name: "bench".into(),
    })
    .expect("set up");
    for round in ["import", "re-import"] {
        let t0 = Instant::now();
        let mut last = (String::new(), Instant::now());
        let mut marks = vec![];
        s.import_with(&b, "bench", false, true, "bench", &mut |stage, _, _| {
            if stage != last.0 {
                marks.push((last.0.clone(), last.1.elapsed().as_millis()));
                last = (stage.to_string(), Instant::now());
            }
        })
        .expect("import");
        marks.push((last.0.clone(), last.1.elapsed().as_millis()));
        println!("{round}: {} ms  {:?}", t0.elapsed().as_millis(), marks);
    }
    drop(s);
    let _ = std::fs::remove_file(&db);
}
