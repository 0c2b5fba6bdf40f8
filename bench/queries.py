#!/usr/bin/env python3
"""Benchmark: dashboard pages, searches, exports and GET /__sandbox/links at 1,000,000 links.

Starts the release binary on a free port with a frozen clock and a body limit that takes the
snapshot, fills it with PUT /__sandbox/state (a generated snapshot: 1,000,000 links over 10
merchants, created one every 30 s over about a year, 70 % open with a 30-day expiry, 20 % paid,
10 % closed; the clock set so that about half the open links have expired), then times each
request several times over one keep-alive connection and reports the median and the p99
(with a few runs, the p99 is the slowest). It also times GET /__sandbox/health while a
17,000-row export is written, to show exports run off the event loop, and reports RSS.
Usage: bench/queries.py --binary PATH [--links N] [--runs N]
"""
import argparse, http.client, json, os, statistics, subprocess, sys, tempfile, threading, time

START_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z
STEP_MS = 30_000
MERCHANTS = [f"MERCH{i:02d}" for i in range(10)]
FIRST = ["Ann", "Sara", "Omar", "Lina", "Yusuf", "Maya", "Ali", "Noor", "Zaid", "Huda"]
LAST = ["Lee", "Ahmed", "Haddad", "Khan", "Saleh", "Nasser", "Farouk", "Aziz"]


