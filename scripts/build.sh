#!/usr/bin/env bash
# Builds the web app into pkg/ (generated, gitignored): a fast no-op when everything is current.
#
# 1. cargo build --release --target wasm32-unknown-unknown --lib  (SIMD128 via .cargo/config.toml)
# 2. wasm-bindgen --target web --out-dir pkg   (only when the .wasm or the CLI version changed)
# 3. KaTeX dist files (katex.mjs, katex.min.css, fonts/) from node_modules into pkg/vendor/katex/
#    (only when the installed KaTeX version changed), so equations render with no network.
# Needs the tools from scripts/ensure-tools.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TOOLS_DIR="${RNN_LAB_TOOLS_DIR:-$ROOT/.tools}"
WBG="$TOOLS_DIR/bin/wasm-bindgen"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
PKG="$ROOT/pkg"
say() { printf 'build: %s\n' "$*"; }

[[ -x "$WBG" ]] || { echo "build: $WBG missing: run bash scripts/ensure-tools.sh" >&2; exit 1; }
[[ -f node_modules/katex/package.json ]] || { echo "build: node_modules/katex missing: run bash scripts/ensure-tools.sh" >&2; exit 1; }

cargo build --release --target wasm32-unknown-unknown --lib --quiet
WASM="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/rnn_lab.wasm"
WBG_VERSION="$("$WBG" --version)"

mkdir -p "$PKG"
if [[ -f "$PKG/rnn_lab_bg.wasm" && "$PKG/rnn_lab_bg.wasm" -nt "$WASM" && -f "$PKG/.wasm-bindgen-version" \
      && "$(cat "$PKG/.wasm-bindgen-version")" == "$WBG_VERSION" ]]; then
  say "pkg/ is up to date"
else
  "$WBG" --target web --out-dir "$PKG" "$WASM"
  printf '%s\n' "$WBG_VERSION" > "$PKG/.wasm-bindgen-version"
  raw=$(wc -c < "$PKG/rnn_lab_bg.wasm")
  gz=$(gzip -9c "$PKG/rnn_lab_bg.wasm" | wc -c)
  say "pkg/rnn_lab_bg.wasm: $raw bytes ($gz gzipped)"
fi

KATEX_VERSION="$(node -p 'require("./node_modules/katex/package.json").version')"
KATEX_OUT="$PKG/vendor/katex"
if [[ -f "$KATEX_OUT/VERSION" && "$(cat "$KATEX_OUT/VERSION")" == "$KATEX_VERSION" ]]; then
  say "KaTeX $KATEX_VERSION: up to date"
else
  rm -rf "$KATEX_OUT"
  mkdir -p "$KATEX_OUT"
  cp node_modules/katex/dist/katex.mjs node_modules/katex/dist/katex.min.css "$KATEX_OUT/"
  cp -r node_modules/katex/dist/fonts "$KATEX_OUT/fonts"
  cp node_modules/katex/LICENSE "$KATEX_OUT/LICENSE"
  printf '%s\n' "$KATEX_VERSION" > "$KATEX_OUT/VERSION"
  say "KaTeX $KATEX_VERSION copied to pkg/vendor/katex/"
fi
