#!/usr/bin/env bash
# Command 2: every check and test. Installs what is missing first (see ensure-tools.sh --browser).
#   bash scripts/test.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

START=$SECONDS
step() {
  local name="$1"; shift
  local t0=$SECONDS
  printf '\n== %s\n' "$name"
  "$@"
  printf '== %s: ok (%ss)\n' "$name" "$((SECONDS - t0))"
}

step "ensure tools" bash scripts/ensure-tools.sh --browser
step "cargo fmt --check" cargo fmt --check
step "cargo clippy (native, all targets)" cargo clippy --all-targets --quiet -- -D warnings
step "cargo clippy (wasm32)" cargo clippy --lib --target wasm32-unknown-unknown --quiet -- -D warnings
step "cargo doc (rustdoc warnings are errors)" env RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet
step "cargo test" cargo test
step "build wasm + pkg" bash scripts/build.sh
printf '\n== browser tests (everything before them took %ss)\n' "$((SECONDS - START))"
# Last, so the test runner's own summary closes the output.
exec node --test-reporter=spec tests/browser/run.mjs
