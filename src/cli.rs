//! The command-line tool (native only): the same domain and store code as the app, for street
//! offices with many files, scripts and benchmarks.

use crate::domain::sample::SampleOptions;
use crate::storage::{system_now, Store};
use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("usage: gridledger sample --db PATH [--seed N] [--households N] [--grids N]");
    ExitCode::from(2)
}

/// Runs the tool on its arguments (without the program name).
pub fn run(args: Vec<String>) -> ExitCode {
    if args.first().map(String::as_str) != Some("sample") {
        return usage();
    }
    let mut db = None;
    let mut opts = SampleOptions::community(1, system_now());
    let mut it = args[1..].iter();
    while let Some(flag) = it.next() {
        let Some(value) = it.next() else {
            return usage();
        };
        match flag.as_str() {
            "--db" => db = Some(value.clone()),
            "--seed" => opts.seed = value.parse().unwrap_or(1),
            "--households" => opts.households = value.parse().unwrap_or(opts.households),
            "--grids" => opts.grids = value.parse().unwrap_or(opts.grids),
            _ => return usage(),
        }
    }
    let Some(db) = db else { return usage() };
    let conn = match rusqlite::Connection::open(&db) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot open {db}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let started = std::time::Instant::now();
    let result = Store::open(conn, system_now, opts.seed).and_then(|mut s| s.load_sample(&opts));
    match result {
        Ok(l) => {
            println!(
                "{db}: community {} with {} grids, {} households, {} residents in {} ms",
                l.community_code,
                l.grids,
                l.households,
                l.residents,
                started.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{db}: {e}");
            ExitCode::FAILURE
        }
    }
}
