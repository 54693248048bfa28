//! The command-line tool (native only): the same domain and store code as the app, for street
//! offices with many files, scripts and benchmarks. `gridledger help` lists the commands.

use crate::domain::bundle::{self, crypt, Bundle, BundleError};
use crate::domain::sample::SampleOptions;
use crate::protocol::StreetSetup;
use crate::storage::bundle::{ExportOptions, ImportReport};
use crate::storage::{system_now, Store};
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

const USAGE: &str = "\
gridledger: bundles (数据包) of GridLedger from the command line

  gridledger sample [--communities N] [--scale community|street] [--seed S] -o FILE
      a deterministic bundle of generated communities (street scale: ~13,000 residents each)
  gridledger sample --db PATH [--seed S] [--households N] [--grids N]
      the sample community in a SQLite database file
  gridledger validate FILE
      exit 0 with a one-line summary for a valid bundle; exit 1 with the error otherwise
  gridledger inspect FILE
      format version, communities, device, sequence, counts per table
  gridledger merge FILE... -o OUT [--exported-at TIME] [--device ID]
      merge with the app's rules; prints the merge report; the output is canonical

  gridledger figures FILE [--from DATE] [--to DATE] [--as-of TIME] [--grid ID] [--community CODE]
      the case figures of a bundle as JSON (the app's definitions):
        received = cases reported in [from, to), voided ones excluded;
        closed = those of them closed by --as-of (default now; pass it for reproducible output);
        closure_rate = closed / received; satisfaction_rate = (满意 + 基本满意) / rated;
        overdue = not closed and past the deadline (working time) at --as-of;
        mean/median_hours_to_close = report to close, clock hours; by_category, by_grid
      DATE is YYYY-MM-DD and TIME YYYY-MM-DD[THH:MM] in China Standard Time, or epoch ms
  gridledger duty FILE --person NAME -o OUT.ics [--from TIME] [--weeks N]
      a volunteer's or staff member's shifts (default: the next 8 weeks) as an iCalendar file
  gridledger field FILE --person NAME -o OUT
      a grid worker's field bundle (外勤数据包) from a community's whole, unmasked bundle (a
      backup): their grids, residents masked except their key persons, their open cases and
      shifts; the phone opens it on the setup screen (打开外勤数据包)
  gridledger schema
      the JSON Schema of the bundle format (assets/bundle.schema.json)
  gridledger peer-input FILE -o DIR
      for the benchmark (scripts/bench-street.sh): the database schema, every record of the
      bundle as the rows GridLedger writes, and resident searches with the SQL it runs, as
      JSON files for the same work through the official SQLite WebAssembly build

  gridledger serve [--port N] [--no-open] [--dir DIR]
      the app on http://127.0.0.1:N (default 8216) and the default browser opened on it; the
      data stays in that browser (OPFS). Keep the port: the browser keeps data per address.
      The app is the one built into this program (scripts/build-serve.sh), or DIR (dist/)

  --passphrase-file F   read and write encrypted bundles (.gridledger) with this passphrase
";

/// Communities of the generated street (建中街街道, 410103008); the first is the app's sample.
const COMMUNITIES: &[(&str, &str)] = &[
    ("永安社区", "410103008005"),
    ("和平社区", "410103008001"),
    ("建新社区", "410103008002"),
    ("幸福社区", "410103008003"),
    ("友爱社区", "410103008004"),
    ("光明社区", "410103008006"),
    ("新华社区", "410103008007"),
    ("民主社区", "410103008008"),
    ("团结社区", "410103008009"),
    ("长安社区", "410103008010"),
    ("春华社区", "410103008011"),
    ("康宁社区", "410103008012"),
    ("福寿社区", "410103008013"),
    ("安居社区", "410103008014"),
    ("兴隆社区", "410103008015"),
];

/// The merged bundle's device when `--device` is not given.
const MERGE_DEVICE: &str = "00000000-0000-7000-8000-000000000000";

/// A clock that starts at a fixed time and moves 1 ms a reading: generated bundles come out
/// the same for the same seed.
static FIXED_CLOCK: AtomicI64 = AtomicI64::new(0);
const SAMPLE_EPOCH: i64 = 1_795_000_000_000; // 2026-11-18
fn fixed_now() -> i64 {
    SAMPLE_EPOCH + FIXED_CLOCK.fetch_add(1, Ordering::SeqCst)
}

struct Args {
    positional: Vec<String>,
    flags: BTreeMap<String, String>,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut a = Args {
        positional: Vec::new(),
        flags: BTreeMap::new(),
    };
    let mut it = args.iter();
    while let Some(x) = it.next() {
        if let Some(name) = x.strip_prefix("--").or_else(|| x.strip_prefix('-')) {
            let v = it.next().ok_or(format!("{x} needs a value"))?;
            a.flags.insert(
                if name == "o" { "output" } else { name }.to_string(),
                v.clone(),
            );
        } else {
            a.positional.push(x.clone());
        }
    }
    Ok(a)
}

impl Args {
    fn num<T: std::str::FromStr>(&self, k: &str, default: T) -> Result<T, String> {
        match self.flags.get(k) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{k}: {v:?} is not a number")),
        }
    }
    fn passphrase(&self) -> Result<Option<String>, String> {
        match self.flags.get("passphrase-file") {
            None => Ok(None),
            Some(f) => std::fs::read_to_string(f)
                .map(|s| Some(s.trim_end_matches(['\n', '\r']).to_string()))
                .map_err(|e| format!("{f}: {e}")),
        }
    }
}

