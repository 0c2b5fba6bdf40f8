#!/usr/bin/env bash
# The HTTPS front end, end to end: starts the sandbox (with its public URL on the proxy, as
# docs/https.md says) and scripts/https-proxy.sh in front of it on a free port, then with curl,
# by APS's host names (--resolve) and trusting only the local CA (--cacert): a PAYMENT_LINK
# signed by scripts/aps_request.py is answered 48000 with a verified signature, the link it
# returns names https://sbcheckout.payfort.com and its hosted page loads through the proxy,
# and a certificate for a host the CA did not sign is refused. Stops both at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

swift build --product paylink-sandbox >&2
binary="$(swift build --product paylink-sandbox --show-bin-path)/paylink-sandbox"
exec python3 scripts/https_proxy_check.py --binary "$binary" --dir .build/https-proxy-test
