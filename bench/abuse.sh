#!/usr/bin/env bash
# Robustness ("abuse") checks for the paylink-sandbox HTTP server, with the release binary.
#
#   bench/abuse.sh
#
# 1. Throughput under abuse: a 64-connection wrk run keeps >= 80 % of its baseline req/s while
#    1,000 idle keep-alive connections are open and 100 slow clients drip a request head one byte
#    a second; the slow clients are cut off with 408 at the 10 s header timeout; the idle
#    connections are still open (and answer) after the wrk run.
# 2. Connection cap: a server with max_connections 200 refuses further connections with 503 and
#    keeps serving, with a bounded descriptor count; a server whose RLIMIT_NOFILE is below its cap
#    survives running out of descriptors.
# 3. Limits, each answered before the connection closes: 414, 431 (size and count), 413 (declared
#    and chunked), 408 at the real default 10 s header timeout, 400 for framing errors.
#
# Prints PASS/FAIL per check with its figures, then "N passed, N failed"; exits 1 on any failure.
# The throughput ratio compares the abuse run with the mean of a baseline run just before and one
# just after it. Each wrk line also shows the server's own CPU use (and CPU microseconds per
# request) and how busy each CPU was: on a shared machine a low baseline or a failed ratio with
# busy CPUs and an unchanged cost per request points at other load rather than at the server.
# Runs on a fresh Debian machine with Swift 6: installs wrk (and python3) with apt-get if missing.
# All traffic goes to 127.0.0.1; every process started here is stopped on exit.
#
# Environment knobs (defaults in brackets):
#   ABUSE_WRK_SECONDS [12]  length of each wrk run      ABUSE_WRK_CONNECTIONS [64]
#   ABUSE_IDLE [1000]       idle keep-alive connections ABUSE_SLOW [100] slow clients
#   ABUSE_MIN_RATIO [0.80]  throughput to keep          ABUSE_ATTEMPTS [3] tries of the
#                           throughput measurement (only the ratio is retried, every attempt is printed)
#   ABUSE_CAP [200]         max_connections for check 2 ABUSE_SKIP_BUILD [0]
#   ABUSE_SERVER_CPU [1] / ABUSE_CLIENT_CPU [0]  taskset pinning (ignored on a 1-CPU machine)

set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 2
HELPER="$ROOT/bench/abuse/abuse_client.py"
SCRATCH="$ROOT/.build-abuse"
BIN="$SCRATCH/release/paylink-sandbox"

WRK_SECONDS="${ABUSE_WRK_SECONDS:-12}"
WRK_CONNECTIONS="${ABUSE_WRK_CONNECTIONS:-64}"
IDLE="${ABUSE_IDLE:-1000}"
SLOW="${ABUSE_SLOW:-100}"
MIN_RATIO="${ABUSE_MIN_RATIO:-0.80}"
ATTEMPTS="${ABUSE_ATTEMPTS:-3}"
CAP="${ABUSE_CAP:-200}"
HEADER_TIMEOUT=10   # the server's default; check 1 and 3 run the default configuration

PASSED=0
FAILED=0
PIDS=()
WORK="$(mktemp -d "${TMPDIR:-/tmp}/paylink-abuse.XXXXXX")"

log() { printf '%s\n' "$*"; }
pass() { PASSED=$((PASSED + 1)); log "PASS $*"; }
fail() { FAILED=$((FAILED + 1)); log "FAIL $*"; }

# Stops, by id, every process this script started (servers, helpers, wrk), then removes WORK.
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    PIDS=()
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

forget_pid() {
    local keep=() p
    for p in "${PIDS[@]}"; do [ "$p" != "$1" ] && keep+=("$p"); done
    PIDS=("${keep[@]}")
}

# --- prerequisites ----------------------------------------------------------------------------

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else log "need root (or sudo) to run: $*"; return 1
    fi
}