def iso(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms // 1000))


def snapshot_body(template, count):
    """The exported empty state with `count` generated links, as bytes (streamed into a list)."""
    head, tail = template.split('"links":[]', 1)
    parts = [head.encode(), b'"links":[']
    for i in range(count):
        created = START_MS + i * STEP_MS
        kind = i % 10
        lifecycle = "paid" if kind < 2 else "closed" if kind == 2 else "open"
        link = {
            "payment_link_id": str(100_000_000_000_000_000 + i), "token": f"{i:016x}", "created_at": iso(created),
            "merchant_identifier": MERCHANTS[(i * 7) % 10], "merchant_reference": f"order-{i}",
            "amount": 1000 + i % 90_000, "currency": "SAR", "language": "en",
            "customer_email": f"customer{i}@example.com", "customer_name": f"{FIRST[i % 10]} {LAST[i % 8]}",
            "customer_phone": None, "order_description": None, "notification_type": "NONE", "link_command": "PURCHASE",
            "payment_option": None, "return_url": None, "request_expiry_date": iso(created + 30 * 86_400_000),
            "lifecycle": lifecycle, "user_attempts_count": 0, "paid_at": iso(created + 60_000) if lifecycle == "paid" else None,
            "pending_fort_id": None, "failed_attempts": [], "merchant_extras": {}, "settlement_reference": None,
        }
        if i:
            parts.append(b",")
        parts.append(json.dumps(link, separators=(",", ":")).encode())
    parts.append(b"]")
    parts.append(tail.encode())
    return b"".join(parts)


class Client:
    def __init__(self, base):
        host, port = base.replace("http://", "").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=600)

    def call(self, method, path, body=None):
        self.conn.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
        response = self.conn.getresponse()
        payload = response.read()
        return response.status, dict(response.getheaders()), payload


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        fields = dict(line.split(":", 1) for line in status if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def timed(client, path, runs):
    samples = []
    status, headers, body = client.call("GET", path)  # warm-up, and the answer's size
    for _ in range(runs):
        start = time.perf_counter()
        status, headers, body = client.call("GET", path)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(round(0.99 * (len(samples) - 1))))]
    return status, statistics.median(samples), p99, len(body), headers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    n = args.links

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as config:
        json.dump({"clock": {"mode": "frozen", "start": iso(START_MS)}, "server": {"max_body_bytes": 4_000_000_000, "max_upload_bytes": 4_000_000_000}}, config)
    server = subprocess.Popen([args.binary, "serve", "--port", "0", "--config", config.name],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = server.stdout.readline()
        if "listening on " not in line:
            sys.exit(f"server did not start: {line}")
        base = line.split("listening on ", 1)[1].strip()
        client = Client(base)
        idle = rss_mb(server.pid)[0]
        status, _, template = client.call("GET", "/__sandbox/state")
        assert status == 200, status
        state = json.loads(template)
        # The clock: about half the open links' expiries are past.
        state_text = json.dumps(state, separators=(",", ":"))
        state_text = state_text.replace('"links":[', '"links":[', 1)
        started = time.perf_counter()
        body = snapshot_body(state_text, n)
        generated = time.perf_counter() - started
        # A fresh connection: generating the snapshot can outlast the server's idle timeout.
        client = Client(base)
        started = time.perf_counter()
        status, _, answer = client.call("PUT", "/__sandbox/state", body)
        imported = time.perf_counter() - started
        assert status == 200, (status, answer[:300])
        del body
        middle_ms = START_MS + (n // 2) * STEP_MS
        status, _, _ = client.call("POST", "/__sandbox/clock", json.dumps({"set": iso(middle_ms + 15 * 86_400_000)}).encode())
        assert status == 200
        started = time.perf_counter()
        client.call("POST", "/__sandbox/settle", b"{}")
        settled = time.perf_counter() - started
        filled = rss_mb(server.pid)

        mid_id = str(100_000_000_000_000_000 + n // 2)
        month_from, month_to = iso(middle_ms)[:10], iso(middle_ms + 30 * 86_400_000)[:10]
        rows = [
            ("dashboard, page 1", "/dashboard"),
            ("dashboard, page 5,000", "/dashboard?page=5000"),
            ("dashboard, last page", f"/dashboard?page={(n + 99) // 100}"),
            ("dashboard, status Open", "/dashboard?payment_link_status=Open"),
            ("dashboard, status Expired", "/dashboard?payment_link_status=Expired"),
            ("dashboard, status Paid, page 100", "/dashboard?payment_link_status=Paid&page=100"),
            ("dashboard, status Closed", "/dashboard?payment_link_status=Closed"),
            ("dashboard, one merchant", f"/dashboard?merchant_identifier={MERCHANTS[3]}"),
            ("dashboard, merchant + Expired", f"/dashboard?merchant_identifier={MERCHANTS[3]}&payment_link_status=Expired"),
            ("dashboard, one month", f"/dashboard?from={month_from}&to={month_to}"),
            ("dashboard, month + merchant + Open", f"/dashboard?from={month_from}&to={month_to}&merchant_identifier={MERCHANTS[5]}&payment_link_status=Open"),
            ("search, one reference", f"/dashboard?q=order-{n // 3}"),
            ("search, one invoice number", f"/dashboard?q={mid_id}"),
            ("search, e-mail (all match)", "/dashboard?q=example.com"),
            ("search, a name (1 in 10)", "/dashboard?q=lina"),
            ("search, no match", "/dashboard?q=nothing-like-this"),
            ("search + merchant + status", f"/dashboard?q=maya&merchant_identifier={MERCHANTS[1]}&payment_link_status=Paid"),
            ("search + month", f"/dashboard?q=omar&from={month_from}&to={month_to}"),
            ("export CSV, one search (1 row)", f"/dashboard/export.csv?q=order-{n // 3}"),
            ("export CSV, 6 days (about 17,000 rows)", f"/dashboard/export.csv?from={month_from}&to={iso(middle_ms + 5 * 86_400_000)[:10]}"),
            ("export, too large (422)", "/dashboard/export.csv"),
            ("/__sandbox/links, first page (1,000)", "/__sandbox/links"),
            ("/__sandbox/links, limit 10,000", "/__sandbox/links?limit=10000"),
            ("/__sandbox/links, after the middle", f"/__sandbox/links?after={mid_id}"),
            ("/__sandbox/links, Expired, limit 100", "/__sandbox/links?payment_link_status=Expired&limit=100"),
            ("/__sandbox/links, one merchant, after middle", f"/__sandbox/links?merchant_identifier={MERCHANTS[3]}&after={mid_id}&limit=100"),
            ("/__sandbox/links, merchant_reference", f"/__sandbox/links?merchant_reference=order-{n // 3}"),
            ("/__sandbox/links, q", f"/__sandbox/links?q=order-{n // 3}"),
            ("/__sandbox/links, created range", f"/__sandbox/links?created_from={iso(middle_ms)}&created_to={iso(middle_ms + 86_400_000)}"),
        ]
        results = []
        for label, path in rows:
            runs = max(3, args.runs // 3) if "export" in label else args.runs
            status, median, p99, size, _ = timed(client, path, runs)
            results.append((label, path, status, median, p99, size, runs))
            print(f"{label:48} {status} median {median:8.1f} ms  p99 {p99:8.1f} ms  {size:>10,} bytes", flush=True)

        # Exports run off the loop: health answers while a 17,000-row export is written.
        export_path = rows[19][1]
        latencies = []
        done = threading.Event()

        def exporting():
            other = Client(base)
            for _ in range(5):
                other.call("GET", export_path)
            done.set()

        worker = threading.Thread(target=exporting)
        worker.start()
        probe = Client(base)
        while not done.is_set():
            start = time.perf_counter()
            probe.call("GET", "/__sandbox/health")
            latencies.append((time.perf_counter() - start) * 1000)
            time.sleep(0.002)
        worker.join()
        after = rss_mb(server.pid)

        print()
        print(f"links: {n:,}; snapshot generated in {generated:.1f} s, PUT /__sandbox/state {imported:.1f} s, settle {settled:.1f} s")
        print(f"health during exports: {len(latencies)} probes, median {statistics.median(latencies):.2f} ms, max {max(latencies):.2f} ms")
        print(f"RSS: idle {idle:.1f} MB; filled {filled[0]:.0f} MB (peak {filled[1]:.0f} MB); after the queries {after[0]:.0f} MB (peak {after[1]:.0f} MB)")
        print()
        print("| request | status | median | p99 | bytes |")
        print("|---|---|---|---|---|")
        for label, path, status, median, p99, size, runs in results:
            print(f"| {label} | {status} | {median:.1f} ms | {p99:.1f} ms | {size:,} |")
        worst = max(r[3] for r in results if "export" not in r[0])
        print(f"\nslowest median outside exports: {worst:.1f} ms (target: at most 100 ms)")
    finally:
        server.terminate()
        server.wait(timeout=60)
        os.unlink(config.name)


if __name__ == "__main__":
    main()
