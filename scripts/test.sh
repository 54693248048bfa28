#!/usr/bin/env bash
# Sets up and runs every test: formatting and lints, native tests (domain, store, bundle
# logic), the release build, and the browser tests in headless Chromium (the worker on OPFS,
# and end-to-end flows through the built app).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy (native and wasm)"
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --bins -- -D warnings
step "native tests"
cargo test
step "bundle format: JSON Schema with Python's jsonschema"
cargo build --release --bin gridledger
python3 tests/schema_check.py "${CARGO_TARGET_DIR:-target}/release/gridledger"
step "duty calendars (.ics) read back with Python's icalendar"
python3 tests/ics_check.py "${CARGO_TARGET_DIR:-target}/release/gridledger"
step "release build (trunk)"
trunk build --release
step "the office program with the app inside (gridledger serve)"
cargo build --release --features embed-app --bin gridledger
step "browser tests (headless Chromium)"
node --test --test-concurrency=1 tests/e2e/
step "street benchmark, smoke run on one community (beside @sqlite.org/sqlite-wasm)"
smoke=$(mktemp -d)
node tests/bench/street.mjs --small --tool "${CARGO_TARGET_DIR:-target}/release/gridledger" --out "$smoke/bench.json"
rm -rf "$smoke"
