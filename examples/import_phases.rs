//! Benchmark (prints figures, asserts nothing): a street bundle's import natively, phase by
//! phase (reading the file, parsing, the checksum and checks, then the store's plan, write and
//! settle stages as its progress reports them), then the same bundle again (a no-op), then
//! the same records in another file skimmed (if a second file is given), single resident saves
//! on the street's database and reopening it. Run by `bash scripts/bench.sh`.
//!   cargo run --release --example import_phases -- street.json [remerged.json]
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
    let rounds: &[&str] = if std::env::var("PRAGMAS").is_ok() {
        &["import"]
    } else {
        &["import", "re-import"]
    };
    for round in rounds {
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
    // The same records in another file (`gridledger merge` of the bundle), recognised by
    // skimming it: the second argument, if given.
    if let Some(other) = std::env::args().nth(2) {
        let bytes = std::fs::read(&other).expect("read");
        let t = Instant::now();
        let staged = s
            .stage_unchanged(&bytes, None, "bench", true, &mut |_, _, _| {})
            .expect("skim");
        println!(
            "the same records, another file: skimmed and staged in {} ms (recognised: {})",
            t.elapsed().as_millis(),
            staged.is_some()
        );
        s.release_staged().expect("release");
    }
    // Single edits on the street's database: one resident saved, one case step.
    let ids: Vec<String> = {
        let mut st = s
            .conn()
            .prepare("SELECT id FROM residents WHERE deleted = 0 AND status = 'active' ORDER BY id LIMIT 2000")
            .expect("ids");
        let v = st
            .query_map([], |r| r.get(0))
            .expect("ids")
            .map(|r| r.expect("id"))
            .collect();
        v
    };
    let mut ms = vec![];
    let step = std::env::var("SAVE_STEP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    for (i, id) in ids.iter().step_by(step).enumerate() {
        let mut f = s.get_resident(id).expect("resident");
        f.phone = format!("1390000{:04}", 1000 + i);
        let t = Instant::now();
        s.save_resident(&f).expect("save");
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    println!(
        "save one resident ({}): p50 {:.1} ms, p95 {:.1} ms",
        ms.len(),
        ms[ms.len() / 2],
        ms[ms.len() * 95 / 100]
    );
    drop(s);
    let t = Instant::now();
    let conn = rusqlite::Connection::open(&db).expect("open");
    let s = Store::open(conn, system_now, 1).expect("store");
    println!("open the street's database: {} ms", t.elapsed().as_millis());
    drop(s);
    let _ = std::fs::remove_file(&db);
}
