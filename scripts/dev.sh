#!/usr/bin/env bash
# Command 1: install what is missing, build, and serve the repository root on 127.0.0.1.
#   bash scripts/dev.sh            # PORT=8000 (or the first free port after it)
#   PORT=9000 bash scripts/dev.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/ensure-tools.sh"
bash "$ROOT/scripts/build.sh"
exec node "$ROOT/scripts/serve.mjs"
