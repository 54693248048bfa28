//! Benchmark (prints figures, asserts nothing): resident search and list at street scale,
//! natively, through the store the worker runs. Reads a street bundle made by
//! `gridledger sample --communities 15 --scale street -o street.json` (~200,000 residents),
//! imports it into a street office's database file, then times 200 searches each by name,
//! pinyin initials, phone tail and ID tail (a page of 50 and its total, as the list asks):
//!   cargo run --release --example search_bench -- street.json
//! Run by `bash scripts/bench.sh`.

use gridledger::domain::bundle;
use gridledger::domain::pinyin::initials;
use gridledger::protocol::{CareQuery, DashboardQuery, ResidentQuery, StreetSetup};
use gridledger::storage::{system_now, Store};
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: search_bench STREET_BUNDLE.json");
    let bytes = std::fs::read(&path).expect("read the bundle");
    let b = bundle::parse(&bytes).expect("a bundle");
    // KEEP_DB=path keeps the imported database there and reuses it on the next run.
    let keep = std::env::var("KEEP_DB").ok();
    let db = match &keep {
        Some(p) => std::path::PathBuf::from(p),
        None => std::env::temp_dir().join(format!(
            "gridledger-search-bench-{}.sqlite",
            std::process::id()
        )),
    };
    let reuse = keep.is_some() && db.exists();
    if !reuse {
        let _ = std::fs::remove_file(&db);
    }
    let conn = rusqlite::Connection::open(&db).expect("open");
    let mut s = Store::open(conn, system_now, 1).expect("store");
    if !reuse {
        s.setup_street(&StreetSetup {
            name: "建中街街道".into(),
            code: "410103008".into(),
            device_name: "bench".into(),
            actor_name: "bench".into(),
        })
        .expect("set up");
        let t0 = Instant::now();
        s.import_bundle(&b, "bench", false, "bench")
            .expect("import");
        println!("import street bundle: {} ms", t0.elapsed().as_millis());
    }
    let picks: Vec<(String, String, String)> = s
        .conn()
        .prepare(
            "SELECT name, coalesce(phone, ''), coalesce(id_number, '') FROM residents
             WHERE deleted = 0 ORDER BY id_rev LIMIT 400",
        )
        .expect("sql")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("sql")
        .collect::<Result<_, _>>()
        .expect("rows");
    let q = |text: String, offset: u32| ResidentQuery {
        community_code: String::new(),
        text,
        grid_id: None,
        tag_id: None,
        status: String::new(),
        offset,
        limit: 50,
    };
    let total = s
        .search_residents(&q(String::new(), 0))
        .expect("list")
        .total;
    println!("street residents, native: {total} residents");
    let tail = |t: &str, n: usize| t[t.len().saturating_sub(n)..].to_string();
    type Make<'a> = Box<dyn Fn(usize) -> ResidentQuery + 'a>;
    let cases: Vec<(&str, Make)> = vec![
        (
            "list, whole street, first page",
            Box::new(|_| q(String::new(), 0)),
        ),
        (
            "list, whole street, deep page",
            Box::new(|i| q(String::new(), (i as u64 * 3571 % total) as u32)),
        ),
        (
            "search: full name",
            Box::new(|i| q(picks[i % picks.len()].0.clone(), 0)),
        ),
        (
            "search: surname (one character)",
            Box::new(|i| q(picks[i % picks.len()].0.chars().take(1).collect(), 0)),
        ),
        (
            "search: pinyin initials",
            Box::new(|i| q(initials(&picks[i % picks.len()].0), 0)),
        ),
        (
            "search: phone tail (4 digits)",
            Box::new(|i| q(tail(&picks[i % picks.len()].1, 4), 0)),
        ),
        (
            "search: ID tail (6)",
            Box::new(|i| q(tail(&picks[i % picks.len()].2, 6), 0)),
        ),
    ];
    let only = std::env::var("ONLY").unwrap_or_default();
    for (label, make) in cases.iter().filter(|c| c.0.contains(only.as_str())) {
        let mut ms: Vec<f64> = (0..200)
            .map(|i| {
                let query = make(i);
                let t = Instant::now();
                let page = s.search_residents(&query).expect("search");
                std::hint::black_box(page);
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        ms.sort_by(f64::total_cmp);
        // The plain way (what the peer runs): count, then the page, each its own statement.
        let mut plain: Vec<f64> = (0..200)
            .map(|i| {
                let (count, page, args) = s.resident_search_sql(&make(i)).expect("sql");
                let t = Instant::now();
                let n: i64 = s
                    .conn()
                    .query_row(&count, rusqlite::params_from_iter(args.iter()), |r| {
                        r.get(0)
                    })
                    .expect("count");
                let rows = s
                    .conn()
                    .prepare(&page)
                    .expect("page")
                    .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                        r.get::<_, String>(0)
                    })
                    .expect("page")
                    .count();
                std::hint::black_box((n, rows));
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        plain.sort_by(f64::total_cmp);
        println!(
            "  {label:<42} p50 {:>8.1} ms   p95 {:>8.1} ms   (count, then page: p50 {:.1}, p95 {:.1})",
            ms[100], ms[190], plain[100], plain[190]
        );
    }
    // Key-group care at street scale: who is due, computed on read.
    let code = s.communities().expect("communities")[0].code.clone();
    let care = |community: &str, state: &str| CareQuery {
        community_code: community.to_string(),
        state: state.into(),
        limit: 50,
        ..Default::default()
    };
    // "after a change": a resident is written before each run, so nothing computed before is
    // reused (the care list's due computation is kept until the care data change); "after a
    // case step": only a case is written, which the due lists do not read.
    #[derive(Clone, Copy, PartialEq)]
    enum Change {
        None,
        Resident,
        Case,
    }
    let timed_as = |label: &str, change: Change, f: &dyn Fn() -> usize| {
        let mut ms: Vec<f64> = Vec::new();
        let mut n = 0;
        for _ in 0..20 {
            let table = match change {
                Change::None => None,
                Change::Resident => Some("residents"),
                Change::Case => Some("cases"),
            };
            if let Some(t) = table {
                s.conn()
                    .execute(
                        &format!(
                            "UPDATE {t} SET updated_at = (SELECT max(updated_at) + 1 FROM {t})
                             WHERE rowid = (SELECT min(rowid) FROM {t})"
                        ),
                        [],
                    )
                    .expect("a change");
            }
            let t = Instant::now();
            n = f();
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        ms.sort_by(f64::total_cmp);
        println!(
            "  {label:<56} p50 {:>8.1} ms   p95 {:>8.1} ms   ({n})",
            ms[10], ms[19]
        );
    };
    let timed = |label: &str, f: &dyn Fn() -> usize| {
        timed_as(&format!("{label}, after a change"), Change::Resident, f);
        timed_as(&format!("{label}, again"), Change::None, f);
    };
    let timed_dash = |label: &str, f: &dyn Fn() -> usize| {
        timed_as(&format!("{label}, after a change"), Change::Resident, f);
        timed_as(&format!("{label}, after a case step"), Change::Case, f);
        timed_as(&format!("{label}, again"), Change::None, f);
    };
    timed("care: due list, whole street", &|| {
        s.care_list(&care("", "due")).expect("care").people as usize
    });
    timed("care: overdue list, one community", &|| {
        s.care_list(&care(&code, "overdue")).expect("care").total as usize
    });
    timed("care: key groups, one community", &|| {
        s.key_groups(&code).expect("groups").len()
    });
    // The dashboard's figures (charts aside) at street scale.
    let dash = |community: &str, from: &str| DashboardQuery {
        community_code: community.to_string(),
        from: from.to_string(),
        to: String::new(),
        ..Default::default()
    };
    timed_dash("dashboard: whole street, this month", &|| {
        s.dashboard(&dash("", ""))
            .expect("dashboard")
            .cases
            .received as usize
    });
    timed_dash("dashboard: whole street, a year", &|| {
        s.dashboard(&dash("", "2026-01-01"))
            .expect("dashboard")
            .cases
            .received as usize
    });
    timed_dash("dashboard: one community, a year", &|| {
        s.dashboard(&dash(&code, "2026-01-01"))
            .expect("dashboard")
            .cases
            .received as usize
    });
    let root: String = s
        .conn()
        .query_row(
            "SELECT id FROM grids WHERE community_code = ?1 AND parent_id IS NULL",
            [&code],
            |r| r.get(0),
        )
        .expect("root grid");
    timed_dash("dashboard: one grid subtree, a year", &|| {
        s.dashboard(&DashboardQuery {
            grid_id: root.clone(),
            ..dash(&code, "2026-01-01")
        })
        .expect("dashboard")
        .cases
        .received as usize
    });
    drop(s);
    if keep.is_none() {
        let _ = std::fs::remove_file(&db);
    }
}
