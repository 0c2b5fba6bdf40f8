#!/usr/bin/env python3
"""Benchmark: a 100,000-line PayByLink batch from confirm to Completed.

Starts the release binary on a free port (the default upload limit, server.max_upload_bytes
= 256 MiB, takes the file), creates a batch, uploads the CSV through the signed URL (x-ms-blob-type: BlockBlob), confirms it and
polls GET /batches/{id} until the status is Completed. Reports how long confirm took to answer,
confirm-to-Completed time per run and the median, and the server's peak RSS (VmHWM).
Usage: bench/batch.py --binary PATH [--lines N] [--runs N]
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time, urllib.request

KEY = "test-subscription-key"


def call(base, method, path, body=None, headers=None):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    if path.startswith("/paybylink/"):
        request.add_header("Ocp-Apim-Subscription-Key", KEY)
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=60) as response:
        payload = response.read()
        return response.status, (json.loads(payload) if payload else None)


def csv_file(lines, run):
    rows = ["ClientTransactionRef,AccountReference,Amount,Reason,FirstName,LastName,MobileNumber,Email"]
    for i in range(lines):
        rows.append(f"run{run}-{i},ACC-{i % 1000},{i % 500 + 1}.50,Rent,Ann,Lee,07700{i % 900000:06d},ann{i}@example.com")
    return ("\r\n".join(rows) + "\r\n").encode()


def cpu_seconds(pid):
    """User plus system CPU time the server has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def peak_rss_mb(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            fields[name] = value.strip()
    return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as config:
        json.dump({"clock": {"mode": "running"}}, config)
    server = subprocess.Popen([args.binary, "serve", "--port", "0", "--config", config.name],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = server.stdout.readline()
        if "listening on " not in line:
            sys.exit(f"server did not start: {line}")
        base = line.split("listening on ", 1)[1].strip()
        idle_peak, idle_rss = peak_rss_mb(server.pid)
        times, confirms, cpus = [], [], []
        for run in range(args.runs):
            body = csv_file(args.lines, run)
            _, batch = call(base, "POST", "/paybylink/v1/batches", {"FileName": f"bench-{run}.csv"})
            upload = batch["UploadUrl"]
            status, _ = call("", "PUT", upload, body, {"x-ms-blob-type": "BlockBlob", "Content-Type": "text/csv"})
            assert status == 201, status
            start = time.perf_counter()
            cpu_start = cpu_seconds(server.pid)
            status, confirmed = call(base, "POST", f"/paybylink/v1/batches/{batch['BatchId']}/confirm", b"")
            confirms.append(time.perf_counter() - start)
            assert status == 202, status
            while True:
                _, state = call(base, "GET", f"/paybylink/v1/batches/{batch['BatchId']}")
                if state["Status"] in ("Completed", "CompletedWithErrors", "Failed"):
                    break
                time.sleep(0.005)
            times.append(time.perf_counter() - start)
            cpus.append(cpu_seconds(server.pid) - cpu_start)
            assert state["Status"] == "Completed" and state["SucceededRecords"] == args.lines, state
            print(f"run {run + 1}: confirm answered in {confirms[-1] * 1000:.1f} ms, "
                  f"Completed after {times[-1]:.2f} s ({args.lines / times[-1]:,.0f} records/s), "
                  f"server CPU {cpus[-1]:.2f} s", flush=True)
        peak, rss = peak_rss_mb(server.pid)
        print()
        print(f"| lines | runs | confirm answered (median) | confirm to Completed (median) | server CPU (median) | records/s | peak RSS | RSS idle |")
        print(f"|---|---|---|---|---|---|---|---|")
        median = statistics.median(times)
        print(f"| {args.lines:,} | {args.runs} | {statistics.median(confirms) * 1000:.1f} ms | {median:.2f} s | {statistics.median(cpus):.2f} s | "
              f"{args.lines / median:,.0f} | {peak:.1f} MB | {idle_rss:.1f} MB |")
    finally:
        server.terminate()
        server.wait(timeout=10)
        os.unlink(config.name)


if __name__ == "__main__":
    main()