APT_UPDATED=0
ensure_command() {  # command package
    command -v "$1" >/dev/null 2>&1 && return 0
    log "installing $2 (missing $1)"
    if [ "$APT_UPDATED" -eq 0 ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
        APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null || return 1
    command -v "$1" >/dev/null 2>&1
}

ensure_command wrk wrk || { log "FAIL cannot install wrk"; exit 2; }
ensure_command python3 python3 || { log "FAIL cannot install python3"; exit 2; }
ensure_command taskset util-linux || { log "FAIL cannot install taskset"; exit 2; }
command -v swift >/dev/null 2>&1 || { log "FAIL swift (Swift 6 toolchain) not found on PATH"; exit 2; }

# 1,000 idle + 100 slow + 64 wrk connections, plus the servers' own: raise the descriptor limit
# (inherited by the servers and the helpers).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null
NOFILE="$(ulimit -n)"
if [ "$NOFILE" != unlimited ] && [ "$NOFILE" -lt $((IDLE + SLOW + WRK_CONNECTIONS + 256)) ]; then
    log "FAIL open-file limit $NOFILE is too low for $IDLE idle + $SLOW slow connections (raise the hard limit)"
    exit 2
fi

if [ "$(nproc)" -ge 2 ]; then
    SERVER_PIN=(taskset -c "${ABUSE_SERVER_CPU:-1}")
    CLIENT_PIN=(taskset -c "${ABUSE_CLIENT_CPU:-0}")
else
    SERVER_PIN=()
    CLIENT_PIN=()
    log "INFO one CPU only: server and clients are not pinned, throughput figures share it"
fi

if [ "${ABUSE_SKIP_BUILD:-0}" != 1 ] || [ ! -x "$BIN" ]; then
    log "building: swift build -c release --scratch-path .build-abuse"
    if ! swift build -c release --scratch-path "$SCRATCH" >"$WORK/build.log" 2>&1; then
        tail -n 40 "$WORK/build.log"
        log "FAIL release build"
        exit 2
    fi
fi
log "INFO $(uname -srm), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), open-file limit $NOFILE, $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2), $(python3 --version)"

# --- helpers ----------------------------------------------------------------------------------

# start_server NAME [CONFIG_JSON] [NOFILE]: sets SERVER_PID and SERVER_PORT.
start_server() {
    local name="$1" config="${2:-}" nofile="${3:-}"
    local args=(serve --port 0)
    if [ -n "$config" ]; then
        printf '%s\n' "$config" >"$WORK/$name.json"
        args+=(--config "$WORK/$name.json")
    fi
    if [ -n "$nofile" ]; then
        ( ulimit -n "$nofile" && exec "${SERVER_PIN[@]}" "$BIN" "${args[@]}" ) >"$WORK/$name.out" 2>"$WORK/$name.err" &
    else
        "${SERVER_PIN[@]}" "$BIN" "${args[@]}" >"$WORK/$name.out" 2>"$WORK/$name.err" &
    fi
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    SERVER_PORT=""
    for _ in $(seq 1 150); do
        SERVER_PORT="$(head -n 1 "$WORK/$name.out" 2>/dev/null | sed -n 's#^listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p')"
        [ -n "$SERVER_PORT" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$SERVER_PORT" ]; then
        log "FAIL server $name did not start: $(cat "$WORK/$name.err")"
        exit 1
    fi
    log "INFO server $name: pid $SERVER_PID, port $SERVER_PORT${config:+, config $config}${nofile:+, RLIMIT_NOFILE $nofile}"
}

# stop_server NAME PID: SIGTERM, expects a clean exit 0 within 10 s. Returns non-zero otherwise.
stop_server() {
    local name="$1" pid="$2" rc
    if ! kill -0 "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null; rc=$?
        log "INFO server $name had already exited (status $rc): $(tail -n 5 "$WORK/$name.err")"
        forget_pid "$pid"
        return 1
    fi
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid"; wait "$pid" 2>/dev/null
        forget_pid "$pid"
        log "INFO server $name did not stop within 10 s of SIGTERM"
        return 1
    fi
    wait "$pid"; rc=$?
    forget_pid "$pid"
    [ "$rc" -eq 0 ] || { log "INFO server $name exited with status $rc: $(tail -n 5 "$WORK/$name.err")"; return 1; }
    return 0
}

fd_count() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }

# CPU seconds (user + system) a process has used so far; 0 when it is gone.
cpu_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f\n", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# "busy total" jiffies of each CPU, one CPU a line, from /proc/stat.
cpu_jiffies() {
    awk '/^cpu[0-9]/ { t = 0; for (i = 2; i <= NF; i++) t += $i; print $1, t - $5 - $6, t }' /proc/stat
}

# cpu_busy BEFORE_FILE AFTER_FILE: "cpu0 97%, cpu1 45%".
cpu_busy() {
    join "$1" "$2" | awk '{ d = $5 - $3; printf "%s%s %.0f%%", (NR > 1 ? ", " : ""), $1, (d > 0 ? ($4 - $2) / d * 100 : 0) }'
}

# run_wrk LABEL PORT SECONDS [SERVER_PID]: sets WRK_RPS, WRK_ERRORS (socket errors + non-2xx/3xx),
# WRK_SUMMARY, and SERVER_CPU (share of one CPU the server used during the run, in %).
run_wrk() {
    local label="$1" port="$2" seconds="$3" server="${4:-}" out="$WORK/wrk-$1.txt" pid cpu0 cpu1
    [ -n "$server" ] && cpu0="$(cpu_seconds "$server")"
    cpu_jiffies >"$WORK/jiffies-before"
    "${CLIENT_PIN[@]}" timeout $((seconds + 30)) wrk -t1 -c"$WRK_CONNECTIONS" -d"${seconds}s" --timeout 5s --latency \
        "http://127.0.0.1:$port/__sandbox/health" >"$out" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait "$pid"
    forget_pid "$pid"
    cpu_jiffies >"$WORK/jiffies-after"
    CPU_BUSY="$(cpu_busy "$WORK/jiffies-before" "$WORK/jiffies-after")"
    SERVER_CPU="?"
    if [ -n "$server" ]; then
        cpu1="$(cpu_seconds "$server")"
        SERVER_CPU="$(awk -v a="$cpu0" -v b="$cpu1" -v s="$seconds" 'BEGIN { printf "%.0f", (b - a) / s * 100 }')"
    fi
    WRK_RPS="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
    WRK_RPS="${WRK_RPS:-0}"
    SERVER_US="?"
    if [ -n "$server" ]; then
        SERVER_US="$(awk -v a="$cpu0" -v b="$cpu1" -v s="$seconds" -v r="$WRK_RPS" 'BEGIN { printf "%.1f", (r > 0 ? (b - a) / (r * s) * 1e6 : 0) }')"
    fi
    local socket_errors non2xx
    socket_errors="$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$out")"
    non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out")"
    WRK_ERRORS=$(( ${socket_errors:-0} + ${non2xx:-0} ))
    WRK_SUMMARY="$(printf '%.0f req/s, p50 %s, p99 %s, %s errors, server process CPU %s%% (%s us per request), CPUs busy (all processes): %s, load average %s' "$WRK_RPS" \
        "$(awk '$1 == "50%" {print $2}' "$out")" "$(awk '$1 == "99%" {print $2}' "$out")" "$WRK_ERRORS" \
        "$SERVER_CPU" "$SERVER_US" "$CPU_BUSY" "$(cut -d' ' -f1 /proc/loadavg)")"
    log "INFO wrk $label: $WRK_SUMMARY (-t1 -c$WRK_CONNECTIONS -d${seconds}s)"
    [ "$WRK_RPS" != 0 ]
}

