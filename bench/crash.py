#!/usr/bin/env python3
"""Crash test of `serve --state-dir`: no acknowledged change may be lost to kill -9.

Each trial starts the binary on a fresh state directory, runs concurrent writers of every kind
(PAYMENT_LINK creates, UPDATE_PAYMENT_LINK, payments through POST /__sandbox/links/{id}/pay,
CAPTURE and REFUND, PayByLink requests, a PayByLink batch uploaded, confirmed and being
processed), records every change the sandbox acknowledged, kills it with SIGKILL at a random
moment, starts it again on the same directory and checks that every acknowledged change is
there (a change in flight when the process died may or may not be: it was never acknowledged).
It also checks that the restart is clean: it answers, and stderr says nothing but what
recovery is meant to say (a torn last record cut off).

Usage: bench/crash.py --binary PATH [--trials 20] [--writers 2] [--min-ms 300] [--max-ms 1500]
                      [--batch-lines 20000] [--durability fsync|os] [--seed N]
Exit status 0 when every trial lost nothing and restarted cleanly.
"""
import argparse, hashlib, http.client, json, os, random, re, shutil, signal, socket, subprocess, sys, tempfile, threading, time

MERCHANT, ACCESS, PHRASE = "CycHZxVj", "zx0IPmPy5jp1vAz8Kpg7", "request-secret"
PBL_KEY, PBL_BASE = "test-subscription-key", "/paybylink/v1"
CARD = '{"card_number":"4005550000000001"}'


def sign(params):
    text = "".join(f"{k}={params[k]}" for k in sorted(params))
    return hashlib.sha256((PHRASE + text + PHRASE).encode()).hexdigest()


class Client:
    """One keep-alive connection; a dead server raises OSError/HTTPException."""
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method, path, body=None, headers=None):
        data = body if isinstance(body, (bytes, type(None))) else body.encode()
        self.conn.request(method, path, body=data, headers=headers or {})
        response = self.conn.getresponse()
        return response.status, response.read()

    def aps(self, params):
        params = dict(params, access_code=ACCESS, merchant_identifier=MERCHANT, language="en")
        params["signature"] = sign(params)
        status, body = self.call("POST", "/FortAPI/paymentApi", json.dumps(params), {"Content-Type": "application/json"})
        return json.loads(body) if status == 200 else {}

    def pbl(self, method, path, body=None, headers=None):
        h = {"Ocp-Apim-Subscription-Key": PBL_KEY, "Content-Type": "application/json"}
        h.update(headers or {})
        status, payload = self.call(method, PBL_BASE + path, json.dumps(body) if body is not None else b"", h)
        return status, (json.loads(payload) if payload else None)


class Ledger:
    """What the sandbox acknowledged, and what was in flight (may or may not have happened)."""
    def __init__(self):
        self.lock = threading.Lock()
        self.links = {}        # id -> reference (created)
        self.amounts = {}      # id -> set of acceptable amounts (last acked, in flight after it)
        self.paid = set()      # link ids
        self.refunded = {}     # reference -> (acked total, in-flight extra)
        self.captured = {}     # reference -> (acked total, in-flight extra)
        self.requests = set()  # PayByLink request ids
        self.batches = {}      # batch id -> last acknowledged step
        self.count = 0

    def ack(self, kind, *values):
        with self.lock:
            self.count += 1
            if kind == "link": self.links[values[0]] = values[1]
            elif kind == "amount": self.amounts[values[0]] = {values[1]}
            elif kind == "paid": self.paid.add(values[0])
            elif kind == "request": self.requests.add(values[0])
            elif kind == "batch": self.batches[values[0]] = values[1]
            elif kind in ("refund", "capture"):
                table = self.refunded if kind == "refund" else self.captured
                done, _ = table.get(values[0], (0, 0))
                table[values[0]] = (done + values[1], 0)

    def in_flight(self, kind, *values):
        with self.lock:
            if kind == "amount": self.amounts.setdefault(values[0], set()).add(values[1])
            elif kind in ("refund", "capture"):
                table = self.refunded if kind == "refund" else self.captured
                done, _ = table.get(values[0], (0, 0))
                table[values[0]] = (done, values[1])


