#!/usr/bin/env bash
# Installs what building and testing Pustaka needs, skipping what is already there:
# system packages (compilers, WebKitGTK, Xvfb and WebKitWebDriver for the window tests),
# the Rust toolchain, tauri-driver, and the interface's npm packages.
# Safe to run again. Uses sudo when not root. Needs no input.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

pkgs=(build-essential pkg-config curl ca-certificates
      libwebkit2gtk-4.1-dev          # the desktop window
      xvfb xauth webkit2gtk-driver xclip   # its end-to-end tests
      poppler-utils qpdf libreoffice-writer-nogui)  # checking exported PDF and Word files
need_pkgs=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
if ! command -v node >/dev/null 2>&1; then need_pkgs+=(nodejs npm); fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${need_pkgs[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}"
  else
    echo "setup: please install: ${need_pkgs[*]}" >&2
    exit 1
  fi
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js 20.19 or newer is needed for the interface build (found $(node --version))." >&2
  echo "       Install it from nodejs.org or your distribution's backports, then run this again." >&2
  exit 1
fi

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "setup: installing the Rust toolchain with rustup"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c rustfmt,clippy
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
fi
for c in rustfmt clippy; do
  if ! cargo "${c/rustfmt/fmt}" --version >/dev/null 2>&1; then
    rustup component add "$c"
  fi
done

if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "setup: installing tauri-driver (WebDriver bridge for the window tests)"
  cargo install tauri-driver --version '^2' --locked --quiet
fi

# The interface's packages (exactly the locked versions).
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "setup: installing the interface's npm packages"
  npm --prefix ui ci --no-audit --no-fund --loglevel=error
fi
echo "setup: ok ($(cargo --version), node $(node --version))"
