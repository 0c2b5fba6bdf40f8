#!/usr/bin/env bash
# Shared by run-php-sdk.sh and run-java-sdk.sh: install Debian packages, bring the SDK's source
# into .build/sdk (never into the repository), start the sandbox on port 0 and read its address.
# Sourced, not run.

# apt_install PACKAGE...: installs the packages that are not installed yet.
apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# sdk_worktree SDK_DIR NAME MARKER: prints a directory holding the SDK's files. SDK_DIR may be a
# checkout (it has MARKER) or a git directory (a bare mirror): that one is cloned into
# .build/sdk/NAME, outside version control.
sdk_worktree() {
  local source="$1" name="$2" marker="$3"
  if [ -e "$source/$marker" ]; then
    (cd "$source" && pwd)
    return 0
  fi
  if git -C "$source" rev-parse --git-dir >/dev/null 2>&1; then
    local target=".build/sdk/$name"
    rm -rf "$target"
    git clone -q "$source" "$target"
    [ -e "$target/$marker" ] || { echo "sdk: $source has no $marker" >&2; return 1; }
    (cd "$target" && pwd)
    return 0
  fi
  echo "sdk: $source is neither a checkout with $marker nor a git directory" >&2
  return 1
}

# sandbox_binary: the sandbox executable, $PAYLINK_BINARY when set, else a debug build.
sandbox_binary() {
  if [ -n "${PAYLINK_BINARY:-}" ]; then echo "$PAYLINK_BINARY"; return 0; fi
  swift build --product paylink-sandbox >&2
  echo "$(swift build --product paylink-sandbox --show-bin-path)/paylink-sandbox"
}

# start_sandbox BINARY LOG [ENV=VALUE...]: starts `serve` on port 0 in the background, sets
# SANDBOX_PID and SANDBOX_URL (from its `listening on` line).
start_sandbox() {
  local binary="$1" log="$2"; shift 2
  : > "$log"
  env PAYLINK_PORT=0 "$@" "$binary" serve --quiet > "$log" 2> "$log.err" &
  SANDBOX_PID=$!
  local tries=0
  SANDBOX_URL=""
  while [ $tries -lt 300 ]; do
    SANDBOX_URL="$(sed -n 's/^listening on //p' "$log" | head -n 1)"
    [ -n "$SANDBOX_URL" ] && return 0
    kill -0 "$SANDBOX_PID" 2>/dev/null || break
    sleep 0.1; tries=$((tries + 1))
  done
  echo "sdk: the sandbox did not start: $(cat "$log.err")" >&2
  return 1
}

stop_sandbox() {
  [ -n "${SANDBOX_PID:-}" ] && kill "$SANDBOX_PID" 2>/dev/null && wait "$SANDBOX_PID" 2>/dev/null
  SANDBOX_PID=""
}

# add_merchant URL ID EXTRA_JSON: makes merchant ID, the demo merchant's entry with EXTRA_JSON's
# keys added (POST /__sandbox/merchants); prints ID, or nothing when the sandbox refuses it.
add_merchant() {
  python3 - "$@" <<'PY'
import json, sys, urllib.request
base, identifier, extra = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
merchants = json.load(urllib.request.urlopen(base + "/__sandbox/merchants"))
entries = merchants.get("merchants", merchants) if isinstance(merchants, dict) else merchants
entry = dict(entries[0], merchant_identifier=identifier, **extra)
request = urllib.request.Request(base + "/__sandbox/merchants", data=json.dumps(entry).encode(), method="POST")
try:
    urllib.request.urlopen(request)
    print(identifier)
except urllib.error.HTTPError as error:
    print(f"sdk: merchant {identifier} refused: {error.code} {error.read().decode()[:200]}", file=sys.stderr)
PY
}

# add_trusted_merchant URL: merchant SDKTRUST with trusted_channel on, for the trusted-channel step.
add_trusted_merchant() {
  add_merchant "$1" SDKTRUST '{"trusted_channel": true}'
}

# add_apple_pay_merchant URL ACCESS_CODE REQUEST_PHRASE RESPONSE_PHRASE: merchant SDKAPPLE with
# Apple Pay credentials (`apple_pay`, docs/aps-apple-pay.md), for the Apple Pay steps.
add_apple_pay_merchant() {
  add_merchant "$1" SDKAPPLE "$(python3 -c 'import json, sys; print(json.dumps({"apple_pay": {"access_code": sys.argv[1], "sha_type": "SHA-256", "sha_request_phrase": sys.argv[2], "sha_response_phrase": sys.argv[3]}}))' "$2" "$3" "$4")"
}
