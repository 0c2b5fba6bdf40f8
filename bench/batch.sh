#!/usr/bin/env bash
# Benchmark: a 100,000-line PayByLink batch from confirm to Completed (target: under 2 s),
# with the server's peak RSS. Builds the release binary; needs python3.
# Usage: bench/batch.sh [--lines N] [--runs N]   (defaults: 100000 lines, 3 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product paylink-sandbox 2>&1 | tail -1
exec python3 bench/batch.py --binary .build/release/paylink-sandbox "$@"