/// Runs the tool on its arguments (without the program name).
pub fn run(args: Vec<String>) -> ExitCode {
    let Some(cmd) = args.first().cloned() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    if cmd == "serve" {
        return match serve(&args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("gridledger serve: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let rest = match parse_args(&args[1..]) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gridledger: {e}");
            return ExitCode::from(2);
        }
    };
    let result = match cmd.as_str() {
        "sample" if rest.flags.contains_key("db") => sample_db(&rest),
        "sample" => sample_bundle(&rest),
        "validate" => validate(&rest),
        "inspect" => inspect(&rest),
        "merge" => merge(&rest),
        "figures" => figures(&rest),
        "duty" => duty(&rest),
        "field" => field(&rest),
        "peer-input" => peer_input(&rest),
        "schema" => {
            let s = serde_json::to_string_pretty(&bundle::schema::schema()).unwrap_or_default();
            println!("{s}");
            Ok(())
        }
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn sample_db(a: &Args) -> Result<(), String> {
    let db = &a.flags["db"];
    let mut opts = SampleOptions::community(a.num("seed", 1)?, system_now());
    opts.households = a.num("households", opts.households)?;
    opts.grids = a.num("grids", opts.grids)?;
    let conn = rusqlite::Connection::open(db).map_err(|e| format!("cannot open {db}: {e}"))?;
    let started = Instant::now();
    let l = Store::open(conn, system_now, opts.seed)
        .and_then(|mut s| s.load_sample(&opts))
        .map_err(|e| format!("{db}: {e}"))?;
    println!(
        "{db}: community {} with {} grids, {} households, {} residents in {} ms",
        l.community_code,
        l.grids,
        l.households,
        l.residents,
        started.elapsed().as_millis()
    );
    Ok(())
}

/// One community's generated data, exported as its office would.
pub fn community_bundle(i: usize, seed: u64, households: usize) -> Result<Bundle, String> {
    let (name, code) = COMMUNITIES[i % COMMUNITIES.len()];
    let code = if i < COMMUNITIES.len() {
        code.to_string()
    } else {
        format!("410103{:03}{:03}", 8 + i / COMMUNITIES.len(), i % 1000)
    };
    let mut s = Store::open_in_memory(fixed_now, seed.wrapping_mul(31).wrapping_add(i as u64))
        .map_err(|e| e.to_string())?;
    let mut o = SampleOptions::community(seed.wrapping_add(i as u64), SAMPLE_EPOCH);
    o.community_name = name.into();
    o.community_code = code;
    o.households = households;
    // Street scale: ~50,000 cases over 15 communities (product.md); community scale: 3,000.
    o.cases = if households >= 5000 { 3334 } else { 3000 };
    o.cases = o.cases * households.min(3000) / 3000;
    o.grids = 6 + (seed as usize + i) % 3;
    s.load_sample(&o).map_err(|e| e.to_string())?;
    s.export_bundle(&ExportOptions {
        actor: "sample".into(),
        device_name: "sample".into(),
        ..Default::default()
    })
    .map_err(|e| e.to_string())
}

fn street_store() -> Result<Store, String> {
    let mut s = Store::open_in_memory(fixed_now, 7).map_err(|e| e.to_string())?;
    s.setup_street(&StreetSetup {
        name: "建中街街道".into(),
        code: "410103008".into(),
        device_name: "gridledger".into(),
        actor_name: "gridledger".into(),
    })
    .map_err(|e| e.to_string())?;
    Ok(s)
}

fn write_bundle(a: &Args, b: &Bundle) -> Result<(), String> {
    let out = a.flags.get("output").ok_or("-o FILE is required")?;
    let json = b.to_json();
    let bytes = match a.passphrase()? {
        Some(p) => {
            let mut random = [0u8; 28];
            getrandom::getrandom(&mut random).map_err(|e| e.to_string())?;
            crypt::encrypt(json.as_bytes(), &p, random, crypt::ITERATIONS)
        }
        None => json.into_bytes(),
    };
    std::fs::write(out, &bytes).map_err(|e| format!("{out}: {e}"))?;
    eprintln!("{out}: {} records, {} bytes", b.record_count(), bytes.len());
    Ok(())
}

fn sample_bundle(a: &Args) -> Result<(), String> {
    let n: usize = a.num("communities", 1)?;
    let seed: u64 = a.num("seed", 1)?;
    let households = match a.flags.get("scale").map(String::as_str) {
        None | Some("community") => 3000,
        Some("street") => 5000,
        Some(other) => return Err(format!("--scale: {other:?} (community or street)")),
    };
    let households = a.num("households", households)?;
    if n == 0 {
        return Err("--communities must be at least 1".into());
    }
    let started = Instant::now();
    let bundle = if n == 1 {
        community_bundle(0, seed, households)?
    } else {
        let mut street = street_store()?;
        for i in 0..n {
            let b = community_bundle(i, seed, households)?;
            street
                .import_bundle(&b, "sample", true, "sample")
                .map_err(|e| e.to_string())?;
        }
        street
            .export_bundle(&ExportOptions {
                actor: "sample".into(),
                device_name: "sample".into(),
                ..Default::default()
            })
            .map_err(|e| e.to_string())?
    };
    eprintln!(
        "generated {n} communities in {} ms",
        started.elapsed().as_millis()
    );
    write_bundle(a, &bundle)
}

fn read(path: &str, a: &Args) -> Result<Bundle, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let pass = a.passphrase()?;
    bundle::open(&bytes, pass.as_deref()).map_err(|e: BundleError| format!("{path}: {e}"))
}

fn one_file(a: &Args) -> Result<&str, String> {
    match a.positional.as_slice() {
        [f] => Ok(f),
        _ => Err("give exactly one FILE".into()),
    }
}

fn validate(a: &Args) -> Result<(), String> {
    let path = one_file(a)?;
    let b = read(path, a)?;
    println!(
        "{path}: valid {} v{} from {} {} ({}), {} records",
        bundle::FORMAT,
        b.version,
        b.source.kind,
        b.source.name,
        b.source.code,
        b.record_count()
    );
    Ok(())
}

fn inspect(a: &Args) -> Result<(), String> {
    let path = one_file(a)?;
    let b = read(path, a)?;
    println!("file:        {path}");
    if b.read_version > 0 {
        println!(
            "format:      {} version {} (read as {})",
            b.format, b.read_version, b.version
        );
    } else {
        println!("format:      {} version {}", b.format, b.version);
    }
    println!(
        "source:      {} {} ({})",
        b.source.kind, b.source.name, b.source.code
    );
    println!("communities: {}", b.scope.communities.join(", "));
    if let Some(g) = &b.scope.grid_id {
        println!("grid:        {g} and its sub-grids");
    }
    println!(
        "device:      {} {}",
        b.device,
        if b.device_name.is_empty() {
            String::new()
        } else {
            format!("({})", b.device_name)
        }
    );
    println!("sequence:    {}", b.sequence);
    if let Some(s) = b.scope.after_sequence {
        println!("follows:     {s} (incremental since {:?})", b.scope.since);
    }
    println!("exported at: {} by {}", b.exported_at, b.actor);
    if !b.masked.is_empty() {
        let m: Vec<String> = b
            .masked
            .iter()
            .map(|(t, c)| format!("{t}.{}", c.join("/")))
            .collect();
        println!("masked:      {}", m.join(", "));
    }
    println!("checksum:    {}", b.checksum);
    for (t, n) in &b.counts {
        println!("  {t:<14} {n:>8}");
    }
    Ok(())
}

fn print_report(file: &str, r: &ImportReport) {
    let t = &r.totals;
    println!(
        "{file}: {} new, {} updated, {} unchanged, {} deleted, {} conflicts",
        t.new, t.updated, t.unchanged, t.deleted, t.conflicts
    );
    for w in &r.warnings {
        println!("  warning: {w}");
    }
    for c in &r.conflicts {
        println!(
            "  conflict {:?} {} {} ({}): {} version kept",
            c.kind, c.table, c.id, c.community_code, c.winner
        );
    }
}

fn merge(a: &Args) -> Result<(), String> {
    if a.positional.is_empty() {
        return Err("give the FILEs to merge".into());
    }
    let device = a
        .flags
        .get("device")
        .cloned()
        .unwrap_or(MERGE_DEVICE.into());
    if !crate::domain::id::is_valid_id(&device) {
        return Err(format!("--device: {device:?} is not an id"));
    }
    let mut store = street_store()?;
    for f in &a.positional {
        let b = read(f, a)?;
        let r = store
            .import_bundle(&b, f, true, "gridledger")
            .map_err(|e| format!("{f}: {e}"))?;
        print_report(f, &r);
    }
    let mut out = store
        .export_bundle(&ExportOptions::default())
        .map_err(|e| e.to_string())?;
    // A canonical header: nothing in it depends on the order of the inputs or the clock.
    let newest = out
        .tables
        .values()
        .flatten()
        .map(|r| bundle::int(r, "updated_at"))
        .max()
        .unwrap_or(0);
    out.exported_at = a.num("exported-at", newest)?;
    out.device = device;
    out.device_name = String::new();
    out.actor = String::new();
    out.sequence = 1;
    let first = out.scope.communities.first().cloned().unwrap_or_default();
    let street_name = out
        .tables
        .get("communities")
        .and_then(|v| v.first())
        .and_then(|r| bundle::text(r, "street_name"))
        .unwrap_or("")
        .to_string();
    out.source = bundle::Source {
        kind: "street".into(),
        code: crate::domain::division::street_of(&first).to_string(),
        name: street_name,
    };
    out.seal();
    write_bundle(a, &out)
}

/// A CST date or date-time (or epoch milliseconds) as UTC milliseconds.
fn parse_time(s: &str) -> Result<i64, String> {
    use crate::domain::calendar::CST_OFFSET_MS;
    if let Ok(ms) = s.parse::<i64>() {
        return Ok(ms);
    }
    let (d, t) = s.split_once(['T', ' ']).unwrap_or((s, "00:00"));
    let date = crate::domain::date::Date::parse(d).ok_or(format!("{s:?} is not a date"))?;
    let (h, m) = t
        .split_once(':')
        .and_then(|(h, m)| Some((h.parse::<i64>().ok()?, m.get(..2)?.parse::<i64>().ok()?)))
        .ok_or(format!("{s:?} is not a time"))?;
    Ok(date.to_days() * 86_400_000 + (h * 60 + m) * 60_000 - CST_OFFSET_MS)
}

/// The one person `sql` finds by `name` (an error when none or several are).
fn one_person(store: &Store, sql: &str, name: &str, what: &str) -> Result<String, String> {
    let ids: Vec<String> = store
        .conn()
        .prepare(sql)
        .and_then(|mut st| {
            st.query_map([name], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .map_err(|e| e.to_string())?;
    match ids.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!("no {what} is named {name:?}")),
        many => Err(format!("{} people are named {name:?}", many.len())),
    }
}

/// A grid worker's field bundle, made from their community's whole bundle.
fn field(a: &Args) -> Result<(), String> {
    let path = one_file(a)?;
    let b = read(path, a)?;
    let name = a.flags.get("person").ok_or("--person NAME is required")?;
    // The community's own office, set up from its bundle as a new computer would be.
    let mut store = Store::open_in_memory(system_now, 11).map_err(|e| e.to_string())?;
    store
        .restore_backup(&b, path, "gridledger", "gridledger", &mut |_, _, _| {})
        .map_err(|e| format!("{path}: not a community's whole, unmasked bundle ({e})"))?;
    if b.source.kind != "community" {
        return Err(format!(
            "{path}: a street's bundle; a field bundle is made from a community's"
        ));
    }
    let id = one_person(
        &store,
        "SELECT id FROM staff WHERE name = ?1 AND deleted = 0",
        name,
        "staff member",
    )?;
    let out = store
        .export_bundle(&ExportOptions {
            field_staff_id: Some(id),
            destination: "field".into(),
            actor: "gridledger".into(),
            device_name: "gridledger".into(),
            ..Default::default()
        })
        .map_err(|e| e.to_string())?;
    write_bundle(a, &out)
}

/// A person's duties from a bundle as an .ics calendar file.
fn duty(a: &Args) -> Result<(), String> {
    use crate::domain::roster::{write_ics, IcsEvent, WEEK};
    let path = one_file(a)?;
    let b = read(path, a)?;
    let name = a.flags.get("person").ok_or("--person NAME is required")?;
    let mut store = street_store()?;
    store
        .import_bundle(&b, path, true, "gridledger")
        .map_err(|e| format!("{path}: {e}"))?;
    let id = one_person(
        &store,
        "SELECT id FROM volunteers WHERE name = ?1 AND deleted = 0
         UNION ALL SELECT id FROM staff WHERE name = ?1 AND deleted = 0",
        name,
        "volunteer or staff member",
    )?;
    let from = match a.flags.get("from") {
        Some(v) => parse_time(v)?,
        None => system_now(),
    };
    let weeks: i64 = a.num("weeks", 8)?;
    let rows = store
        .duties(&id, from, from + weeks * WEEK)
        .map_err(|e| e.to_string())?;
    let events: Vec<IcsEvent> = rows
        .iter()
        .map(|r| {
            IcsEvent::shift(
                &r.id,
                r.start_at,
                r.end_at,
                &r.title,
                &[&r.grid_name, &r.place],
                &r.role,
            )
        })
        .collect();
    let ics = write_ics(&format!("{name} 值班"), &events, system_now());
    let out = a.flags.get("output").ok_or("-o FILE is required")?;
    std::fs::write(out, ics).map_err(|e| format!("{out}: {e}"))?;
    eprintln!("{out}: {} shifts of {name}", events.len());
    Ok(())
}

fn figures(a: &Args) -> Result<(), String> {
    let path = one_file(a)?;
    let b = read(path, a)?;
    let mut store = street_store()?;
    store
        .import_bundle(&b, path, true, "gridledger")
        .map_err(|e| format!("{path}: {e}"))?;
    let t = |k: &str| a.flags.get(k).map(|v| parse_time(v)).transpose();
    let as_of = t("as-of")?.unwrap_or_else(system_now);
    let f = store
        .case_figures(
            a.flags.get("community").map(String::as_str).unwrap_or(""),
            a.flags.get("grid").map(String::as_str),
            t("from")?,
            t("to")?,
            as_of,
        )
        .map_err(|e| e.to_string())?;
    println!(
        "{}",
        serde_json::to_string_pretty(&f).map_err(|e| e.to_string())?
    );
    Ok(())
}

/// A SQLite value as JSON for the peer: numbers, text and null as they are, a blob as
/// `{"b64": ...}`.
fn sql_json(v: rusqlite::types::ValueRef<'_>) -> serde_json::Value {
    use rusqlite::types::ValueRef;
    use serde_json::Value;
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => {
            use base64::Engine;
            serde_json::json!({ "b64": base64::engine::general_purpose::STANDARD.encode(b) })
        }
    }
}

/// The benchmark's input for the peer (the official SQLite WebAssembly build): this app's
/// schema, the bundle's records as the rows the import writes (search keys included), and
/// resident searches with the statements `search_residents` runs for them.
fn peer_input(a: &Args) -> Result<(), String> {
    use crate::domain::bundle::tables::TABLES;
    use crate::storage::bundle::{write_columns, write_values};
    use rusqlite::types::ToSqlOutput;
    use std::io::Write;
    let path = one_file(a)?;
    let dir = std::path::PathBuf::from(a.flags.get("output").ok_or("give -o DIR")?);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let put = |name: &str, v: &serde_json::Value| -> Result<(), String> {
        let f = dir.join(name);
        std::fs::write(&f, serde_json::to_vec(v).unwrap_or_default())
            .map_err(|e| format!("{}: {e}", f.display()))
    };
    let store = Store::open_in_memory(system_now, 1).map_err(|e| e.to_string())?;
    let mut schema = Vec::<String>::new();
    {
        let mut st = store
            .conn()
            .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")
            .map_err(|e| e.to_string())?;
        let rows = st
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| e.to_string())?;
        for r in rows {
            schema.push(r.map_err(|e| e.to_string())?);
        }
    }
    put("schema.json", &serde_json::json!(schema))?;

    let b = read(path, a)?;
    let mut tables = Vec::new();
    for spec in TABLES {
        let Some(records) = b.tables.get(spec.name) else {
            continue;
        };
        let columns = write_columns(spec);
        let file = format!("rows-{}.json", spec.name);
        let f = dir.join(&file);
        let mut w = std::io::BufWriter::new(
            std::fs::File::create(&f).map_err(|e| format!("{}: {e}", f.display()))?,
        );
        let fail = |e: std::io::Error| format!("{}: {e}", f.display());
        w.write_all(b"[").map_err(fail)?;
        for (i, r) in records.iter().enumerate() {
            let row: Vec<serde_json::Value> = write_values(spec, r)
                .iter()
                .map(|v| match v {
                    ToSqlOutput::Borrowed(v) => sql_json(*v),
                    ToSqlOutput::Owned(v) => sql_json(v.into()),
                    _ => serde_json::Value::Null,
                })
                .collect();
            if i > 0 {
                w.write_all(b",").map_err(fail)?;
            }
            serde_json::to_writer(&mut w, &row).map_err(|e| format!("{}: {e}", f.display()))?;
        }
        w.write_all(b"]").map_err(fail)?;
        w.flush().map_err(fail)?;
        tables.push(serde_json::json!({
            "name": spec.name, "columns": columns, "file": file, "count": records.len(),
        }));
    }
    put("tables.json", &serde_json::json!(tables))?;

    // 200 residents spread over the street, each searched five ways.
    let live: Vec<&bundle::Record> = b
        .tables
        .get("residents")
        .map(|v| v.iter().filter(|r| !bundle::is_deleted(r)).collect())
        .unwrap_or_default();
    let mut searches = Vec::new();
    if !live.is_empty() {
        for i in 0..200usize {
            let r = live[(i * 7919) % live.len()];
            let name = bundle::text(r, "name").unwrap_or_default();
            let phone = bundle::text(r, "phone").unwrap_or_default();
            let idn = bundle::text(r, "id_number").unwrap_or_default();
            let tail = |s: &str, n: usize| {
                s.chars()
                    .skip(s.chars().count().saturating_sub(n))
                    .collect::<String>()
            };
            for (kind, text) in [
                ("full name", name.to_string()),
                ("surname (one character)", name.chars().take(1).collect()),
                ("pinyin initials", crate::domain::pinyin::initials(name)),
                ("phone tail (4 digits)", tail(phone, 4)),
                ("ID tail (6)", tail(idn, 6)),
            ] {
                if text.is_empty() {
                    continue;
                }
                let q = crate::protocol::ResidentQuery {
                    text: text.clone(),
                    limit: 50,
                    ..Default::default()
                };
                let (count_sql, page_sql, args) =
                    store.resident_search_sql(&q).map_err(|e| e.to_string())?;
                let args: Vec<serde_json::Value> =
                    args.iter().map(|v| sql_json(v.into())).collect();
                searches.push(serde_json::json!({
                    "kind": kind, "text": text, "count_sql": count_sql, "page_sql": page_sql, "args": args,
                }));
            }
        }
    }
    put("searches.json", &serde_json::json!(searches))?;
    println!(
        "{}: {} statements, {} tables, {} searches",
        dir.display(),
        schema.len(),
        tables.len(),
        searches.len()
    );
    Ok(())
}

