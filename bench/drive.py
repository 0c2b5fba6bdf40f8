#!/usr/bin/env python3
"""A fixed-count load for instruction and syscall counting, where wall-clock figures are too noisy.

Starts the sandbox (optionally under a wrapper such as valgrind or strace), creates the benchmark
link, warms up, then sends exactly --requests signed CHECK_PAYMENT_LINK_STATUS requests over
--connections keep-alive connections, one request in flight per connection (as wrk does), and
checks every answer. Hooks run around the measured part, so counters can be zeroed and dumped.

  bench/drive.py --binary B --requests 20000 --connections 64 \
      --wrap "valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out" \
      --before "callgrind_control -z {pid}" --after "callgrind_control -d {pid}"
"""
import argparse, os, re, selectors, shlex, socket, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import CHECK_BODY, CREATE_BODY, free_port, http, sign  # noqa: E402


def request_bytes(body):
    return (f"POST /FortAPI/paymentApi HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n{body}").encode()


def run_load(port, total, connections, payload):
    """Sends `total` requests; returns the number of answers with response_code 12000."""
    sel = selectors.DefaultSelector()
    socks, buffers, ok, sent = [], {}, 0, 0
    for _ in range(min(connections, total)):
        s = socket.create_connection(("127.0.0.1", port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.setblocking(False)
        socks.append(s)
        buffers[s] = b""
        sel.register(s, selectors.EVENT_READ)
        s.sendall(payload)
        sent += 1
    done = 0
    while done < total:
        for key, _ in sel.select(timeout=30):
            s = key.fileobj
            chunk = s.recv(65536)
            if not chunk:
                raise SystemExit("server closed a connection")
            buf = buffers[s] + chunk
            while True:
                head_end = buf.find(b"\r\n\r\n")
                if head_end < 0:
                    break
                m = re.search(rb"Content-Length: (\d+)", buf[:head_end])
                end = head_end + 4 + int(m.group(1))
                if len(buf) < end:
                    break
                if b'"response_code":"12000"' in buf[head_end:end]:
                    ok += 1
                buf = buf[end:]
                done += 1
                if sent < total:
                    s.sendall(payload)
                    sent += 1
            buffers[s] = buf
    for s in socks:
        s.close()
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=2000)
    ap.add_argument("--wrap", default="", help="command prefix for the server, e.g. valgrind options")
    ap.add_argument("--before", default="", help="run before the measured requests; {pid} is the server")
    ap.add_argument("--after", default="", help="run after them")
    ap.add_argument("--serve-options", default="", help="more options for serve, e.g. --quiet")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    port = free_port()
    cmd = shlex.split(args.wrap) + [binary, "serve", "--port", str(port), "--seed", "1"] + shlex.split(args.serve_options)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while True:
            try:
                if http(port, "GET", "/__sandbox/health", timeout=5)[0] == 200:
                    break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit("server did not start")
                time.sleep(0.05)
        status, body = http(port, "POST", "/FortAPI/paymentApi", sign(binary, CREATE_BODY).encode(), timeout=30)
        assert b'"response_code":"48000"' in body, body
        payload = request_bytes(sign(binary, CHECK_BODY))
        run_load(port, args.warmup, args.connections, payload)
        # The server's pid: the wrapper's own when it execs (valgrind, strace), as here.
        if args.before:
            subprocess.run(args.before.format(pid=proc.pid), shell=True, check=True, stdout=subprocess.DEVNULL)
        t0 = time.perf_counter()
        ok = run_load(port, args.requests, args.connections, payload)
        elapsed = time.perf_counter() - t0
        if args.after:
            subprocess.run(args.after.format(pid=proc.pid), shell=True, check=True, stdout=subprocess.DEVNULL)
        print(f"{args.requests} requests over {args.connections} connections: {ok} answered 12000, {elapsed:.2f} s")
        if ok != args.requests:
            raise SystemExit("some answers were not 12000")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
