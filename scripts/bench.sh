#!/usr/bin/env bash
# Benchmarks (print figures, assert nothing): bundle export/import in headless Chromium for the
# sample community, the command-line tool and the native import at street scale (the street in
# the browser, beside the official SQLite build, is scripts/bench-street.sh);
# resident search and list at street scale natively; a 10,000-row residents ledger (.xlsx)
# imported natively and through the app's import page.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --bin gridledger --example search_bench --example import_phases --example ledger_bench
trunk build --release
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== command-line tool"
/usr/bin/time -f "street sample: %e s, %M KB max RSS" "$target/release/gridledger" sample --communities 15 --scale street --seed 1 -o "$tmp/street.json"
/usr/bin/time -f "validate street bundle: %e s, %M KB max RSS" "$target/release/gridledger" validate "$tmp/street.json"
"$target/release/gridledger" sample --seed 2 -o "$tmp/a.json" 2>/dev/null
/usr/bin/time -f "merge street + community: %e s, %M KB max RSS" "$target/release/gridledger" merge "$tmp/street.json" "$tmp/a.json" -o "$tmp/m.json" >/dev/null
/usr/bin/time -f "case figures, street scale (~50,000 cases): %e s, %M KB max RSS" "$target/release/gridledger" figures "$tmp/street.json" --as-of 2026-11-18 >/dev/null
echo "== street bundle import, native, phase by phase"
"$target/release/examples/import_phases" "$tmp/street.json"
echo "== resident search at street scale, native (the store the worker runs)"
"$target/release/examples/search_bench" "$tmp/street.json"
echo "== residents ledger (.xlsx) import, native"
"$target/release/examples/ledger_bench"
"$target/release/examples/ledger_bench" --write "$tmp/ledger.xlsx" >/dev/null
echo "== browser (headless Chromium)"
node tests/bench/bundles.mjs "$tmp/ledger.xlsx"