def run_writer(kind, port, ledger, stop, prefix):
    client = Client(port)
    n = 0
    try:
        while not stop.is_set():
            n += 1
            ref = f"{prefix}-{kind}-{n}"
            if kind == "create":
                r = client.aps({"service_command": "PAYMENT_LINK", "merchant_reference": ref, "amount": "10000", "currency": "SAR",
                                "customer_email": "c@example.com", "request_expiry_date": "2099-12-31T23:59:59+03:00",
                                "notification_type": "NONE", "order_description": "crash"})
                if r.get("response_code") == "48000": ledger.ack("link", r["payment_link_id"], ref)
            elif kind == "update":
                r = client.aps({"service_command": "PAYMENT_LINK", "merchant_reference": ref, "amount": "10000", "currency": "SAR",
                                "customer_email": "c@example.com", "request_expiry_date": "2099-12-31T23:59:59+03:00",
                                "notification_type": "NONE"})
                if r.get("response_code") != "48000": continue
                link = r["payment_link_id"]
                ledger.ack("link", link, ref)
                ledger.ack("amount", link, 10000)
                for amount in (12000, 13000, 14000):
                    ledger.in_flight("amount", link, amount)
                    u = client.aps({"service_command": "UPDATE_PAYMENT_LINK", "payment_link_id": link, "amount": str(amount), "currency": "SAR"})
                    if u.get("response_code", "").endswith("000"): ledger.ack("amount", link, amount)
            elif kind in ("pay", "refund", "capture"):
                extra = {"link_command": "AUTHORIZATION"} if kind == "capture" else {}
                r = client.aps(dict({"service_command": "PAYMENT_LINK", "merchant_reference": ref, "amount": "10000", "currency": "SAR",
                                     "customer_email": "c@example.com", "request_expiry_date": "2099-12-31T23:59:59+03:00",
                                     "notification_type": "NONE"}, **extra))
                if r.get("response_code") != "48000": continue
                link = r["payment_link_id"]
                ledger.ack("link", link, ref)
                status, _ = client.call("POST", f"/__sandbox/links/{link}/pay", CARD, {"Content-Type": "application/json"})
                if status != 200: continue
                ledger.ack("paid", link)
                if kind == "pay": continue
                command, code = ("REFUND", "06000") if kind == "refund" else ("CAPTURE", "04000")
                for part in (1000, 2000):
                    ledger.in_flight(kind, ref, part)
                    m = client.aps({"command": command, "merchant_reference": ref, "amount": str(part), "currency": "SAR",
                                    "maintenance_reference": f"{ref}-{part}"})
                    if m.get("response_code") == code: ledger.ack(kind, ref, part)
            elif kind == "paybylink":
                body = {"ClientTransactionRef": ref, "AccountReference": "ACC-1", "Amount": 12.5, "Reason": "Rent",
                        "Customer": {"FirstName": "Ann", "LastName": "Lee", "MobileNumber": "07700900123", "Email": "a@example.com"}}
                status, reply = client.pbl("POST", "/requests", body)
                if status == 201: ledger.ack("request", reply["RequestId"])
    except (OSError, http.client.HTTPException, ValueError):
        pass  # the server died: whatever was in flight was never acknowledged


def run_batch(port, ledger, lines, prefix):
    client = Client(port)
    try:
        status, batch = client.pbl("POST", "/batches", {"FileName": f"{prefix}.csv"})
        if status not in (200, 201): return
        ledger.ack("batch", batch["BatchId"], "created")
        rows = ["ClientTransactionRef,AccountReference,Amount,Reason,FirstName,LastName,MobileNumber,Email"]
        rows += [f"{prefix}-b{i},ACC-{i % 100},{i % 50 + 1}.50,Rent,Ann,Lee,07700{i % 900000:06d},a{i}@example.com" for i in range(lines)]
        upload = batch["UploadUrl"]
        path = upload[upload.index("/", 8):]
        status, _ = client.call("PUT", path, ("\r\n".join(rows) + "\r\n").encode(), {"x-ms-blob-type": "BlockBlob", "Content-Type": "text/csv"})
        if status != 201: return
        ledger.ack("batch", batch["BatchId"], "uploaded")
        status, _ = client.pbl("POST", f"/batches/{batch['BatchId']}/confirm")
        if status == 202: ledger.ack("batch", batch["BatchId"], "confirmed")
    except (OSError, http.client.HTTPException, ValueError):
        pass