# run_helper NAME ARGS...: runs the Python helper pinned to the client CPU, echoes its lines and
# counts its PASS/FAIL lines.
run_helper() {
    local name="$1" pid rc
    shift
    "${CLIENT_PIN[@]}" timeout 300 python3 "$HELPER" "$@" >"$WORK/$name.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait "$pid"; rc=$?
    forget_pid "$pid"
    count_helper_output "$WORK/$name.log"
    if [ "$rc" -gt 1 ]; then
        fail "helper $name exited with status $rc: $(tail -n 3 "$WORK/$name.log")"
    fi
}

count_helper_output() {
    cat "$1"
    PASSED=$((PASSED + $(grep -c '^PASS ' "$1")))
    FAILED=$((FAILED + $(grep -c '^FAIL ' "$1")))
}

START_TIME=$(date +%s)

# --- 1. throughput with idle and slow clients -------------------------------------------------

log ""
log "== 1. wrk throughput with $IDLE idle keep-alive connections and $SLOW slow clients"
start_server main
MAIN_PID="$SERVER_PID"
MAIN_PORT="$SERVER_PORT"
run_wrk warmup "$MAIN_PORT" 3 >/dev/null

RATIO_PASSED=0
RATIO_REPORT=""
SLOW_LINE=""
IDLE_LINE=""
for attempt in $(seq 1 "$ATTEMPTS"); do
    run_wrk "baseline-before#$attempt" "$MAIN_PORT" "$WRK_SECONDS" "$MAIN_PID"
    BASE1="$WRK_RPS"; BASE1_ERR="$WRK_ERRORS"; BASE1_CPU="$SERVER_CPU"; BASE1_US="$SERVER_US"

    rm -f "$WORK/ready" "$WORK/done"
    "${CLIENT_PIN[@]}" timeout 300 python3 "$HELPER" load --port "$MAIN_PORT" --idle "$IDLE" --slow "$SLOW" \
        --expect-timeout "$HEADER_TIMEOUT" --ready-file "$WORK/ready" --done-file "$WORK/done" \
        --result-file "$WORK/load-$attempt.json" --max-seconds 150 >"$WORK/load-$attempt.log" 2>&1 &
    LOAD_PID=$!
    PIDS+=("$LOAD_PID")
    for _ in $(seq 1 600); do
        [ -e "$WORK/ready" ] && break
        kill -0 "$LOAD_PID" 2>/dev/null || break
        sleep 0.1
    done
    FDS_READY="$(fd_count "$MAIN_PID")"
    # Sample the server's descriptors and connections while wrk runs.
    (
        peak=0
        for _ in $(seq 1 $((WRK_SECONDS * 2 + 4))); do
            n="$(fd_count "$MAIN_PID")"; [ "$n" -gt "$peak" ] && peak="$n"
            [ -e "$WORK/done" ] && break
            sleep 0.5
        done
        echo "$peak" >"$WORK/fdpeak-$attempt"
    ) &
    SAMPLER_PID=$!
    PIDS+=("$SAMPLER_PID")
    run_wrk "under-abuse#$attempt" "$MAIN_PORT" "$WRK_SECONDS" "$MAIN_PID"
    ABUSE="$WRK_RPS"; ABUSE_ERR="$WRK_ERRORS"; ABUSE_CPU="$SERVER_CPU"; ABUSE_US="$SERVER_US"
    touch "$WORK/done"
    wait "$SAMPLER_PID"; forget_pid "$SAMPLER_PID"
    wait "$LOAD_PID"; LOAD_RC=$?; forget_pid "$LOAD_PID"
    # The helper's verdicts (1b, 1c) are shown per attempt and counted once below.
    sed -e "s/^\(PASS\|FAIL\|INFO\) /  [attempt $attempt] \1 /" "$WORK/load-$attempt.log"
    for check in 1b 1c; do
        line="$(grep -m1 "^\(PASS\|FAIL\) $check " "$WORK/load-$attempt.log")"
        [ -n "$line" ] || line="FAIL $check (load helper gave no verdict; status $LOAD_RC)"
        # Keep the first failing attempt's line, else the latest passing one.
        case "$check" in
            1b) [ "${SLOW_LINE:0:4}" = FAIL ] || SLOW_LINE="$line" ;;
            1c) [ "${IDLE_LINE:0:4}" = FAIL ] || IDLE_LINE="$line" ;;
        esac
    done
    [ "$LOAD_RC" -le 1 ] || log "INFO load helper exited with status $LOAD_RC"

    run_wrk "baseline-after#$attempt" "$MAIN_PORT" "$WRK_SECONDS" "$MAIN_PID"
    BASE2="$WRK_RPS"; BASE2_ERR="$WRK_ERRORS"; BASE2_CPU="$SERVER_CPU"; BASE2_US="$SERVER_US"

    FD_PEAK="$(cat "$WORK/fdpeak-$attempt" 2>/dev/null || echo '?')"
    read -r BASELINE RATIO SPREAD < <(awk -v a="$BASE1" -v b="$BASE2" -v x="$ABUSE" \
        'BEGIN { m = (a + b) / 2; d = (a > b ? a - b : b - a) / m; printf "%.0f %.3f %.1f\n", m, x / m, d * 100 }')
    THIS="attempt $attempt: baseline $(printf '%.0f' "$BASE1") req/s before and $(printf '%.0f' "$BASE2") after (mean $BASELINE, spread ${SPREAD}%), under abuse $(printf '%.0f' "$ABUSE") req/s -> ratio $RATIO (minimum $MIN_RATIO); wrk errors $BASE1_ERR/$ABUSE_ERR/$BASE2_ERR; server CPU $BASE1_CPU%/$ABUSE_CPU%/$BASE2_CPU% of a core, $BASE1_US/$ABUSE_US/$BASE2_US us per request (before/abuse/after); server fds $FDS_READY when the abuse was in place, peak $FD_PEAK during the run"
    RATIO_REPORT="${RATIO_REPORT:+$RATIO_REPORT; }$THIS"
    log "INFO 1a $THIS"
    if awk -v r="$RATIO" -v m="$MIN_RATIO" 'BEGIN { exit !(r >= m) }' && [ "$ABUSE_ERR" -eq 0 ]; then
        RATIO_PASSED=1
        break
    fi
    [ "$attempt" -lt "$ATTEMPTS" ] && log "INFO 1a below the minimum (or wrk errors); measuring again in case the machine was busy"
