#!/usr/bin/env python3
"""Benchmark of `serve --state-dir` at scale: start, memory and the cost of keeping state with
100,000 and 1,000,000 links, without creating them one request at a time.

The state directories are written here, in the sandbox's own binary format (the format of
Sources/PayLinkSandbox/State/Log/SnapshotFile.swift and LogEntry.swift): a fresh sandbox's
snapshot gives the document (clock, ids, ...), and N links are added either to a snapshot
(`snapshot-<seq>.bin`) or as N entries of the log (`log-<seq>.wal`, one frame per 1,000).

For each size:
1. start from the snapshot, to the first answer of GET /__sandbox/health, and the RSS then;
2. start from the log (a snapshot with no links and every link in the log);
3. the same links in memory (no --state-dir, imported with PUT /__sandbox/state: how long
   that import takes, and the RSS after it);
   the ratio is --state-dir's RSS to this one (target at most 1.2), and its idle CPU (the
   background ticker's, which --state-dir adds nothing to);
   (the sandbox's CPU time to that answer is given too: on a shared machine it moves less
   than the wall-clock time);
4. with --state-dir: idle for --idle seconds, then one PAYMENT_LINK create a second for
   --writes seconds: the sandbox's CPU time over each (from /proc/PID/stat) as % of a core;
5. SIGTERM to exit.

Each start is made --starts times (3 by default), each on a fresh copy of the directory (a
start from the log compacts it into a snapshot afterwards), and the median is reported with
the load average at the time: on a machine others are using, the sandbox's CPU time moves
much less than the wall-clock time.

Usage: bench/state_scale.py --binary PATH [--sizes 100000,1000000] [--idle 30] [--writes 30] [--starts 3]
"""
import argparse, hashlib, json, os, shutil, signal, socket, statistics, struct, subprocess, sys, tempfile, time, zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import state  # noqa: E402  (the create body both scripts send)

MERCHANT = "CycHZxVj"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def http(port, method, path, body=b"", timeout=900):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"{method} {path} HTTP/1.1\r\nHost: b\r\nConnection: close\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        data = bytearray()
        while chunk := s.recv(1 << 20):
            data += chunk
    head, _, rest = bytes(data).partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), rest


def start(binary, extra):
    """Starts the sandbox on a port of its choosing (so no other process on this machine can
    answer in its place) and returns it, its port and the time to its first health answer."""
    t0 = time.perf_counter()
    process = subprocess.Popen([binary, "serve", "--port", "0", "--quiet"] + extra, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if "listening on " not in line:
        raise SystemExit("the sandbox did not start: " + line + process.stderr.read())
    port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
    assert http(port, "GET", "/__sandbox/health")[0] == 200
    elapsed = (time.perf_counter() - t0) * 1000
    start.cpu = cpu_seconds(process.pid)
    return process, port, elapsed


def stop(process):
    t0 = time.perf_counter()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=120)
    return (time.perf_counter() - t0) * 1000


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


# --- the binary format ---------------------------------------------------------------------

def varint(value):
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def signed(value):
    return varint(value << 1 if value >= 0 else ((-value) << 1) - 1)


def string(text):
    data = text.encode()
    return varint(len(data)) + data


def frame(payload):
    return struct.pack("<II", len(payload), zlib.crc32(payload)) + payload


def link(i, created_ms, expiry_ms):
    link_id = str(700_000_000_000_000_000 + i)
    return b"".join([
        string(link_id), string(hashlib.md5(link_id.encode()).hexdigest()), signed(created_ms + i),
        string(MERCHANT), string(f"scale-{i}"), signed(125000), string("SAR"), string("en"), string("customer@example.com"),
        b"\x00", b"\x00", b"\x01" + string("Benchmark order"), string("NONE"), string("PURCHASE"), b"\x00", b"\x00",
        signed(expiry_ms), b"\x00", signed(0), b"\x00", b"\x00", varint(0), varint(0), b"\x00",
    ])


def read_frames(path):
    data = open(path, "rb").read()
    frames, offset = [], 0
    while offset < len(data):
        length, _ = struct.unpack_from("<II", data, offset)
        frames.append(data[offset + 8: offset + 8 + length])
        offset += 8 + length
    return frames


def fresh_header(binary, work):
    """A fresh sandbox's snapshot header: its document (clock, ids, outbox ...)."""
    directory = os.path.join(work, "fresh")
    process, _, _ = start(binary, ["--state-dir", directory])
    stop(process)
    name = [n for n in os.listdir(directory) if n.startswith("snapshot-") and n.endswith(".bin")][0]
    header = read_frames(os.path.join(directory, name))[0]
    assert header[:6] == b"PLSNAP" and header[6] == 1
    return header


def header_with_sequence(header, sequence):
    # magic, format, sequence (varint), saved_at (zigzag varint), document blob
    offset = 7
    while header[offset] & 0x80: offset += 1
    return header[:7] + varint(sequence) + header[offset + 1:]


