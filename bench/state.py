#!/usr/bin/env python3
"""Benchmark of `serve --state-dir`: what keeping the state costs and how fast it comes back.

1. PAYMENT_LINK create throughput, each request a new signed link, with wrk (64 connections,
   core 0) against the sandbox (core 1): in memory, with --state-dir --durability fsync, and
   with --durability os. The ratio to the in-memory run is the figure to watch (target 0.7).
   Beside each rate: the sandbox's CPU time per create (user + system, all its threads, from
   /proc during the wrk run), steadier than the rate on a shared machine; with --syscalls, the
   system calls per create (perf stat's syscall tracepoints: flushes, writes, futex, epoll);
   with --threads, the CPU per create of each busy thread (the event loop, the log writer, the
   flush threads).
2. Stop: SIGTERM to exit, with every link of the fsync run in the log.
3. Start to the first answer of GET /__sandbox/health: with the links in the log only (replay),
   then from a snapshot (after PUT /__sandbox/state wrote one).

Usage: bench/state.py --binary PATH [--seconds 5] [--bodies 250000] [--connections 64]
                      [--modes memory,fsync,os] [--skip-start] [--syscalls] [--threads]
Installs nothing itself: bench/run.sh installs wrk; run that once first, or apt-get install wrk.
"""
import argparse, hashlib, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time

SERVER_CPU, CLIENT_CPU = "1", "0"
MERCHANT, ACCESS, PHRASE = "CycHZxVj", "zx0IPmPy5jp1vAz8Kpg7", "request-secret"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(port, method, path, body=b"", timeout=600):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"{method} {path} HTTP/1.1\r\nHost: b\r\nConnection: close\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        data = b""
        while chunk := s.recv(1 << 20):
            data += chunk
    return int(data.split(b" ", 2)[1]), data.split(b"\r\n\r\n", 1)[1]


def create_body(reference):
    params = {"service_command": "PAYMENT_LINK", "access_code": ACCESS, "merchant_identifier": MERCHANT,
              "merchant_reference": reference, "amount": "125000", "currency": "SAR", "language": "en",
              "customer_email": "customer@example.com", "request_expiry_date": "2099-12-31T23:59:59+03:00",
              "notification_type": "NONE", "order_description": "Benchmark order"}
    text = "".join(f"{k}={params[k]}" for k in sorted(params))
    params["signature"] = hashlib.sha256((PHRASE + text + PHRASE).encode()).hexdigest()
    return json.dumps(params, separators=(",", ":"))


def write_lua(path, prefix, count):
    with open(path, "w") as f:
        f.write("wrk.method = 'POST'\nwrk.headers['Content-Type'] = 'application/json'\nlocal bodies = {\n")
        for i in range(count):
            f.write("'" + create_body(f"{prefix}-{i}") + "',\n")
        f.write("}\nlocal i, n = 0, 0\nrequest = function()\n  i = i + 1\n  if i > #bodies then i = #bodies end\n"
                "  return wrk.format(nil, '/FortAPI/paymentApi', nil, bodies[i])\nend\n"
                )


