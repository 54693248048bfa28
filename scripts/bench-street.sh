#!/usr/bin/env bash
# The street benchmark (issue 9): builds the release app and the command-line tool, generates
# the street-scale bundle (15 communities, seed 1), and measures GridLedger in headless Chromium
# beside the official SQLite WebAssembly build: cold start, import and re-import phase by phase,
# single edits, searches, case lists, the dashboard, export, memory and the download. Prints one
# table and writes bench-street.json (pass another path as the first argument). Fails on any
# failed step. `--small` runs the same flow on one community (seconds, not half an hour).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --bin gridledger
[ -f dist/index.html ] && [ "${BENCH_REUSE_DIST:-}" = 1 ] || trunk build --release
args=(--tool "$target/release/gridledger")
for a in "$@"; do
  case "$a" in
    --small) args+=(--small) ;;
    *) args+=(--out "$a") ;;
  esac
done
node tests/bench/street.mjs "${args[@]}"
