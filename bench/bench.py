#!/usr/bin/env python3
"""Runs the benchmark that bench/run.sh names. See that script for what it measures.

Every figure comes from this one run: the sandbox with its request log written to a file, the
sandbox with `--quiet`, and nginx are measured in alternation, each pinned to core 1 while wrk
runs on core 0, so the ratios compare like with like.
"""
import argparse, datetime, os, platform, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

SERVER_CPU, CLIENT_CPU = "1", "0"
CHECK_BODY = ('{"query_command":"CHECK_PAYMENT_LINK_STATUS","access_code":"zx0IPmPy5jp1vAz8Kpg7",'
              '"merchant_identifier":"CycHZxVj","merchant_reference":"bench-order-1"}')
CREATE_BODY = ('{"service_command":"PAYMENT_LINK","access_code":"zx0IPmPy5jp1vAz8Kpg7","merchant_identifier":"CycHZxVj",'
               '"merchant_reference":"bench-order-1","amount":"125000","currency":"SAR","language":"en",'
               '"customer_email":"customer@example.com","request_expiry_date":"2099-12-31T23:59:59+03:00",'
               '"notification_type":"NONE","order_description":"Benchmark order"}')


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(port, method, path, body=b"", timeout=2.0):
    """One request on a fresh connection; returns (status, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        head = f"{method} {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\nContent-Length: {len(body)}\r\n\r\n"
        s.sendall(head.encode() + body)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[1]


def sign(binary, body):
    """Signs with the sandbox's own `sign` command (the demo merchant's request phrase)."""
    out = subprocess.run([binary, "sign", "--phrase", "request-secret"], input=body.encode(),
                         capture_output=True, check=True).stdout.decode()
    signature = re.search(r"^signature: ([0-9a-f]+)$", out, re.M).group(1)
    return body[:-1] + f',"signature":"{signature}"}}'


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def start_sandbox(binary, port, log=None):
    """Starts the sandbox pinned to the server core; returns (process, ms from spawn to first answer).
    With `log` (a path), its line per request goes there; without, it runs `--quiet`."""
    t0 = time.perf_counter()
    quiet = [] if log else ["--quiet"]
    out = open(log, "ab") if log else subprocess.DEVNULL
    proc = subprocess.Popen(["taskset", "-c", SERVER_CPU, binary, "serve", "--port", str(port), "--seed", "1", *quiet],
                            stdout=out, stderr=subprocess.DEVNULL)
    if log:
        out.close()
    deadline = t0 + 10
    while time.perf_counter() < deadline:
        try:
            if http(port, "GET", "/__sandbox/health", timeout=0.5)[0] == 200:
                return proc, (time.perf_counter() - t0) * 1000
        except OSError:
            time.sleep(0.0005)
    proc.kill()
    raise SystemExit("the sandbox did not answer within 10 s")


def start_nginx(port, workdir):
    prefix = '{"status":"ok","padding":"'
    payload = prefix + "x" * (600 - len(prefix) - 2) + '"}'
    assert len(payload) == 600, len(payload)
    conf = os.path.join(workdir, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""worker_processes 1;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  client_body_temp_path {workdir}/body;
  proxy_temp_path {workdir}/proxy; fastcgi_temp_path {workdir}/fastcgi;
  uwsgi_temp_path {workdir}/uwsgi; scgi_temp_path {workdir}/scgi;
  server {{
    listen 127.0.0.1:{port};
    location / {{ default_type application/json; return 200 '{payload}'; }}
  }}
}}
""")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    proc = subprocess.Popen(["taskset", "-c", SERVER_CPU, nginx, "-c", conf, "-p", workdir],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(1000):
        try:
            status, body = http(port, "POST", "/FortAPI/paymentApi", CHECK_BODY.encode())
            assert status == 200 and len(body) == 600
            return proc
        except OSError:
            time.sleep(0.01)
    raise SystemExit("nginx did not start")


def cpu_seconds(pid):
    """User and system CPU seconds of a process, its threads and its children (nginx's worker)."""
    pids, user, system = [pid], 0, 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                pids += [int(c) for c in f.read().split()]
        except OSError:
            pass
    tick = os.sysconf("SC_CLK_TCK")
    for p in pids:
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                user += int(fields[11]); system += int(fields[12])
        except OSError:
            pass
    return user / tick, system / tick


def wrk(port, connections, seconds, lua, extra_env=None, pid=None):
    cmd = ["taskset", "-c", CLIENT_CPU, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", lua,
           f"http://127.0.0.1:{port}/FortAPI/paymentApi"]
    before = cpu_seconds(pid) if pid else None
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env={**os.environ, **(extra_env or {})}).stdout
    after = cpu_seconds(pid) if pid else None
    def latency(label):
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    cpu = ((after[0] - before[0]) / requests * 1e6, (after[1] - before[1]) / requests * 1e6) if pid and requests else (0.0, 0.0)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": latency("50"), "p99": latency("99"),
            "requests": requests, "user_us": cpu[0], "system_us": cpu[1],
            "non2xx": int(errors.group(1)) if errors else 0, "socket_errors": socket_errors.group(1) if socket_errors else ""}


