#!/usr/bin/env bash
# Runs the official APS Java SDK (payfort/payfort-java-sdk) against the sandbox with our driver
# (scripts/sdk/java/SdkDriver.java). The SDK is compiled unmodified from its sources with
# Debian's jars (gson, guava, httpclient, jsr305) instead of Maven; only its gateway URL is
# pointed at the sandbox (plain http, no TLS front needed). Prints one line per step and a
# PASS/FAIL/SKIP table; exits 0 when no step failed.
#
#   scripts/sdk/run-java-sdk.sh SDK_DIR    # a checkout of the SDK, or its git directory
#   PAYLINK_BINARY=.build/release/paylink-sandbox scripts/sdk/run-java-sdk.sh SDK_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -eq 1 ] || { echo "usage: $0 SDK_DIR" >&2; exit 64; }
source scripts/sdk/lib.sh

apt_install default-jdk-headless libgoogle-gson-java libguava-java libhttpclient-java libhttpcore-java \
  libcommons-logging-java libcommons-codec-java libjsr305-java python3
sdk="$(sdk_worktree "$1" java-sdk src/main/java/com/payfort/sdk/FortSDK.java)"
mkdir -p .build/sdk
binary="$(sandbox_binary)"

jars=/usr/share/java
classpath="$jars/gson.jar:$jars/guava.jar:$jars/httpclient.jar:$jars/httpcore.jar:$jars/commons-logging.jar:$jars/commons-codec.jar:$jars/jsr305.jar"
classes=.build/sdk/java-classes
rm -rf "$classes" && mkdir -p "$classes"
javac -nowarn -encoding UTF-8 -d "$classes" -cp "$classpath" \
  $(find "$sdk/src/main/java" -name '*.java') scripts/sdk/java/SdkDriver.java

trap stop_sandbox EXIT
start_sandbox "$binary" .build/sdk/java-sandbox.log
echo "sandbox: $SANDBOX_URL (pid $SANDBOX_PID)"
trusted="$(add_trusted_merchant "$SANDBOX_URL" || true)"

export SANDBOX_URL BROWSER="$PWD/scripts/sdk/browser.py" TRUSTED_MERCHANT="$trusted"
export MERCHANT=CycHZxVj ACCESS_CODE=zx0IPmPy5jp1vAz8Kpg7 REQUEST_PHRASE=request-secret RESPONSE_PHRASE=response-secret
java -cp "$classes:$classpath" SdkDriver
