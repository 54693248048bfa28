#!/usr/bin/env bash
# Installs what GridLedger needs to build, serve and test, skipping whatever is already there at
# the right version. Versions that work on this toolchain: ../shared/docs/toolchain.md.
#   Debian: clang lld llvm (SQLite's C source for wasm32), chromium chromium-driver (tests),
#           fonts-wqy-microhei (Chinese glyphs in headless screenshots)
#   cargo:  trunk 0.21.14, wasm-bindgen-cli = the wasm-bindgen version in Cargo.lock
#   rustup: the wasm32-unknown-unknown target
#   npm:    binaryen 132 (wasm-opt) and playwright-core, from package-lock.json
#   PyPI:   jsonschema (checks the bundle format's JSON Schema with a validator not ours),
#           icalendar (reads the duty calendars the app and the tool write)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------
apt_pkgs=(clang lld llvm chromium chromium-driver fonts-wqy-microhei)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  say "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi

# --- Rust target and cargo-installed tools ---------------------------------------------------
if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
export PATH="$HOME/.cargo/bin:$PATH"
if [ "$(trunk --version 2>/dev/null)" != "trunk 0.21.14" ]; then
  say "cargo install trunk 0.21.14 (a few minutes, once)"
  cargo install trunk --version 0.21.14 --locked
fi
wb_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wb_version" ]; then
  say "cargo install wasm-bindgen-cli $wb_version"
  # Not --locked: its lock pins a webpki-roots release the registry no longer has.
  cargo install wasm-bindgen-cli --version "=$wb_version" --force
fi

# --- npm packages (wasm-opt, Playwright's library) -------------------------------------------
# node_modules/.gridledger-lock is the lock file of the last successful npm ci.
if ! cmp -s package-lock.json node_modules/.gridledger-lock 2>/dev/null; then
  say "npm ci"
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.gridledger-lock
fi

# --- PyPI: an independent JSON Schema validator for the bundle format tests ----------------------
if ! python3 -c "import jsonschema" 2>/dev/null; then
  say "pip install jsonschema"
  python3 -m pip install --quiet "jsonschema>=4.18"
fi
# ... and an iCalendar parser that is not ours, for the duty calendars (.ics)
if ! python3 -c "import icalendar" 2>/dev/null; then
  say "pip install icalendar"
  python3 -m pip install --quiet "icalendar>=6,<8"
fi

# --- crates, so Trunk's offline cargo has them -----------------------------------------------
cargo fetch --quiet
say "ready"
