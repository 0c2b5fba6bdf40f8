#!/usr/bin/env bash
# Checks the OpenAPI document and the scenario schema with the reference tools, then fuzzes a
# running sandbox against the document with schemathesis:
#
#   1. openapi-spec-validator on docs/openapi.json;
#   2. jsonschema: every scenarios/*.json against docs/scenario.schema.json;
#   3. the Swift tests that use them (OpenAPIDocumentTests, ScenarioSchemaTests), with this
#      script's Python, so none of them is skipped;
#   4. schemathesis against `paylink-sandbox serve --port 0`: every operation, checks
#      not_a_server_error, status_code_conformance, content_type_conformance and
#      response_schema_conformance, positive and negative data. Fails on any 5xx or an answer
#      the document does not describe.
#
# Tools go into a venv under .build/ (pip, from PyPI); python3 and its venv module come from
# Debian when missing. OPENAPI_CHECK_EXAMPLES (default 25) bounds the generated cases per
# operation and phase; OPENAPI_CHECK_SEED (default 1) makes the run repeatable. Reports
# (JUnit, and the sandbox's own log) are written to .build/openapi-check/. OPENAPI_CHECK_ST_ARGS
# adds options to both schemathesis runs (e.g. "--exclude-tag control-runtime" on a build
# without the run-time merchant routes).
set -euo pipefail
cd "$(dirname "$0")/.."

examples=${OPENAPI_CHECK_EXAMPLES:-25}
seed=${OPENAPI_CHECK_SEED:-1}
venv=.build/openapi-venv
out=.build/openapi-check
mkdir -p "$out"

need=()
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ! -x "$venv/bin/st" ] || ! "$venv/bin/python" -c 'import jsonschema, openapi_spec_validator' >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip
  "$venv/bin/pip" install -q 'openapi-spec-validator>=0.7' 'schemathesis>=4,<5' 'jsonschema>=4.18'
fi
py="$venv/bin/python"

echo "== openapi-spec-validator docs/openapi.json"
"$venv/bin/openapi-spec-validator" docs/openapi.json

echo "== jsonschema: scenarios/*.json against docs/scenario.schema.json"
"$py" - docs/scenario.schema.json scenarios/*.json <<'PY'
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    for error in validator.iter_errors(json.load(open(path))):
        bad += 1
        print(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message[:300]}")
print(f"{len(sys.argv) - 2} scenario files, {bad} errors")
sys.exit(1 if bad else 0)
PY

echo "== swift test --filter 'OpenAPIDocumentTests|ScenarioSchemaTests'"
PAYLINK_PYTHON="$PWD/$py" swift test --filter 'OpenAPIDocumentTests|ScenarioSchemaTests' 2>&1 | tail -n 3

echo "== schemathesis against a running sandbox"
swift build --product paylink-sandbox >/dev/null
binary="$(swift build --show-bin-path)/paylink-sandbox"
log="$out/serve.log"
"$binary" serve --port 0 --quiet >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 1 200); do
  url=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$log" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$log"; echo "openapi-check: the sandbox did not start" >&2; exit 1; }
  sleep 0.05
done
[ -n "$url" ] || { echo "openapi-check: no 'listening on' line from the sandbox" >&2; exit 1; }
echo "sandbox at $url"

checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
common=(--url "$url" --checks "$checks" --max-examples "$examples" --seed "$seed" --workers 1
        --header "Ocp-Apim-Subscription-Key: test-subscription-key" --generation-database none
        --no-color --request-timeout 30)
# shellcheck disable=SC2206
extra=(${OPENAPI_CHECK_ST_ARGS:-})
document="$PWD/docs/openapi.json"
st="$PWD/$venv/bin/st"
# schemathesis keeps a cache in its working directory: run it under .build/.
cd "$out"
started=$(date +%s)
status=0
# Every operation but arming faults: an armed fault makes later APS and PayByLink answers wrong
# on purpose (an http_status 500, a dropped connection), which is not a bug to report.
"$st" run "$document" "${common[@]}" "${extra[@]}" --exclude-operation-id armFaults \
  --phases examples,coverage,fuzzing,stateful \
  --report junit --report-junit-path schemathesis.xml || status=$?
# Arming faults alone (the control API itself is never faulted), then disarming them.
"$st" run "$document" "${common[@]}" "${extra[@]}" --include-operation-id armFaults \
  --phases examples,coverage,fuzzing \
  --report junit --report-junit-path schemathesis-faults.xml || status=$?
curl -s -X DELETE "$url/__sandbox/faults" >/dev/null || true
echo "schemathesis: $(( $(date +%s) - started )) s, exit status $status"
exit "$status"
