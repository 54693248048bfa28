//! Benchmark (prints figures, asserts nothing): a 10,000-row residents ledger (.xlsx) into the
//! sample community (~8,400 residents): half the rows update residents already there (matched
//! by ID number), half are new people in new households, with tags; times reading the file,
//! checking and matching every row, and writing them, through the store the worker runs:
//!   cargo run --release --example ledger_bench [-- --write ledger.xlsx]
//! With --write it only writes the file (for the browser benchmark). Run by scripts/bench.sh.

use gridledger::domain::date::Date;
use gridledger::domain::idcard::{self, Gender};
use gridledger::domain::ledger::{self, Mapping};
use gridledger::domain::sample::SampleOptions;
use gridledger::protocol::ResidentQuery;
use gridledger::sheet::{self, Table};
use gridledger::storage::ledger::ExportMask;
use gridledger::storage::{system_now, Store};
use std::time::Instant;

const ROWS: usize = 10_000;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let write_to = args
        .iter()
        .position(|a| a == "--write")
        .and_then(|i| args.get(i + 1).cloned());
    let mut s = Store::open_in_memory(system_now, 1).expect("store");
    // The seed of the app's 载入示例数据 button: the browser benchmark imports the file written
    // here into that sample, so its first half updates the same residents there.
    s.load_sample(&SampleOptions::community(20261124, system_now()))
        .expect("sample");
    let code = s.communities().expect("communities")[0].code.clone();

    // Half the rows: residents already in the ledger (from its own export), with a new phone.
    let existing = s
        .export_residents(
            &ResidentQuery {
                community_code: code.clone(),
                ..Default::default()
            },
            ExportMask::default(),
        )
        .expect("export");
    let headers = existing.headers.clone();
    let mut rows: Vec<Vec<String>> = existing
        .rows
        .into_iter()
        .filter(|r| !r[3].is_empty())
        .take(ROWS / 2)
        .enumerate()
        .map(|(i, mut r)| {
            r[4] = format!("139{:08}", i);
            r
        })
        .collect();
    // The other half: new people, six to a new household, in the sample's grids.
    let grids = [
        "第一网格/幸福里",
        "第一网格/和平苑",
        "第二网格",
        "第三网格",
        "第四网格",
    ];
    let tags = ["", "", "独居老人", "残疾人", "空巢老人、低保户", ""];
    let surnames = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄"];
    let given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳"];
    let mut i = 0u32;
    while rows.len() < ROWS {
        let birth = Date::from_days(-9000 + (i as i64 * 37) % 25_000);
        let gender = if i.is_multiple_of(2) {
            Gender::Male
        } else {
            Gender::Female
        };
        let id = idcard::make("410105", birth, 500 + i % 400, gender);
        let name = format!(
            "{}{}{}",
            surnames[i as usize % 8],
            given[(i / 8) as usize % 10],
            given[(i / 80) as usize % 10]
        );
        let n = i / 6;
        rows.push(vec![
            name,
            if gender == Gender::Male { "男" } else { "女" }.into(),
            birth.to_string(),
            id,
            format!("137{:08}", i),
            grids[(n % 5) as usize].into(),
            format!("{}号楼", 40 + n / 60),
            format!("{}单元", 1 + (n / 20) % 3),
            format!("{}", 101 + n % 20),
            String::new(),
            tags[i as usize % 6].into(),
            String::new(),
        ]);
        i += 1;
    }
    let t = Instant::now();
    let bytes = sheet::write_xlsx(&Table {
        sheet_name: "居民",
        headers,
        rows,
        widths: Vec::new(),
    })
    .expect("xlsx");
    println!(
        "write {ROWS}-row .xlsx: {} ms, {} KB",
        t.elapsed().as_millis(),
        bytes.len() / 1024
    );
    if let Some(path) = write_to {
        std::fs::write(&path, &bytes).expect("write");
        return;
    }

    let t = Instant::now();
    let sheets = sheet::read(&bytes).expect("read");
    let read_ms = t.elapsed().as_millis();
    let rows = &sheets[0].rows;
    let t = Instant::now();
    let at = ledger::find_header_row(rows).expect("a header row");
    let heads = ledger::header_texts(rows, at);
    let mapping = Mapping::new(&ledger::guess_mapping(&heads));
    let data: Vec<(u32, Vec<ledger::Cell>)> = rows
        .iter()
        .enumerate()
        .skip(at + 1)
        .map(|(i, r)| (i as u32 + 1, r.clone()))
        .collect();
    let plan = s
        .plan_ledger(&code, &data, &heads, &mapping, None)
        .expect("plan");
    let plan_ms = t.elapsed().as_millis();
    let t = Instant::now();
    let done = s.apply_ledger(&code, &plan, &mut |_, _| {}).expect("apply");
    let apply_ms = t.elapsed().as_millis();
    println!(
        "ledger {ROWS} rows: read {read_ms} ms, check {plan_ms} ms ({} new, {} update, {} rejected), write {apply_ms} ms ({} created, {} updated, {} households)",
        plan.new_count(),
        plan.update_count(),
        plan.rejected.len(),
        done.created,
        done.updated,
        done.households_created
    );
}
