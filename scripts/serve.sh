#!/usr/bin/env bash
# Sets up, builds the release app and serves it on http://127.0.0.1:${PORT:-8080}/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release
exec node scripts/serve.mjs --dir dist --port "${PORT:-8080}"
