#!/usr/bin/env bash
# Builds the starter content pack that the app bundles and installs at its first launch:
#   target/starter/starter.pustakacorpus      the pack, built from corpus/starter
#   target/starter/starter.pustakacorpus.pub  its public key (the app trusts it)
# with the pustaka CLI, signed by a key made once in target/starter-build/build.key (never
# committed; kept out of target/starter, which tauri.conf.json bundles whole).
#
# Arguments go to `cargo run` (e.g. `--release --features desktop`, to share the build that
# follows). The pack's version is $STARTER_VERSION if set, else the number of commits that
# touched corpus/starter (plus one while it has uncommitted changes), else 1 outside git: it
# grows when the corpus changes, so installed starters are updated. The pack is rebuilt only
# when corpus/starter is newer than it, or the version or the key changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

SRC=corpus/starter
OUT=target/starter
BUILD=target/starter-build
PACK=$OUT/starter.pustakacorpus
KEY=$BUILD/build.key
TITLE="Pustaka starter corpus"

starter_version() {
  if [ -n "${STARTER_VERSION:-}" ]; then
    echo "$STARTER_VERSION"
    return
  fi
  if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo 1
    return
  fi
  if [ "$(git rev-parse --is-shallow-repository)" = true ]; then
    echo "starter-pack.sh: a shallow clone's history cannot number the starter pack; fetch the whole history (git fetch --unshallow, or fetch-depth: 0 in CI) or set STARTER_VERSION" >&2
    return 1
  fi
  local n
  n=$(git rev-list --count HEAD -- "$SRC")
  if [ -n "$(git status --porcelain -- "$SRC")" ]; then
    n=$((n + 1))
  fi
  if [ "$n" -lt 1 ]; then
    n=1
  fi
  echo "$n"
}

VERSION=$(starter_version)
mkdir -p "$OUT" "$BUILD"

if [ ! -f "$KEY" ]; then
  rm -f "$KEY.pub"
  echo "starter-pack.sh: making the signing key $KEY (kept out of git and out of the bundle)"
  cargo run --locked "$@" --bin pustaka -- corpus keygen -o "$KEY" >/dev/null
fi

STAMP="$VERSION $(tr -d '[:space:]' <"$KEY.pub")"
if [ -f "$PACK" ] && [ -f "$PACK.pub" ] &&
  [ "$(cat "$BUILD/pack.stamp" 2>/dev/null)" = "$STAMP" ] &&
  [ -z "$(find "$SRC" -newer "$PACK" -print -quit)" ]; then
  echo "starter-pack.sh: $PACK (version $VERSION) is up to date"
  exit 0
fi

# Leftovers of an interrupted build would be bundled with the pack.
rm -rf "$OUT"/.pustaka-corpus-build* "$OUT"/.*.part "$PACK.pub"
echo "starter-pack.sh: building $PACK (version $VERSION) from $SRC"
cargo run --locked "$@" --bin pustaka -- corpus build "$SRC" -o "$PACK" \
  --key "$KEY" --version "$VERSION" --id starter --title "$TITLE"
cp "$KEY.pub" "$PACK.pub"
echo "$STAMP" >"$BUILD/pack.stamp"
