#!/usr/bin/env bash
# The real-browser test of the hosted payment page (docs/aps.md, "Hosted payment page").
# Installs Debian's chromium and chromium-driver and Selenium (from PyPI, in a virtualenv
# under .build/), builds the sandbox, and runs browser/checkout_test.py against it:
# a customer pays a link with a 3-D Secure test card, with JavaScript on and off, and lands
# on the merchant's return URL with a signature that verifies; browser/hosted_checkout_test.py
# pays the hosted checkout (POST /FortAPI/paymentPage) in English and Arabic with a 3-D Secure
# card, with an installment plan, and with "remember me" then the saved card's token_name, each
# ending on a return_url of its own that checks the signature; then browser/console_test.py
# walks the dashboard's developer console (outbox, deliveries and Resend, journal and signature
# debugger, a link's order, PayByLink requests and batches); browser/bnpl_test.py completes a
# Tamara purchase and a Tabby cancellation on the simulated provider checkouts (sign in, OTP,
# schedule) in English and Arabic, an STC Pay payment (mobile number, OTP), and checks the
# option buttons' names on the hosted checkout and on a link's page. Screenshots, in English
# and Arabic, go to browser/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -c 'import ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
fc-list 2>/dev/null | grep -qi 'DejaVu Sans' || need+=(fonts-dejavu-core fontconfig)
if [ ${#need[@]} -gt 0 ]; then
  echo "browser: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq "${need[@]}" >/dev/null
fi

venv=.build/browser-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import selenium' >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'selenium>=4.10,<5'
fi

swift build --product paylink-sandbox
binary="$(swift build --product paylink-sandbox --show-bin-path)/paylink-sandbox"
mkdir -p browser/screenshots
"$venv/bin/python" browser/checkout_test.py --binary "$binary" --screenshots browser/screenshots
"$venv/bin/python" browser/hosted_checkout_test.py --binary "$binary" --screenshots browser/screenshots
"$venv/bin/python" browser/bnpl_test.py --binary "$binary" --screenshots browser/screenshots
exec "$venv/bin/python" browser/console_test.py --binary "$binary" --screenshots browser/screenshots