def write_lua(path, body, stop_after=None):
    escaped = body.replace("\\", "\\\\").replace("'", "\\'")
    with open(path, "w") as f:
        f.write(f"wrk.method = 'POST'\nwrk.headers['Content-Type'] = 'application/json'\nwrk.body = '{escaped}'\n")
        if stop_after:
            f.write(f"local n = 0\nfunction response(status, headers, body)\n  n = n + 1\n"
                    f"  if n >= {stop_after} then wrk.thread:stop() end\nend\n")


def fmt_ms(v):
    return f"{v * 1000:.0f} µs" if v < 1 else f"{v:.2f} ms"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-memory", action="store_true", help="leave out the million-request memory run (a quick look)")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    if os.cpu_count() < 2:
        raise SystemExit("needs two cores: the server on one, wrk on the other")

    work = tempfile.mkdtemp(prefix="paylink-bench-")
    procs = []
    def cleanup(*_):
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try: p.wait(5)
                except subprocess.TimeoutExpired: p.kill()
        shutil.rmtree(work, ignore_errors=True)
    signal.signal(signal.SIGTERM, lambda *a: (cleanup(), sys.exit(1)))
    try:
        # Start-up: spawn to first answered request, best of five fresh processes.
        startups = []
        for _ in range(5):
            port = free_port()
            proc, ms = start_sandbox(binary, port)
            startups.append(ms)
            idle_rss = rss_kb(proc.pid)
            proc.terminate(); proc.wait()

        sandbox_port, logged_port, nginx_port = free_port(), free_port(), free_port()
        sandbox, _ = start_sandbox(binary, sandbox_port)
        procs.append(sandbox)
        log_file = os.path.join(work, "requests.log")
        logged, _ = start_sandbox(binary, logged_port, log=log_file)
        procs.append(logged)
        check = sign(binary, CHECK_BODY)
        for port in (sandbox_port, logged_port):
            status, body = http(port, "POST", "/FortAPI/paymentApi", sign(binary, CREATE_BODY).encode())
            assert b'"response_code":"48000"' in body, body
            status, body = http(port, "POST", "/FortAPI/paymentApi", check.encode())
            assert b'"response_code":"12000"' in body, body
        nginx = start_nginx(nginx_port, work)
        procs.append(nginx)
        lua = os.path.join(work, "check.lua")
        write_lua(lua, check)

        # Memory growth (quiet sandbox): RSS after the first 100k requests, then after a million.
        counted = os.path.join(work, "counted.lua")
        rss_100k = rss_1m = None
        if not args.skip_memory:
            write_lua(counted, check, stop_after=100_000)
            wrk(sandbox_port, 64, 120, counted)
            rss_100k = rss_kb(sandbox.pid)
            write_lua(counted, check, stop_after=900_000)
            wrk(sandbox_port, 64, 300, counted)
            rss_1m = rss_kb(sandbox.pid)

        servers = (("logged", logged_port, logged.pid), ("quiet", sandbox_port, sandbox.pid), ("nginx", nginx_port, nginx.pid))
        results = {}
        for connections in (1, 64):
            for _ in range(args.runs):
                for name, port, pid in servers:
                    r = wrk(port, connections, args.duration, lua, pid=pid)
                    if r["non2xx"] or r["socket_errors"]:
                        raise SystemExit(f"{name} at -c{connections}: {r['non2xx']} non-2xx, socket errors {r['socket_errors']}")
                    results.setdefault((name, connections), []).append(r)
        rss_after = rss_kb(sandbox.pid)
        logged_lines = sum(1 for _ in open(log_file, "rb"))
        logged_requests = sum(r["requests"] for (name, _), runs in results.items() if name == "logged" for r in runs)

        med = lambda name, c, key: statistics.median(r[key] for r in results[(name, c)])
        cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
        labels = {"logged": "sandbox, log to a file", "quiet": "sandbox, `--quiet`", "nginx": "nginx"}
        lines = [
            f"Benchmark of {datetime.datetime.now().strftime('%Y-%m-%d (%H:%M)')} on {cpu}, {os.cpu_count()} cores, "
            f"{platform.system()} {platform.release()}; command: `bench/run.sh --duration {args.duration} --runs {args.runs}{' --skip-memory' if args.skip_memory else ''}`;",
            f"server on core {SERVER_CPU}, wrk (1 thread) on core {CLIENT_CPU}; {args.runs} runs of {args.duration} s each, medians.",
            "Sandbox: signed CHECK_PAYMENT_LINK_STATUS for an existing link, with its line per request written to a file,",
            "and with `--quiet`. nginx: static 600-byte JSON to the same POST.",
            "",
            "| connections | server | req/s | ratio to nginx | p50 | p99 | CPU per request (user + system) |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in (1, 64):
            n = med("nginx", c, "rps")
            for name, _, _ in servers:
                s = med(name, c, "rps")
                lines.append(f"| {c} | {labels[name]} | {s:,.0f} | {s / n:.2f} | {fmt_ms(med(name, c, 'p50'))} | {fmt_ms(med(name, c, 'p99'))} | "
                             f"{med(name, c, 'user_us'):.1f} + {med(name, c, 'system_us'):.1f} µs |")
        lines += [
            "",
            "- CPU per request: the server's user and system time during the run (its threads, and nginx's worker), from /proc,",
            "  divided by the requests wrk counted: steadier than req/s on a machine shared with other work.",
            f"- Request log: {logged_lines:,} lines written for the {logged_requests:,} requests wrk counted (wrk does not count those in flight at its end).",
            f"- Start to first answered request: {min(startups):.1f} ms best, {statistics.median(startups):.1f} ms median of 5.",
            f"- RSS idle after start: {idle_rss / 1024:.1f} MB; "
            + (f"after 100k requests: {rss_100k / 1024:.1f} MB; after 1M: {rss_1m / 1024:.1f} MB (growth {(rss_1m - rss_100k) / 1024:+.1f} MB); "
               if rss_1m is not None else "memory run skipped; ")
            + f"after the whole run: {rss_after / 1024:.1f} MB (the quiet sandbox).",
        ]
        print("\n".join(lines))
        os.makedirs("bench/results", exist_ok=True)
        with open(f"bench/results/{datetime.datetime.now().strftime('%Y%m%d-%H%M%S')}.md", "w") as f:
            f.write("\n".join(lines) + "\n")
    finally:
        cleanup()


if __name__ == "__main__":
    main()
