#!/usr/bin/env python3
"""Benchmark: a 100,000-line batch, PayByLink and APS, from its start to its end.

PayByLink: creates a batch, uploads the CSV through the signed URL (x-ms-blob-type: BlockBlob),
confirms it and polls GET /batches/{id} until the status is Completed.
APS: uploads the CSV with POST /FortAPI/upload/ (signed multipart), polls GET_BATCH_RESULTS
until validation answers 76000, sends PROCESS_BATCH and polls GET_BATCH_RESULTS until 70000.
The end is the moment the answer that shows it has been read in full; the client's parsing and
checking of that answer afterwards (for APS, 14.5 MB of JSON and 100,000 result lines) is
reported apart, not counted.

Each run starts the release binary afresh on a free port (the default upload limit,
server.max_upload_bytes = 256 MiB, takes the file), so every run starts from the same state and
its peak RSS (VmHWM) is that one batch's. Reports, per kind, how long confirm / PROCESS_BATCH
took to answer, the time to Completed / 70000, the server's CPU time for it and its busiest
thread's (the thread committing records: the critical path, which a machine busy with other
work stretches less than the wall-clock time), records/s, the peak RSS and the RSS idle before
the upload (medians of the runs).

With --probe, one more run per kind sends a PayByLink POST /requests (which takes the locks a
batch takes: the PayByLink store's and the link engine's) every 5 ms during the batch, over one
keep-alive connection, and reports its latency (median, p99, max) against the same request on
the idle server.
Usage: bench/batch.py --binary PATH [--kind paybylink|aps|both] [--lines N] [--runs N] [--probe]
"""
import argparse, hashlib, http.client, json, os, statistics, subprocess, sys, tempfile, threading, time, urllib.parse, urllib.request

KEY = "test-subscription-key"
# The demo merchant `serve` runs with when no merchant is configured.
MERCHANT, ACCESS_CODE, PHRASE = "CycHZxVj", "zx0IPmPy5jp1vAz8Kpg7", "request-secret"


def fetch(base, method, path, body=None, headers=None):
    """The status, the body's bytes and the moment its last byte was read."""
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    if path.startswith("/paybylink/"):
        request.add_header("Ocp-Apim-Subscription-Key", KEY)
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=60) as response:
        payload = response.read()
        return response.status, payload, time.perf_counter()


def call(base, method, path, body=None, headers=None):
    status, payload, _ = fetch(base, method, path, body, headers)
    return status, (json.loads(payload) if payload else None)


def sign(fields):
    """APS's request signature: SHA-256 of phrase, the sorted name=value pairs, phrase."""
    pairs = "".join(f"{name}={fields[name]}" for name in sorted(fields) if name != "signature")
    return hashlib.sha256((PHRASE + pairs + PHRASE).encode()).hexdigest()


def aps_batch_api(base, command, reference):
    return aps_batch_api_timed(base, command, reference)[0]


def aps_batch_api_timed(base, command, reference):
    """The answer and the moment its last byte was read (before the client parsed it)."""
    fields = {"service_command": command, "access_code": ACCESS_CODE, "merchant_identifier": MERCHANT,
              "batch_reference": reference, "language": "en"}
    fields["signature"] = sign(fields)
    _, payload, received = fetch(base, "POST", "/FortAPI/batchApi/", json.dumps(fields).encode(), {"Content-Type": "application/json"})
    return json.loads(payload), received


