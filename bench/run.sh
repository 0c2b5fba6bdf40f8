#!/usr/bin/env bash
# Benchmark: the sandbox answering a signed CHECK_PAYMENT_LINK_STATUS, with its request log
# written to a file and with --quiet, against nginx returning a static 600-byte JSON body to the
# same POST, in one run, server on core 1 and wrk on core 0.
# Usage: bench/run.sh [--duration SECONDS] [--runs N] [--skip-memory]   (defaults: 10 s, 3 runs)
# Installs wrk, nginx and python3 from Debian packages if missing; builds the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v taskset >/dev/null 2>&1 || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

swift build -c release --product paylink-sandbox 2>&1 | tail -1
exec python3 bench/bench.py --binary .build/release/paylink-sandbox "$@"