/// `gridledger serve`: see `crate::serve`.
fn serve(args: &[String]) -> Result<(), String> {
    use crate::serve;
    let (mut port, mut open, mut dir) = (serve::DEFAULT_PORT, true, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--no-open" => open = false,
            "--port" => {
                let v = it.next().ok_or("--port needs a number")?;
                port = v
                    .parse()
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or(format!("--port: {v:?} is not a port (1–65535)"))?;
            }
            "--dir" => {
                dir = Some(std::path::PathBuf::from(
                    it.next().ok_or("--dir needs a folder")?,
                ))
            }
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    let files = serve::files_from(dir)?;
    let url = format!("http://127.0.0.1:{port}/");
    let Some(server) = serve::bind(port)? else {
        println!("网格台账已在运行：{url}\nGridLedger is already running at {url}");
        if open && !serve::open_browser(&url) {
            println!("请在浏览器中打开上面的地址。Open the address above in your browser.");
        }
        return Ok(());
    };
    println!(
        "网格台账：{url}\nGridLedger: {url} ({} files)\n\
         数据保存在浏览器中，不经过本程序。关闭此窗口即停止。\n\
         The data stays in the browser, never in this program. Close this window (Ctrl+C) to stop.",
        files.len()
    );
    if open && !serve::open_browser(&url) {
        println!("请在浏览器中打开上面的地址。Open the address above in your browser.");
    }
    serve::run(server, files, port);
    Ok(())
}
