#!/usr/bin/env bash
# Runs the examples against this repository's sandbox: examples/run.sh [python|node|php|java]...
# (all four without arguments). Installs what they need from Debian when it is missing:
# python3-pytest, nodejs (18 or later: node:test and fetch), php-cli and phpunit,
# default-jdk-headless and junit5. PAYLINK_SANDBOX_BIN names the binary; without it the debug
# build is made (swift build) and used.
set -euo pipefail
cd "$(dirname "$0")/.."
languages=("$@")
[ ${#languages[@]} -gt 0 ] || languages=(python node php java)

sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
updated=""
install() {
  [ -n "$updated" ] || { DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq; updated=yes; }
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

if [ -z "${PAYLINK_SANDBOX_BIN:-}" ]; then
  swift build --product paylink-sandbox >&2
  PAYLINK_SANDBOX_BIN="$(swift build --show-bin-path)/paylink-sandbox"
fi
export PAYLINK_SANDBOX_BIN

junit=/usr/share/java/junit-platform-console-standalone.jar
for language in "${languages[@]}"; do
  echo "== examples/$language"
  case "$language" in
    python)
      python=python3
      if ! python3 -c 'import pytest' 2>/dev/null; then
        /usr/bin/python3 -c 'import pytest' 2>/dev/null || install python3-pytest
        python=/usr/bin/python3
      fi
      (cd examples/python && "$python" -m pytest -q -p no:cacheprovider) ;;
    node)
      node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)' 2>/dev/null || install nodejs
      node --test examples/node/payment-link.test.mjs ;;
    php)
      command -v php >/dev/null && command -v phpunit >/dev/null || install php-cli phpunit
      phpunit examples/php/PaymentLinkTest.php ;;
    java)
      command -v javac >/dev/null && [ -f "$junit" ] || install default-jdk-headless junit5
      classes="$(mktemp -d)"
      javac -d "$classes" -cp "$junit" examples/java/src/*.java
      java -jar "$junit" -cp "$classes" --select-class PaymentLinkTest --disable-banner --details=tree
      rm -rf "$classes" ;;
    *) echo "unknown example: $language (python, node, php, java)" >&2; exit 2 ;;
  esac
done
