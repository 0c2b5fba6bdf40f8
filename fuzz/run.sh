#!/usr/bin/env bash
# Builds the fuzz targets and runs each for SECONDS (default 600), one after the other, one
# job each. Exits non-zero if a target crashed (or failed to build or start).
#
#   fuzz/run.sh [SECONDS] [TARGET...]      TARGET: HTTPParserFuzzer, APSRequestFuzzer (default both)
#
# Environment:
#   FUZZ_OUT         build and work directory (default .build-fuzz/fuzz, git-ignored)
#   FUZZ_SKIP_BUILD  1: use the binaries already in $FUZZ_OUT/bin
#   FUZZ_ARGS        extra libFuzzer flags for every target (e.g. "-seed=1")
#
# Layout under $FUZZ_OUT: bin/ (targets), corpus/<target>/ (working corpus: seeded from
# fixtures/fuzz-corpus/{http,aps}/ and grown by libFuzzer; kept across runs), crashes/<target>/
# (crash-*, leak-*, timeout-*, oom-* inputs), logs/<target>.log (full libFuzzer output).
# A crash input found here belongs in fixtures/fuzz-corpus/crashes/ with a regression test.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${FUZZ_OUT:-$ROOT/.build-fuzz/fuzz}"
export FUZZ_OUT="$OUT"
SECONDS_PER_TARGET="${1:-600}"
shift || true
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=(HTTPParserFuzzer APSRequestFuzzer)

if ! [[ "$SECONDS_PER_TARGET" =~ ^[0-9]+$ ]] || [[ "$SECONDS_PER_TARGET" -lt 1 ]]; then
    echo "usage: fuzz/run.sh [SECONDS] [HTTPParserFuzzer|APSRequestFuzzer ...]" >&2
    exit 2
fi

if [[ "${FUZZ_SKIP_BUILD:-0}" != 1 ]]; then
    "$ROOT/fuzz/build.sh" || { echo "fuzz/run.sh: build failed" >&2; exit 2; }
fi

# Per-target settings: seed corpus, dictionary, largest input.
settings() {
    case "$1" in
        HTTPParserFuzzer) SEEDS=http; DICT=http.dict; MAX_LEN=10000 ;;
        APSRequestFuzzer) SEEDS=aps; DICT=aps.dict; MAX_LEN=4096 ;;
        *) echo "fuzz/run.sh: unknown target $1" >&2; return 1 ;;
    esac
}

# Leaks of one input are bugs too, but Swift's runtime caches (metadata, interned strings)
# are allocated lazily and stay reachable: LeakSanitizer only reports unreachable memory.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:symbolize=1:detect_leaks=1}"
SYMBOLIZER="$(command -v llvm-symbolizer || true)"
[[ -n "$SYMBOLIZER" ]] || { [[ -x /opt/swift/usr/bin/llvm-symbolizer ]] && SYMBOLIZER=/opt/swift/usr/bin/llvm-symbolizer; }
[[ -n "$SYMBOLIZER" ]] && export ASAN_SYMBOLIZER_PATH="$SYMBOLIZER"

status=0
summaries=()
for target in "${TARGETS[@]}"; do
    settings "$target" || { status=2; continue; }
    binary="$OUT/bin/$target"
    corpus="$OUT/corpus/$target"
    crashes="$OUT/crashes/$target"
    log="$OUT/logs/$target.log"
    mkdir -p "$corpus" "$crashes" "$OUT/logs"
    # The working copy of the seeds (existing files are kept: the corpus grows across runs).
    cp -n "$ROOT/fixtures/fuzz-corpus/$SEEDS/"* "$corpus/" 2>/dev/null || true
    before=$(find "$crashes" -type f | wc -l)

    echo "== $target: ${SECONDS_PER_TARGET}s, corpus $corpus, log $log"
    # shellcheck disable=SC2086
    "$binary" "$corpus" \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=30 -rss_limit_mb=2048 -max_len="$MAX_LEN" \
        -dict="$ROOT/fuzz/$DICT" -artifact_prefix="$crashes/" -print_final_stats=1 \
        ${FUZZ_ARGS:-} >"$log" 2>&1
    rc=$?

    after=$(find "$crashes" -type f | wc -l)
    new_crashes=$((after - before))
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    progress=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' <<<"$progress" | grep -o '[0-9]*')
    ft=$(grep -o 'ft: [0-9]*' <<<"$progress" | grep -o '[0-9]*')
    corp=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' <<<"$progress" | cut -d' ' -f2)
    if [[ -z "$execs" ]]; then   # a crash skips the final stats: take the last progress line
        execs=$(grep -o '^#[0-9]*' <<<"$progress" | tr -d '#')
        rate=$(grep -o 'exec/s: [0-9]*' <<<"$progress" | grep -o '[0-9]*')
    fi
    if [[ $rc -ne 0 ]]; then
        status=1
        result="FAILED (exit $rc; see $log)"
        grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|Fatal error|[A-Za-z]+Fuzzer: ' "$log" | sed 's/^/    /'
    else
        result="ok"
    fi
    line="$target: ${result}; execs ${execs:-?}, ${rate:-?} exec/s, cov ${cov:-?} edges, ft ${ft:-?} features, corpus ${corp:-?}, new crash files ${new_crashes}"
    echo "$line"
    summaries+=("$line")
done

echo "== summary (${SECONDS_PER_TARGET}s per target)"
printf '%s\n' "${summaries[@]}"
if [[ $status -ne 0 ]]; then
    echo "crash inputs: $OUT/crashes/ (reproduce: $OUT/bin/<target> <file>)"
fi
exit $status
