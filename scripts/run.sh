#!/usr/bin/env bash
# Builds Pustaka, loads the bundled starter corpus into a demo library (target/demo-library)
# and opens the desktop app on it. Without a display it falls back to a terminal search.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
npm --prefix ui run build --silent
cargo build --locked --features desktop --bin pustaka --bin pustaka-desktop
LIB="${PUSTAKA_LIBRARY:-$PWD/target/demo-library}"
mkdir -p "$LIB"
echo "Loading the starter corpus (corpus/samples, corpus/starter) into $LIB"
./target/debug/pustaka --library "$LIB" add corpus/samples corpus/starter >/dev/null || true
./target/debug/pustaka --library "$LIB" corpus glossary corpus/starter/glossary.toml >/dev/null || true
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec ./target/debug/pustaka-desktop --library "$LIB"
fi
echo "No display found: a terminal search instead (set DISPLAY to open the window)."
BIN=./target/debug/pustaka
for q in "preferential treatment" "status of the artist" "van hoa" "วัฒนธรรม"; do
  "$BIN" --library "$LIB" search "$q"
  echo
done