def start(binary, directory, durability):
    """Starts the sandbox on a port of its choosing (so no other process on the machine, such as
    another test's sandbox, can take the port or answer in its place); returns the process, the
    time to its first health answer (None when it did not start) and its port."""
    process = subprocess.Popen([binary, "serve", "--port", "0", "--quiet", "--state-dir", directory, "--durability", durability],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    t0 = time.perf_counter()
    line = process.stdout.readline().decode(errors="replace")
    if "listening on " not in line:
        process.kill()
        process.wait()
        return process, None, None
    port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
    while time.perf_counter() - t0 < 60:
        if process.poll() is not None:
            return process, None, None
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"GET /__sandbox/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    return process, (time.perf_counter() - t0) * 1000, port
        except OSError:
            time.sleep(0.002)
    process.kill()
    return process, None, None


def verify(port, ledger):
    """Every acknowledged change, looked for in GET /__sandbox/state; returns the lost ones."""
    status, body = Client(port).call("GET", "/__sandbox/state")
    state = json.loads(body)
    links = {l["payment_link_id"]: l for l in state["links"]}
    orders = {o["merchant_reference"]: o for o in state["orders"]}
    requests = {r["request_id"] for r in state["paybylink"]["requests"]}
    batches = {b["batch_id"]: b for b in state["batches"]["batches"]}
    lost = []
    for link, ref in ledger.links.items():
        if link not in links: lost.append(f"link {link} ({ref})")
    for link, amounts in ledger.amounts.items():
        if link in links and links[link]["amount"] not in amounts: lost.append(f"amount of {link}: {links[link]['amount']} not in {sorted(amounts)}")
    for link in ledger.paid:
        if link in links and links[link]["lifecycle"] != "paid": lost.append(f"payment of {link}")
    for table, field, kind in ((ledger.refunded, "refunded_amount", "refund"), (ledger.captured, "captured_amount", "capture")):
        for ref, (done, flight) in table.items():
            have = orders.get(ref, {}).get(field, -1)
            if not done <= have <= done + flight: lost.append(f"{kind} of {ref}: {have}, acknowledged {done}")
    for request in ledger.requests:
        if request not in requests: lost.append(f"PayByLink request {request}")
    for batch, step in ledger.batches.items():
        b = batches.get(batch)
        if b is None: lost.append(f"batch {batch}"); continue
        if step != "created" and b["status"] == "AwaitingUpload": lost.append(f"upload of batch {batch}")
        if step == "confirmed" and b["status"] in ("AwaitingUpload", "Uploaded"): lost.append(f"confirm of batch {batch} ({b['status']})")
    return lost


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--writers", type=int, default=2, help="threads per kind of change")
    parser.add_argument("--min-ms", type=int, default=300)
    parser.add_argument("--max-ms", type=int, default=1500)
    parser.add_argument("--batch-lines", type=int, default=20000)
    parser.add_argument("--durability", default="fsync")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep each trial's state directory (printed)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    kinds = ["create", "update", "pay", "refund", "capture", "paybylink"]
    failures, restarts = 0, []
    print(f"{args.trials} trials, {args.writers} writer(s) per kind ({', '.join(kinds)}) + a {args.batch_lines:,}-line PayByLink batch, "
          f"--durability {args.durability}, kill -9 after {args.min_ms}-{args.max_ms} ms", flush=True)
    for trial in range(1, args.trials + 1):
        directory = tempfile.mkdtemp(prefix="paylink-crash-")
        try:
            process, started, port = start(args.binary, directory, args.durability)
            if started is None:
                err = process.stderr.read().decode(errors="replace") if process.stderr else ""
                print(f"trial {trial}: START FAILED: {err.strip()}", flush=True)
                failures += 1
                continue
            ledger, stop = Ledger(), threading.Event()
            threads = [threading.Thread(target=run_writer, args=(k, port, ledger, stop, f"t{trial}w{w}")) for k in kinds for w in range(args.writers)]
            threads.append(threading.Thread(target=run_batch, args=(port, ledger, args.batch_lines, f"t{trial}batch")))
            for t in threads: t.start()
            kill_after = rng.randint(args.min_ms, args.max_ms) / 1000
            time.sleep(kill_after)
            process.send_signal(signal.SIGKILL)
            process.wait()
            stop.set()
            for t in threads: t.join()
            process, restart_ms, port = start(args.binary, directory, args.durability)
            if restart_ms is None:
                err = process.stderr.read().decode(errors="replace") if process.stderr else ""
                print(f"trial {trial}: RESTART FAILED: {err.strip()}", flush=True)
                failures += 1
                continue
            lost = verify(port, ledger)
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=10)
            stderr = process.stderr.read().decode(errors="replace")
            expected = ("torn", "left over", "received SIGTERM", "stopped")
            unexpected = [line for line in stderr.splitlines() if line.strip() and not any(e in line for e in expected)]
            clean = process.returncode == 0 and not unexpected
            restarts.append(restart_ms)
            torn = " (torn tail cut)" if "torn" in stderr else ""
            print(f"trial {trial}: killed after {kill_after * 1000:.0f} ms, {ledger.count:,} acknowledged changes "
                  f"({len(ledger.links):,} links, {len(ledger.requests):,} PayByLink requests, batch {list(ledger.batches.values())[-1:] or ['-']}), "
                  f"lost {len(lost)}, restart {restart_ms:.0f} ms, {'clean' if clean else 'NOT CLEAN'}{torn}", flush=True)
            for item in lost[:10]: print(f"    lost: {item}")
            for line in unexpected[:5]: print(f"    stderr: {line}")
            if lost or not clean: failures += 1
        finally:
            if args.keep: print(f"    kept {directory}")
            else: shutil.rmtree(directory, ignore_errors=True)
    if restarts:
        print(f"\n{args.trials - failures}/{args.trials} trials lost nothing and restarted cleanly; "
              f"restart to first answer: median {sorted(restarts)[len(restarts) // 2]:.0f} ms, max {max(restarts):.0f} ms")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
