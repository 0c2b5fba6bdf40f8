#!/usr/bin/env python3
"""Benchmark: resident memory per link, at up to 1,000,000 links.

Starts the release binary (`--quiet`, in memory, a seed so runs are alike), reads its RSS idle,
then creates links with signed PAYMENT_LINK requests over several keep-alive connections, each
sending its requests in pipelined rounds (so the client is not the limit), and reads RSS at
each checkpoint. The links look like a shop's: 10 merchants, a unique merchant reference,
e-mail and name, an order description, a return URL on one link in four; every tenth link is
paid through the control API (so a paid link carries its order, as it would; `--paid-every N`
changes that, 0 pays none). Reports the RSS
and (RSS - idle) / links at each checkpoint: the figure the target (400 bytes a link at
1,000,000) is about.

Usage: bench/memory.py --binary PATH [--links 1000000] [--connections 8] [--paid-every 10]
"""
import argparse, hashlib, json, socket, subprocess, sys, time

MERCHANTS = [(f"MERCH{i:02d}", f"access{i:02d}xxxxxxxxxxx", f"phrase-{i}") for i in range(10)]
FIRST = ["Ann", "Sara", "Omar", "Lina", "Yusuf", "Maya", "Ali", "Noor", "Zaid", "Huda"]
LAST = ["Lee", "Ahmed", "Haddad", "Khan", "Saleh", "Nasser", "Farouk", "Aziz"]


def config_text():
    merchants = [{"merchant_identifier": m, "access_code": a, "sha_request_phrase": p, "sha_response_phrase": p + "-r"}
                 for m, a, p in MERCHANTS]
    return json.dumps({"merchants": merchants})


def create_body(i):
    merchant, access, phrase = MERCHANTS[i % 10]
    params = {"service_command": "PAYMENT_LINK", "access_code": access, "merchant_identifier": merchant,
              "merchant_reference": f"order-{i:07d}", "amount": str(1000 + i % 90_000), "currency": "SAR",
              "language": "en", "customer_email": f"customer{i}@example.com",
              "customer_name": f"{FIRST[i % 10]} {LAST[i % 8]}", "request_expiry_date": "2099-12-31T23:59:59+03:00",
              "notification_type": "NONE", "order_description": f"Order {i} from the benchmark shop"}
    if i % 4 == 0:
        params["return_url"] = "https://shop.example.com/return"
    text = "".join(f"{k}={params[k]}" for k in sorted(params))
    params["signature"] = hashlib.sha256((phrase + text + phrase).encode()).hexdigest()
    body = json.dumps(params, separators=(",", ":")).encode()
    return (b"POST /FortAPI/paymentApi HTTP/1.1\r\nHost: b\r\nContent-Type: application/json\r\nContent-Length: "
            + str(len(body)).encode() + b"\r\n\r\n" + body)


def pay_request(link_id):
    body = b"{}"
    return (b"POST /__sandbox/links/" + link_id.encode() + b"/pay HTTP/1.1\r\nHost: b\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


def read_responses(sock, count, buffer):
    """Reads `count` responses; returns their bodies and what is left over."""
    bodies = []
    while len(bodies) < count:
        head_end = buffer.find(b"\r\n\r\n")
        if head_end < 0:
            buffer += sock.recv(1 << 20)
            continue
        head = buffer[:head_end].decode()
        length = int(next(l.split(":", 1)[1] for l in head.split("\r\n") if l.lower().startswith("content-length")))
        while len(buffer) < head_end + 4 + length:
            buffer += sock.recv(1 << 20)
        status = int(head.split(" ", 2)[1])
        bodies.append((status, buffer[head_end + 4:head_end + 4 + length]))
        buffer = buffer[head_end + 4 + length:]
    return bodies, buffer


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        return int(next(l for l in status if l.startswith("VmRSS")).split()[1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--round", type=int, default=200, help="requests per pipelined round")
    parser.add_argument("--paid-every", type=int, default=10, help="pay one link in N (0: none)")
    args = parser.parse_args()

    with open("/tmp/paylink-memory-bench.json", "w") as f:
        f.write(config_text())
    server = subprocess.Popen([args.binary, "serve", "--port", "0", "--quiet", "--seed", "7", "--config", "/tmp/paylink-memory-bench.json"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = server.stdout.readline()
        if "listening on " not in line:
            sys.exit(f"server did not start: {line}")
        port = int(line.split("listening on ", 1)[1].strip().rsplit(":", 1)[1])
        time.sleep(0.3)
        idle = rss_kb(server.pid)
        print(f"idle RSS: {idle / 1024:.1f} MB")
        sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(args.connections)]
        buffers = [b""] * len(sockets)
        checkpoints = sorted({c for c in (100_000, 250_000, 500_000, 1_000_000, args.links) if c <= args.links})
        made, started, paid = 0, time.perf_counter(), 0
        print("| links | RSS | above idle | bytes per link | creates/s |")
        print("|---|---|---|---|---|")
        while made < args.links:
            batch = []
            for k, sock in enumerate(sockets):
                n = min(args.round, args.links - made)
                if n <= 0:
                    break
                sock.sendall(b"".join(create_body(made + j) for j in range(n)))
                batch.append((k, made, n))
                made += n
            to_pay = []
            for k, first, n in batch:
                bodies, buffers[k] = read_responses(sockets[k], n, buffers[k])
                for j, (status, body) in enumerate(bodies):
                    answer = json.loads(body)
                    if status != 200 or answer.get("response_code") != "48000":
                        sys.exit(f"create {first + j} failed: {status} {body[:200]!r}")
                    if args.paid_every and (first + j) % args.paid_every == 0:
                        to_pay.append(answer["payment_link_id"])
            if to_pay:
                sockets[0].sendall(b"".join(pay_request(link_id) for link_id in to_pay))
                bodies, buffers[0] = read_responses(sockets[0], len(to_pay), buffers[0])
                for status, body in bodies:
                    if status != 200:
                        sys.exit(f"pay failed: {status} {body[:200]!r}")
                paid += len(to_pay)
            while checkpoints and made >= checkpoints[0]:
                rss = rss_kb(server.pid)
                rate = made / (time.perf_counter() - started)
                print(f"| {made:,} | {rss / 1024:.1f} MB | {(rss - idle) / 1024:.1f} MB | {(rss - idle) * 1024 / made:.0f} | {rate:,.0f} |",
                      flush=True)
                checkpoints.pop(0)
        print(f"paid: {paid:,} links (each with its order)")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
