#!/usr/bin/env bash
# Builds the `pustaka` tool, loads the bundled starter corpus into a demo library and opens
# an interactive search on it. (The desktop window arrives with the desktop-app work; until
# then this is the way in.)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --bin pustaka
BIN=./target/release/pustaka
export PUSTAKA_LIBRARY="${PUSTAKA_LIBRARY:-$PWD/target/demo-library}"
"$BIN" add corpus/samples >/dev/null || true
"$BIN" list
echo
if [ -t 0 ]; then
  echo "Type a search (for example: preferential treatment, status of the artist, van hoa, วัฒนธรรม); empty line to quit."
  while IFS= read -r -p "search> " q && [ -n "$q" ]; do
    "$BIN" search "$q" || true
    echo
  done
else
  for q in "preferential treatment" "status of the artist" "van hoa" "วัฒนธรรม"; do
    "$BIN" search "$q"
    echo
  done
fi