done
if [ "$RATIO_PASSED" -eq 1 ]; then
    pass "1a wrk keeps >= $(awk -v m="$MIN_RATIO" 'BEGIN { printf "%.0f", m * 100 }') % of its throughput under abuse: $RATIO_REPORT"
else
    fail "1a wrk keeps >= $(awk -v m="$MIN_RATIO" 'BEGIN { printf "%.0f", m * 100 }') % of its throughput under abuse: $RATIO_REPORT"
fi
for line in "$SLOW_LINE" "$IDLE_LINE"; do
    case "$line" in
        PASS*) pass "${line#PASS }" ;;
        *) fail "${line#FAIL }" ;;
    esac
done

# --- 2. connection cap ------------------------------------------------------------------------

log ""
log "== 2. connection cap"
start_server cap "{\"server\": {\"max_connections\": $CAP}}"
CAP_PID="$SERVER_PID"
run_helper conncap conncap --port "$SERVER_PORT" --pid "$CAP_PID" --cap "$CAP" --over 1000
if stop_server cap "$CAP_PID"; then
    pass "2a server with max_connections $CAP stopped cleanly on SIGTERM (exit 0)"
else
    fail "2a server with max_connections $CAP stopped cleanly on SIGTERM"
fi

FD_LIMIT=256
start_server fdlimit "" "$FD_LIMIT"
FDL_PID="$SERVER_PID"
run_helper fdflood fdflood --port "$SERVER_PORT" --pid "$FDL_PID" --nofile "$FD_LIMIT" --conns 600
if stop_server fdlimit "$FDL_PID"; then
    pass "2b server at RLIMIT_NOFILE $FD_LIMIT stopped cleanly on SIGTERM (exit 0)"
else
    fail "2b server at RLIMIT_NOFILE $FD_LIMIT stopped cleanly on SIGTERM"
fi

# --- 3. limits, on the default-configuration server of check 1 --------------------------------

log ""
log "== 3. limits answered before closing (default configuration, real ${HEADER_TIMEOUT} s header timeout)"
run_helper limits limits --port "$MAIN_PORT" --pid "$MAIN_PID" --header-timeout "$HEADER_TIMEOUT"

if stop_server main "$MAIN_PID"; then
    pass "1/3 server survived checks 1 and 3 and stopped cleanly on SIGTERM (exit 0)"
else
    fail "1/3 server survived checks 1 and 3 and stopped cleanly on SIGTERM"
fi

log ""
log "total time $(( $(date +%s) - START_TIME )) s (after the build)"
log "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
