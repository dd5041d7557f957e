#!/usr/bin/env bash
# Installs what RNN Lab needs to build (and, with --browser, to run its browser tests), skipping
# every step that is already satisfied, so it is safe and fast to rerun.
#
#   bash scripts/ensure-tools.sh            # wasm32 target, wasm-bindgen CLI, node_modules
#   bash scripts/ensure-tools.sh --browser  # … plus Debian chromium, chromium-driver, Korean fonts
#
# * rustup target wasm32-unknown-unknown            (only if `rustup target list --installed` lacks it)
# * wasm-bindgen CLI at exactly the Cargo.lock version of the `wasm-bindgen` crate, in
#   $RNN_LAB_TOOLS_DIR (default: .tools/, gitignored); reinstalled when `--version` differs.
#   Built from crates.io with `cargo install` (no `--locked`: it fails for this crate), only the
#   `wasm-bindgen` binary, at opt-level 0 — the CLI runs well under a second either way.
# * node_modules via `npm ci` when missing or older than package-lock.json.
# * --browser: `apt-get update && apt-get install chromium chromium-driver fonts-nanum` when any is
#   missing (fonts-nanum so Korean text in screenshots is not drawn as empty boxes).
# Debian's binaryen (wasm-opt) is never installed or used: it breaks wasm-bindgen output.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TOOLS_DIR="${RNN_LAB_TOOLS_DIR:-$ROOT/.tools}"
WANT_BROWSER=0
for arg in "$@"; do
  case "$arg" in
    --browser) WANT_BROWSER=1 ;;
    *) echo "ensure-tools: unknown argument $arg" >&2; exit 2 ;;
  esac
done

say() { printf 'ensure-tools: %s\n' "$*"; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "ensure-tools: '$1' is required but not installed" >&2; exit 1; }; }

need cargo
need rustup
need node
need npm

# 1. The wasm target.
if rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
  say "wasm32-unknown-unknown target: present"
else
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen CLI = the version Cargo.lock pins for the wasm-bindgen crate.
WBG_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [[ -z "$WBG_VERSION" ]]; then
  echo "ensure-tools: cannot find the wasm-bindgen version in Cargo.lock" >&2
  exit 1
fi
WBG="$TOOLS_DIR/bin/wasm-bindgen"
have_wbg="$("$WBG" --version 2>/dev/null || true)"
if [[ "$have_wbg" == "wasm-bindgen $WBG_VERSION" ]]; then
  say "wasm-bindgen CLI $WBG_VERSION: present ($WBG)"
else
  say "installing wasm-bindgen CLI $WBG_VERSION into $TOOLS_DIR (had: ${have_wbg:-none}; ~1.5 min)"
  mkdir -p "$TOOLS_DIR"
  # Low optimisation, no LTO, many codegen units: the CLI only rewrites one small .wasm file.
  CARGO_TARGET_DIR="$TOOLS_DIR/cargo-target" \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=0 \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  CARGO_PROFILE_RELEASE_LTO=false \
  CARGO_PROFILE_RELEASE_DEBUG=0 \
  CARGO_PROFILE_RELEASE_INCREMENTAL=false \
    cargo install wasm-bindgen-cli --version "=$WBG_VERSION" --bin wasm-bindgen \
      --root "$TOOLS_DIR" --force --quiet
  rm -rf "$TOOLS_DIR/cargo-target"
  have_wbg="$("$WBG" --version 2>/dev/null || true)"
  if [[ "$have_wbg" != "wasm-bindgen $WBG_VERSION" ]]; then
    echo "ensure-tools: installed wasm-bindgen reports '$have_wbg', expected $WBG_VERSION" >&2
    exit 1
  fi
fi

# 3. npm packages (KaTeX for the pages, playwright-core for the browser tests).
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
else
  say "node_modules: up to date"
fi

# 4. Browser, driver and Korean fonts for the browser tests.
if [[ "$WANT_BROWSER" == 1 ]]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  if ! { command -v fc-list >/dev/null 2>&1 && [[ -n "$(fc-list :lang=ko family 2>/dev/null)" ]]; }; then
    missing+=(fonts-nanum)
  fi
  if [[ ${#missing[@]} -eq 0 ]]; then
    say "chromium, chromium-driver, Korean fonts: present"
  else
    say "apt-get install ${missing[*]}"
    SUDO=""
    if [[ "$(id -u)" != 0 ]]; then need sudo; SUDO=sudo; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-nanum >/dev/null
    command -v chromium >/dev/null 2>&1 || { echo "ensure-tools: chromium still missing" >&2; exit 1; }
  fi
fi
say "done"
