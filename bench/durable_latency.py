#!/usr/bin/env python3
"""How long one client waits for a durable create, alone and beside a busy process.

A CI job's tests mostly send one request at a time, often on a machine busy with other work.
This starts the sandbox on core 1 with `--state-dir --durability fsync`, sends signed
PAYMENT_LINK creates one after the other over one keep-alive connection, and reports the
latency (median, p90, p99, max): first alone, then with a CPU hog (a Python busy loop) pinned
to the sandbox's core. With `--durability fsync` an answer leaves only once the state log's
writer has written and flushed it, so this shows whether the writer gets the core when it
needs it: a writer that yields to every busy process (a background scheduling policy) turned
a 0.2 ms create into 11 ms beside the hog.

Usage: bench/durable_latency.py --binary PATH [--creates 1000] [--runs 2]
"""
import argparse, os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import state  # noqa: E402  (the same signed create bodies and start as bench/state.py)

SERVER_CPU = state.SERVER_CPU


def read_response(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk: raise SystemExit("the sandbox closed the connection")
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    status = int(head.split(b" ", 2)[1])
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
    while len(rest) < length:
        rest += sock.recv(65536)
    return status


def run(binary, creates, hog, work, label):
    directory = os.path.join(work, f"state-{label}")
    port = state.free_port()
    process, _ = state.start(binary, port, ["--quiet", "--state-dir", directory, "--durability", "fsync"])
    busy = subprocess.Popen(["taskset", "-c", SERVER_CPU, sys.executable, "-c", "while True: pass"]) if hog else None
    try:
        time.sleep(0.2)  # the hog running before the first create
        latencies = []
        with socket.create_connection(("127.0.0.1", port)) as sock:
            for index in range(creates):
                body = state.create_body(f"latency-{label}-{index}").encode()
                request = (f"POST /FortAPI/paymentApi HTTP/1.1\r\nHost: b\r\nContent-Type: application/json\r\n"
                           f"Content-Length: {len(body)}\r\n\r\n").encode() + body
                started = time.perf_counter()
                sock.sendall(request)
                if read_response(sock) != 200: raise SystemExit("a create was refused")
                latencies.append((time.perf_counter() - started) * 1000)
    finally:
        if busy:
            busy.kill()
            busy.wait()
        state.stop(process)
    latencies.sort()
    return (statistics.median(latencies), latencies[int(len(latencies) * 0.9)], latencies[int(len(latencies) * 0.99)], latencies[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--creates", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=2, help="runs of each kind, alternating alone and beside the hog")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="paylink-latency-bench-")
    try:
        print("| run | median | p90 | p99 | max |")
        print("|---|---|---|---|---|")
        for number in range(args.runs):
            for hog in (False, True):
                label = f"{'hog' if hog else 'alone'}-{number}"
                median, p90, p99, worst = run(args.binary, args.creates, hog, work, label)
                name = "beside a CPU hog on its core" if hog else "alone"
                print(f"| {name} | {median:.3f} ms | {p90:.3f} ms | {p99:.3f} ms | {worst:.3f} ms |", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