def start(binary, port, extra):
    t0 = time.perf_counter()
    process = subprocess.Popen(["taskset", "-c", SERVER_CPU, binary, "serve", "--port", str(port)] + extra,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while True:
        if process.poll() is not None:
            raise SystemExit("the sandbox exited: " + process.stderr.read().decode())
        try:
            if http(port, "GET", "/__sandbox/health", timeout=1)[0] == 200:
                return process, (time.perf_counter() - t0) * 1000
        except OSError:
            time.sleep(0.001)


def stop(process):
    t0 = time.perf_counter()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    return (time.perf_counter() - t0) * 1000


def cpu_seconds(pid):
    """User + system CPU time of every thread of `pid` so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def thread_cpu(pid):
    """User and system CPU time (clock ticks) of each thread of `pid` so far, by thread id."""
    times = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        times[tid] = (int(fields[11]), int(fields[12]))
    return times


def thread_lines(before, after, done):
    """The busiest threads' CPU per create over the run (user + system), busiest first: the event
    loop, then the log writer and the flush threads (nearly all system time), unnamed."""
    tick = 1e6 / os.sysconf("SC_CLK_TCK") / max(1, done)
    spent = []
    for tid, (user, system) in after.items():
        was = before.get(tid, (0, 0))
        spent.append(((user - was[0]) * tick, (system - was[1]) * tick))
    spent.sort(key=lambda t: -(t[0] + t[1]))
    return ", ".join(f"{u + s:.1f} ({u:.1f} + {s:.1f})" for u, s in spent if u + s >= 0.2)


SYSCALLS = ("fdatasync", "write", "pwrite64", "pwritev", "futex", "epoll_wait", "epoll_ctl", "read", "recvfrom", "writev", "sendto")


def count_syscalls(pid):
    """perf stat of the sandbox's system calls (tracepoints), running until the process it returns is stopped."""
    events = ",".join(f"syscalls:sys_enter_{name}" for name in SYSCALLS)
    return subprocess.Popen(["perf", "stat", "-x", ",", "-e", events, "-p", str(pid)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def syscall_counts(perf):
    perf.send_signal(signal.SIGINT)
    counts = {}
    for line in perf.communicate(timeout=30)[1].splitlines():
        parts = line.split(",")
        if len(parts) > 2 and parts[2].startswith("syscalls:sys_enter_") and parts[0].isdigit():
            counts[parts[2].removeprefix("syscalls:sys_enter_")] = int(parts[0])
    return counts


def record_profile(pid, path):
    """perf record -g of the sandbox's threads into `path` (compare with `perf report --sort sym`), until stopped."""
    return subprocess.Popen(["perf", "record", "-q", "-e", "cpu-clock", "-g", "-F", "2000", "-p", str(pid), "-o", path],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wrk(port, connections, seconds, lua, bodies):
    out = subprocess.run(["taskset", "-c", CLIENT_CPU, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", lua, f"http://127.0.0.1:{port}"],
                         capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    done = int(re.search(r"(\d+) requests in", out).group(1))
    if done >= bodies: raise SystemExit(f"ran out of prepared bodies ({bodies}): raise --bodies")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, int(errors.group(1)) if errors else 0, done


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--seconds", type=int, default=5, help="length of each throughput run")
    parser.add_argument("--bodies", type=int, default=250_000, help="distinct signed creates prepared per run (must outlast it)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--modes", default="memory,fsync,os", help="which runs, in this order (comma-separated)")
    parser.add_argument("--skip-start", action="store_true", help="measure throughput only, not start and stop")
    parser.add_argument("--syscalls", action="store_true", help="count system calls per create with perf stat")
    parser.add_argument("--threads", action="store_true", help="CPU per create of each busy thread (user + system), busiest first")
    parser.add_argument("--record", metavar="DIR", help="perf record -g of each run into DIR/MODE.perf.data")
    args = parser.parse_args()
    modes = args.modes.split(",")
    work = tempfile.mkdtemp(prefix="paylink-state-bench-")
    try:
        results = {}
        for mode in modes:
            lua = os.path.join(work, f"{mode}.lua")
            write_lua(lua, f"bench-{mode}", args.bodies)
            directory = os.path.join(work, f"state-{mode}")
            extra = [] if mode == "memory" else ["--state-dir", directory, "--durability", mode]
            port = free_port()
            process, _ = start(args.binary, port, extra)
            perf = count_syscalls(process.pid) if args.syscalls else None
            recording = record_profile(process.pid, os.path.join(args.record, f"{mode}.perf.data")) if args.record else None
            cpu_before, threads_before = cpu_seconds(process.pid), thread_cpu(process.pid)
            rate, errors, done = wrk(port, args.connections, args.seconds, lua, args.bodies)
            cpu_us = (cpu_seconds(process.pid) - cpu_before) * 1e6 / max(1, done)
            threads = thread_lines(threads_before, thread_cpu(process.pid), done) if args.threads else ""
            calls = syscall_counts(perf) if perf else {}
            if recording:
                recording.send_signal(signal.SIGINT)
                recording.wait(timeout=120)
            rss = rss_mb(process.pid)
            count = len(json.loads(http(port, "GET", "/__sandbox/state")[1])["links"])
            stop_ms = stop(process)
            results[mode] = (rate, errors, rss, stop_ms, directory, port, count, cpu_us)
            print(f"{mode:>6}: {rate:,.0f} creates/s ({errors} non-2xx), CPU {cpu_us:.1f} us per create, RSS {rss:.0f} MB, links {count}, SIGTERM to exit {stop_ms:.0f} ms", flush=True)
            if calls:
                print("        per create: " + ", ".join(f"{name} {calls[name] / max(1, done):.3f}" for name in SYSCALLS if calls.get(name)), flush=True)
            if threads:
                print(f"        CPU per create by thread, us (user + system): {threads}", flush=True)
        base = results["memory"][0] if "memory" in results else None
        print()
        print("| mode | creates/s | ratio to in memory | CPU per create | RSS after | SIGTERM to exit |")
        print("|---|---|---|---|---|---|")
        for mode, (rate, _, rss, stop_ms, _d, _p, _c, cpu_us) in results.items():
            ratio = f"{rate / base:.2f}" if base else "-"
            print(f"| {mode if mode == 'memory' else '--durability ' + mode} | {rate:,.0f} | {ratio} | {cpu_us:.1f} us | {rss:.0f} MB | {stop_ms:.0f} ms |")
        if args.skip_start or "fsync" not in results:
            return
        directory = results["fsync"][4]
        port = free_port()
        # PUT /__sandbox/state takes the whole export back: a body far above the 1 MiB default.
        config = os.path.join(work, "config.json")
        with open(config, "w") as f:
            json.dump({"server": {"max_body_bytes": 1 << 30}}, f)
        process, replay_ms = start(args.binary, port, ["--state-dir", directory, "--config", config])
        status, state = http(port, "GET", "/__sandbox/state")
        status, _ = http(port, "PUT", "/__sandbox/state", state)
        assert status == 200, status
        stop_after_snapshot = stop(process)
        process, snapshot_ms = start(args.binary, port, ["--state-dir", directory, "--config", config])
        links = results["fsync"][6]
        stop_ms = stop(process)
        sizes = {name: os.path.getsize(os.path.join(directory, name)) for name in os.listdir(directory)}
        print()
        print(f"| start with {links:,} links | to first answer |")
        print("|---|---|")
        print(f"| from the log (replay of every create) | {replay_ms:.0f} ms |")
        print(f"| from a snapshot ({max(sizes.values()) / 1e6:.0f} MB) | {snapshot_ms:.0f} ms |")
        print(f"\nSIGTERM to exit at {links:,} links: {stop_ms:.0f} ms (after the snapshot run: {stop_after_snapshot:.0f} ms)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