def write_directory(header, directory, count, in_log):
    os.makedirs(directory)
    created = int(time.time() * 1000) - 86_400_000
    expiry = created + 400 * 86_400_000
    snapshot_sequence = 0 if in_log else count
    with open(os.path.join(directory, f"snapshot-{snapshot_sequence:020d}.bin"), "wb") as f:
        f.write(frame(header_with_sequence(header, snapshot_sequence)))
        written = 0
        if not in_log:
            for page in range(0, count, 4096):
                n = min(4096, count - page)
                f.write(frame(b"L" + varint(n) + b"".join(link(i, created, expiry) for i in range(page, page + n))))
                written += n
        f.write(frame(b"E" + varint(written) + varint(0)))
    if in_log:
        with open(os.path.join(directory, f"log-{1:020d}.wal"), "wb") as f:
            for first in range(0, count, 1000):
                n = min(1000, count - first)
                f.write(frame(b"\xb1" + b"".join(b"\x01" + varint(i + 1) + link(i, created, expiry) for i in range(first, first + n))))


def create_body(reference):
    """The signed PAYMENT_LINK body `bench/state.py` sends, as bytes."""
    return state.create_body(reference).encode()


def timed_starts(binary, source, scratch, extra, count):
    """Starts the sandbox `count` times, each on a fresh copy of `source`; stops all but the
    last. Returns the last process and port, and the median start (ms), its CPU (s) and the
    load average (1 min) over the starts."""
    times, cpus, loads = [], [], []
    for attempt in range(count):
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(source, scratch)
        loads.append(os.getloadavg()[0])
        process, port, elapsed = start(binary, ["--state-dir", scratch] + extra)
        times.append(elapsed)
        cpus.append(start.cpu)
        if attempt < count - 1:
            stop(process)
    return process, port, statistics.median(times), statistics.median(cpus), statistics.mean(loads)


def cpu_percent_over(pid, seconds, each_second=None):
    before, t0 = cpu_seconds(pid), time.perf_counter()
    for second in range(seconds):
        if each_second: each_second(second)
        time.sleep(max(0, t0 + second + 1 - time.perf_counter()))
    return (cpu_seconds(pid) - before) / (time.perf_counter() - t0) * 100


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--idle", type=int, default=30)
    parser.add_argument("--writes", type=int, default=30)
    parser.add_argument("--no-memory-run", action="store_true", help="skip the in-memory comparison (its import of the JSON export is slow at 1M)")
    parser.add_argument("--starts", type=int, default=3, help="starts of each kind; the median is reported")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="paylink-state-scale-")
    config = os.path.join(work, "config.json")
    with open(config, "w") as f:
        json.dump({"server": {"max_body_bytes": 1 << 31, "max_upload_bytes": 1 << 31}}, f)
    rows = []
    try:
        header = fresh_header(args.binary, work)
        for size in [int(s) for s in args.sizes.split(",")]:
            row = {"links": size}
            log_dir, snap_dir = os.path.join(work, f"log-{size}"), os.path.join(work, f"snap-{size}")
            write_directory(header, log_dir, size, in_log=True)
            write_directory(header, snap_dir, size, in_log=False)
            row["snapshot MB"] = sum(os.path.getsize(os.path.join(snap_dir, n)) for n in os.listdir(snap_dir)) / 1e6
            scratch = os.path.join(work, "scratch")
            process, port, row["start from log ms"], row["its CPU s"], row["load"] = timed_starts(
                args.binary, log_dir, scratch, ["--config", config], args.starts)
            row["stop after log start ms"] = stop(process)
            process, port, row["start from snapshot ms"], row["its CPU s "], row["load "] = timed_starts(
                args.binary, snap_dir, scratch, ["--config", config], args.starts)
            row["RSS state-dir MB"] = rss_mb(process.pid)
            row["idle CPU %"] = cpu_percent_over(process.pid, args.idle)
            bodies = [create_body(f"tick-{size}-{i}") for i in range(args.writes)]
            statuses = []
            row["1 write/s CPU %"] = cpu_percent_over(process.pid, args.writes,
                                                      lambda i: statuses.append(http(port, "POST", "/FortAPI/paymentApi", bodies[i])[0]))
            assert all(s == 200 for s in statuses), statuses
            row["RSS state-dir after writes MB"] = rss_mb(process.pid)
            export = None
            if not args.no_memory_run:
                status, export = http(port, "GET", "/__sandbox/state")
                assert status == 200
            row["SIGTERM to exit ms"] = stop(process)
            print(json.dumps(row), flush=True)
            if export is not None:
                process, memory_port, _ = start(args.binary, ["--config", config])
                t0 = time.perf_counter()
                status, _ = http(memory_port, "PUT", "/__sandbox/state", export)
                assert status == 200, status
                row["PUT /__sandbox/state ms"] = (time.perf_counter() - t0) * 1000
                del export
                row["RSS in memory MB"] = rss_mb(process.pid)
                row["RSS ratio"] = row["RSS state-dir after writes MB"] / row["RSS in memory MB"]
                # The same idle without --state-dir: what the background ticker costs anyway.
                row["idle CPU % in memory"] = cpu_percent_over(process.pid, args.idle)
                stop(process)
            rows.append(row)
            print(json.dumps(row), flush=True)
            shutil.rmtree(log_dir, ignore_errors=True)
            shutil.rmtree(snap_dir, ignore_errors=True)
        print()
        keys = list(rows[0].keys())
        print("| " + " | ".join(keys) + " |")
        print("|" + "---|" * len(keys))
        for row in rows:
            print("| " + " | ".join(f"{row[k]:,.1f}" if isinstance(row[k], float) else f"{row[k]:,}" for k in keys) + " |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