def aps_upload(base, reference, file_bytes):
    fields = {"service_command": "UPLOAD_BATCH_FILE", "access_code": ACCESS_CODE, "merchant_identifier": MERCHANT,
              "batch_reference": reference, "language": "en"}
    fields["signature"] = sign(fields)
    boundary = "----bench-batch-boundary"
    parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode() for k, v in fields.items()]
    parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{reference}.csv\"\r\n"
                 f"Content-Type: text/csv\r\n\r\n".encode() + file_bytes + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    _, answer = call(base, "POST", "/FortAPI/upload/", b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert answer["response_code"] == "50000", answer
    return answer


def paybylink_csv(lines, run):
    rows = ["ClientTransactionRef,AccountReference,Amount,Reason,FirstName,LastName,MobileNumber,Email"]
    for i in range(lines):
        rows.append(f"run{run}-{i},ACC-{i % 1000},{i % 500 + 1}.50,Rent,Ann,Lee,07700{i % 900000:06d},ann{i}@example.com")
    return ("\r\n".join(rows) + "\r\n").encode()


def aps_csv(lines, run):
    # One link in ten also sends its e-mail and SMS (the outbox keeps the last 10,000).
    rows = ["merchant_reference,amount,currency,customer_email,customer_phone,request_expiry_date,notification_type,order_description"]
    for i in range(lines):
        notify = '"EMAIL,SMS"' if i % 10 == 0 else "NONE"
        rows.append(f"run{run}-{i},{1000 + i % 9000},SAR,c{i}@example.com,966500{i % 1000000:06d},2099-03-01T00:00:00Z,{notify},Order {i}")
    return ("\r\n".join(rows) + "\r\n").encode()


def cpu_seconds(pid):
    """User plus system CPU time the server has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def thread_cpu(pid):
    """User plus system CPU time of each of the server's threads so far, by thread id."""
    ticks, times = os.sysconf("SC_CLK_TCK"), {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            times[tid] = (int(fields[11]) + int(fields[12])) / ticks
        except FileNotFoundError:
            pass
    return times


def rss_mb(pid):
    """Peak RSS (VmHWM) and current RSS, in MB."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            fields[name] = value.strip()
    return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024


class Server:
    # With --state-dir, every server keeps its state in a fresh directory (the change log).
    state_dir = False

    def __init__(self, binary):
        self.config = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump({"clock": {"mode": "running"}}, self.config)
        self.config.close()
        extra = ["--state-dir", tempfile.mkdtemp(prefix="paylink-batch-state-")] if Server.state_dir else []
        self.process = subprocess.Popen([binary, "serve", "--port", "0", "--config", self.config.name] + extra,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.process.stdout.readline()
        if "listening on " not in line:
            self.stop()
            sys.exit(f"server did not start: {line}")
        self.base = line.split("listening on ", 1)[1].strip()
        self.pid = self.process.pid

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        os.unlink(self.config.name)


class Probe:
    """A PayByLink POST /requests every `interval` seconds over one keep-alive connection."""

    def __init__(self, base, interval=0.005):
        url = urllib.parse.urlparse(base)
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        self.interval, self.samples, self.times, self.count = interval, [], [], 0
        self.stopping = threading.Event()

    def once(self):
        self.count += 1
        body = json.dumps({"ClientTransactionRef": f"probe-{self.count}", "AccountReference": "probe", "Amount": 12.5, "Reason": "Probe",
                           "Customer": {"FirstName": "Pro", "LastName": "Be", "MobileNumber": "07700900123"}})
        start = time.perf_counter()
        self.connection.request("POST", "/paybylink/v1/requests", body,
                                {"Ocp-Apim-Subscription-Key": KEY, "Content-Type": "application/json"})
        response = self.connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - start
        assert response.status == 201, (response.status, payload)
        return elapsed

    def run(self):
        while not self.stopping.is_set():
            at = time.perf_counter()
            self.samples.append(self.once())
            self.times.append(at)
            time.sleep(self.interval)

    def start(self):
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def stop(self):
        self.stopping.set()
        self.thread.join()


def run_paybylink(server, lines, run):
    body = paybylink_csv(lines, run)
    _, batch = call(server.base, "POST", "/paybylink/v1/batches", {"FileName": f"bench-{run}.csv"})
    status, _ = call("", "PUT", batch["UploadUrl"], body, {"x-ms-blob-type": "BlockBlob", "Content-Type": "text/csv"})
    assert status == 201, status
    del body

    def start():
        status, _ = call(server.base, "POST", f"/paybylink/v1/batches/{batch['BatchId']}/confirm", b"")
        assert status == 202, status

    def finished():
        _, payload, received = fetch(server.base, "GET", f"/paybylink/v1/batches/{batch['BatchId']}")
        state = json.loads(payload)
        if state["Status"] not in ("Completed", "CompletedWithErrors", "Failed"):
            return None
        assert state["Status"] == "Completed" and state["SucceededRecords"] == lines, state
        return received

    return start, finished


def run_aps(server, lines, run):
    reference = f"bench-{run}"
    aps_upload(server.base, reference, aps_csv(lines, run))
    while True:
        answer = aps_batch_api(server.base, "GET_BATCH_RESULTS", reference)
        if answer["response_code"] != "71138":
            break
        time.sleep(0.005)
    assert answer["response_code"] == "76000" and answer["transactions_count"] == str(lines), answer

    def start():
        answer = aps_batch_api(server.base, "PROCESS_BATCH", reference)
        assert answer["response_code"] == "72147", answer

    def finished():
        answer, received = aps_batch_api_timed(server.base, "GET_BATCH_RESULTS", reference)
        if answer["response_code"] == "71140":
            return None
        assert answer["response_code"] == "70000", answer
        results = answer["batch_results"].split("\r\n")[1:-1]
        assert len(results) == lines and all('"48000"' in line for line in results), results[:3]
        return received

    return start, finished


KINDS = {"paybylink": ("PayByLink", "confirm", "Completed", run_paybylink),
         "aps": ("APS", "PROCESS_BATCH", "70000 (processed)", run_aps)}


def measure(binary, kind, lines, run, probe=False):
    server = Server(binary)
    try:
        _, idle = rss_mb(server.pid)
        start, finished = KINDS[kind][3](server, lines, run)
        baseline = None
        if probe:
            probe = Probe(server.base)
            baseline = [probe.once() for _ in range(50)]
            probe.start()
        began = time.perf_counter()
        cpu_start = cpu_seconds(server.pid)
        threads_start = thread_cpu(server.pid)
        start()
        answered = time.perf_counter() - began
        while True:
            asked = time.perf_counter()
            received = finished()
            if received is not None:
                break
            time.sleep(0.005)
        # The end is the moment the answer showing it was read in full; what the client does
        # with it afterwards (parsing 14.5 MB of JSON for APS, checking each line) is the
        # client's time, not the server's, and is reported apart.
        checked = time.perf_counter()
        total = received - began
        last_answer = received - asked
        client_check = checked - received
        cpu = cpu_seconds(server.pid) - cpu_start
        # The busiest thread's share: the batch's critical path (the thread committing records),
        # which a machine shared with other work stretches less than the wall-clock time.
        busiest = max((t - threads_start.get(tid, 0) for tid, t in thread_cpu(server.pid).items()), default=0)
        if probe:
            probe.stop()
        peak, _ = rss_mb(server.pid)
        slowest = None
        if probe and probe.samples:
            worst = max(range(len(probe.samples)), key=lambda i: probe.samples[i])
            slowest = probe.times[worst] - began
        return {"answered": answered, "total": total, "cpu": cpu, "busiest": busiest, "peak": peak, "idle": idle, "last_answer": last_answer,
                "client_check": client_check, "probe": probe.samples if probe else None, "baseline": baseline, "slowest_at": slowest}
    finally:
        server.stop()


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--kind", choices=["paybylink", "aps", "both"], default="both")
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--state-dir", action="store_true", help="serve with --state-dir (a fresh directory per server)")
    parser.add_argument("--probe", action="store_true", help="one more run per kind, measuring request latency during the batch")
    args = parser.parse_args()
    Server.state_dir = args.state_dir

    kinds = ["paybylink", "aps"] if args.kind == "both" else [args.kind]
    rows, probes = [], []
    for kind in kinds:
        name, started, ended, _ = KINDS[kind]
        results = []
        for run in range(args.runs):
            r = measure(args.binary, kind, args.lines, run)
            results.append(r)
            print(f"{name} run {run + 1}: {started} answered in {ms(r['answered'])}, {ended} after {r['total']:.3f} s "
                  f"({args.lines / r['total']:,.0f} records/s; the answer that showed it took {ms(r['last_answer'])}, then the client's parse and check {ms(r['client_check'])}), server CPU {r['cpu']:.2f} s "
                  f"(busiest thread {r['busiest']:.2f} s), "
                  f"peak RSS {r['peak']:.1f} MB (idle {r['idle']:.1f} MB)", flush=True)
        median = lambda key: statistics.median(r[key] for r in results)
        rows.append(f"| {name} | {args.lines:,} | {args.runs} | {ms(median('answered'))} | {median('total'):.3f} s | "
                    f"{min(r['total'] for r in results):.3f} to {max(r['total'] for r in results):.3f} s | {median('cpu'):.2f} s | {median('busiest'):.2f} s | "
                    f"{args.lines / median('total'):,.0f} | {median('peak'):.1f} MB | {median('idle'):.1f} MB | "
                    f"{median('peak') - median('idle'):.1f} MB |")
        if args.probe:
            r = measure(args.binary, kind, args.lines, args.runs, probe=True)
            samples, base = sorted(r["probe"]), sorted(r["baseline"])
            p99 = lambda s: s[min(len(s) - 1, int(len(s) * 0.99))]
            probes.append(f"| {name} | {len(samples)} | {ms(statistics.median(samples))} | {ms(p99(samples))} | {ms(samples[-1])} | "
                          f"{ms(statistics.median(base))} | {ms(base[-1])} | {r['total']:.3f} s |")
            print(f"{name} probe run: {len(samples)} requests during the batch, median {ms(statistics.median(samples))}, "
                  f"max {ms(samples[-1])} (sent {r['slowest_at']:.3f} s after the start; the answer that showed the end took "
                  f"{ms(r['last_answer'])})", flush=True)
    print()
    print("| batch | lines | runs | start answered | to the end (median) | range | server CPU | busiest thread | records/s | peak RSS | RSS idle | peak above idle |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(row)
    if probes:
        print()
        print("POST /requests (PayByLink) during the batch, one keep-alive connection, every 5 ms:")
        print()
        print("| batch | requests | median | p99 | max | idle median | idle max | batch took |")
        print("|---|---|---|---|---|---|---|---|")
        for row in probes:
            print(row)


if __name__ == "__main__":
    main()
