#!/usr/bin/env bash
# Runs the official APS PHP SDK (payfort/payfort-php-sdk) against the sandbox with our driver
# (scripts/sdk/php/driver.php). The SDK is used unmodified: it hard-codes APS's hosts
# (https://sbpaymentservices.payfort.com, https://sbcheckout.payfort.com), so the sandbox runs
# behind the HTTPS front (scripts/https-proxy.sh, docs/https.md) on 127.77.0.1:443, those names
# point there in a private /etc/hosts (a mount namespace: unshare -m; the machine's own file is
# untouched), and PHP's curl trusts the front's CA (curl.cainfo). Prints one line per step and a
# PASS/FAIL/SKIP table; exits 0 when no step failed.
#
#   scripts/sdk/run-php-sdk.sh SDK_DIR     # a checkout of the SDK, or its git directory
#   PAYLINK_BINARY=.build/release/paylink-sandbox scripts/sdk/run-php-sdk.sh SDK_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -eq 1 ] || { echo "usage: $0 SDK_DIR" >&2; exit 64; }
source scripts/sdk/lib.sh

# guzzlehttp/guzzle and psr/log from Debian instead of Composer (only Debian's registry here).
apt_install php-cli php-curl php-xml php-mbstring php-guzzlehttp-guzzle php-psr-log python3 util-linux
sdk="$(sdk_worktree "$1" php-sdk src/AmazonPaymentServices/Core/APSCore.php)"
mkdir -p .build/sdk
binary="$(sandbox_binary)"

listen=127.77.0.1
proxy_dir="$PWD/.build/sdk/https-proxy"
cleanup() {
  # What the sandbox received and answered, for a failed step (docs/control-api.md, journal).
  [ -n "${SANDBOX_URL:-}" ] && curl -s "$SANDBOX_URL/__sandbox/journal?limit=200" > .build/sdk/php-journal.json 2>/dev/null || true
  scripts/https-proxy.sh stop --dir "$proxy_dir" >/dev/null 2>&1 || true
  stop_sandbox
}
trap cleanup EXIT

start_sandbox "$binary" .build/sdk/php-sandbox.log PAYLINK_PUBLIC_URL=https://sbcheckout.payfort.com
echo "sandbox: $SANDBOX_URL (pid $SANDBOX_PID)"
scripts/https-proxy.sh start --upstream "$SANDBOX_URL" --listen "$listen" --port 443 --dir "$proxy_dir"

hosts=.build/sdk/hosts
{ cat /etc/hosts; echo "$listen sbpaymentservices.payfort.com sbcheckout.payfort.com"; } > "$hosts"

trusted="$(add_trusted_merchant "$SANDBOX_URL" || true)"
# Apple Pay credentials of merchant SDKAPPLE (the sandbox's `apple_pay`, the SDK's Apple_* settings).
export APPLE_ACCESS_CODE=SdkApplePay1 APPLE_REQUEST_PHRASE=apple-request-secret APPLE_RESPONSE_PHRASE=apple-response-secret
apple="$(add_apple_pay_merchant "$SANDBOX_URL" "$APPLE_ACCESS_CODE" "$APPLE_REQUEST_PHRASE" "$APPLE_RESPONSE_PHRASE" || true)"

export SDK_DIR="$sdk" SANDBOX_URL BROWSER="$PWD/scripts/sdk/browser.py" CA_FILE="$proxy_dir/ca.pem"
export MERCHANT=CycHZxVj ACCESS_CODE=zx0IPmPy5jp1vAz8Kpg7 REQUEST_PHRASE=request-secret RESPONSE_PHRASE=response-secret
export TRUSTED_MERCHANT="$trusted" APPLE_MERCHANT="$apple"
php_run=(php -d "curl.cainfo=$CA_FILE" -d "openssl.cafile=$CA_FILE" scripts/sdk/php/driver.php)
hosts_abs="$PWD/$hosts"
status=0
if unshare -m true 2>/dev/null; then
  unshare -m sh -c 'mount --bind "$0" /etc/hosts && shift && exec "$@"' "$hosts_abs" -- "${php_run[@]}" || status=$?
else
  echo "sdk: no mount namespace here (unshare -m): the driver cannot resolve APS's names to the front" >&2
  status=2
fi
exit $status
