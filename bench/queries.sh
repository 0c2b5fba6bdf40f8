#!/usr/bin/env bash
# Benchmark: dashboard pages, searches, filters, exports and GET /__sandbox/links at 1,000,000
# links (filled with PUT /__sandbox/state), median and p99 of each, and the server's RSS.
# Target: every dashboard page and filtered search at most 100 ms.
# Usage: bench/queries.sh [--links N] [--runs N]   (defaults: 1000000 links, 15 runs)
# Installs python3 from Debian packages if missing; builds the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v python3 >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq python3 >/dev/null
fi
swift build -c release --product paylink-sandbox 2>&1 | tail -1
exec python3 bench/queries.py --binary .build/release/paylink-sandbox "$@"
