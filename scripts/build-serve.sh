#!/usr/bin/env bash
# Builds the one-file office program: the release app (trunk), then `gridledger` with that
# app inside it (feature embed-app). `gridledger serve` then serves it on 127.0.0.1.
#   bash scripts/build-serve.sh            → target/release/gridledger
#   bash scripts/build-serve.sh --windows  → target/x86_64-pc-windows-gnu/release/gridledger.exe
#     (Debian's gcc-mingw-w64-x86-64 and rustup's x86_64-pc-windows-gnu target, installed here
#     when missing; the linker is set in .cargo/config.toml)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release
if [ "${1:-}" = "--windows" ]; then
  if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
    sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq gcc-mingw-w64-x86-64
  fi
  rustup target list --installed | grep -qx x86_64-pc-windows-gnu || rustup target add x86_64-pc-windows-gnu
  cargo build --release --features embed-app --bin gridledger --target x86_64-pc-windows-gnu
  ls -l "${CARGO_TARGET_DIR:-target}/x86_64-pc-windows-gnu/release/gridledger.exe"
else
  cargo build --release --features embed-app --bin gridledger
  ls -l "${CARGO_TARGET_DIR:-target}/release/gridledger"
fi
