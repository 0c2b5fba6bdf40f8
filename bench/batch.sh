#!/usr/bin/env bash
# Benchmark: a 100,000-line batch, PayByLink and APS, from confirm / PROCESS_BATCH to its end (target: 0.4 s),
# with the server's CPU time and peak RSS, each run on a fresh server. Builds the release binary; needs python3.
# Usage: bench/batch.sh [--kind paybylink|aps|both] [--lines N] [--runs N] [--probe]   (defaults: both, 100000 lines, 3 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product paylink-sandbox 2>&1 | tail -1
exec python3 bench/batch.py --binary .build/release/paylink-sandbox "$@"
