#!/usr/bin/env python3
"""Abuse clients for bench/abuse.sh (standard library only, Python 3.9+).

Every subcommand talks to 127.0.0.1 only, has bounded loops and a hard deadline, and prints
result lines that bench/abuse.sh counts:

    PASS <check>: <figures>
    FAIL <check>: <figures and what went wrong>
    INFO <anything else worth reading>

Subcommands
    load     1,000 idle keep-alive connections (one request each, then silent) plus 100 slow
             clients that send a request head one byte a second, in waves, while the caller runs
             wrk. Writes a ready file once everything is in place and waits for a done file.
    conncap  fill a server to its configured max_connections, flood it with more connections,
             and check they are refused with 503 while the held ones keep working.
    fdflood  a server whose RLIMIT_NOFILE is below its connection cap: run it out of
             descriptors and check it sheds, does not spin, and recovers.
    limits   request line, header block, header count, body, header timeout and framing
             errors, each answered with its status before the connection closes.
"""

import argparse
import asyncio
import collections
import json
import os
import resource
import socket
import statistics
import sys
import threading
import time

HOST = "127.0.0.1"


def out(line):
    print(line, flush=True)


def verdict(ok, name, details):
    out(("PASS " if ok else "FAIL ") + name + ": " + details)
    return ok


def raise_nofile(wanted=65536):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def fd_count(pid):
    try:
        return len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return -1


def alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    # A zombie still answers kill(0); look at the state letter too.
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except OSError:
        return False


def cpu_seconds(pid):
    """utime + stime of a process, in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def fmt_stats(values, unit="s"):
    if not values:
        return "n/a"
    return "min %.2f%s / median %.2f%s / max %.2f%s" % (
        min(values), unit, statistics.median(values), unit, max(values), unit)


def health_request(keep_alive=True):
    return (b"GET /__sandbox/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + (b"" if keep_alive else b"Connection: close\r\n") + b"\r\n")


def status_of(data):
    """The status code of the first response in data, or None."""
    if not data.startswith(b"HTTP/1."):
        return None
    parts = data.split(b"\r\n", 1)[0].split(b" ")
    try:
        return int(parts[1])
    except (IndexError, ValueError):
        return None


async def read_response(reader):
    """One response with a Content-Length body; returns (status, headers dict, body)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers, body


async def drain_until_eof(reader, limit_seconds):
    """Reads until EOF. Returns (data, outcome, t_first_data, t_eof) with outcome one of
    eof / reset / timeout; times are monotonic."""
    data = b""
    t_first = None
    deadline = time.monotonic() + limit_seconds
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return data, "timeout", t_first, None
        try:
            chunk = await asyncio.wait_for(reader.read(65536), remaining)
        except asyncio.TimeoutError:
            return data, "timeout", t_first, None
        except (ConnectionResetError, BrokenPipeError, OSError):
            return data, "reset", t_first, time.monotonic()
        if not chunk:
            return data, "eof", t_first, time.monotonic()
        if t_first is None:
            t_first = time.monotonic()
        data += chunk
        if len(data) > 1 << 20:
            return data, "too-much-data", t_first, None


def close_writer(writer):
    try:
        writer.close()
    except Exception:
        pass


# ---------------------------------------------------------------------------------------------
# load: idle keep-alive connections + slow clients
# ---------------------------------------------------------------------------------------------

SLOW_HEAD = (b"GET /__sandbox/health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: abuse-slow-client\r\n"
             b"X-Slow: " + b"s" * 200 + b"\r\n\r\n")


async def cmd_load(args):
    nofile = raise_nofile()
    start = time.monotonic()
    hard_deadline = start + args.max_seconds
    out("INFO load: RLIMIT_NOFILE %d; opening %d idle keep-alive connections, then %d slow clients"
        % (nofile, args.idle, args.slow))

    # 1. Idle keep-alive connections: one complete request each, then silence.
    sem = asyncio.Semaphore(64)
    idle_errors = collections.Counter()

    async def open_idle(i):
        async with sem:
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, args.port), 10)
            except Exception as e:
                idle_errors["connect: " + type(e).__name__] += 1
                return None
            try:
                writer.write(health_request())
                status, headers, _ = await asyncio.wait_for(read_response(reader), 10)
            except Exception as e:
                idle_errors["first request: " + type(e).__name__] += 1
                close_writer(writer)
                return None
            if status != 200 or headers.get("connection", "").lower() == "close":
                idle_errors["first request status %d" % status] += 1
                close_writer(writer)
                return None
            return reader, writer

    opened = await asyncio.gather(*[open_idle(i) for i in range(args.idle)])
    idle = [c for c in opened if c is not None]
    t_idle_ready = time.monotonic()
    out("INFO load: %d/%d idle connections open after one 200 each (%.1fs)%s"
        % (len(idle), args.idle, t_idle_ready - start,
           "; errors: " + dict(idle_errors).__repr__() if idle_errors else ""))

    # 2. Slow clients, in waves: each slot reconnects after being cut off, until the done file.
    stop_new_waves = asyncio.Event()
    first_bytes_sent = 0
    all_started = asyncio.Event()
    waves = []

    async def slow_wave(slot):
        nonlocal first_bytes_sent
        record = {"slot": slot}
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, args.port), 10)
        except Exception as e:
            record["outcome"] = "connect failed: " + type(e).__name__
            return record
        reader_task = asyncio.ensure_future(drain_until_eof(reader, args.slow_wave_limit + 2))
        t0 = time.monotonic()
        sent = 0
        try:
            for index in range(len(SLOW_HEAD)):
                if reader_task.done() or time.monotonic() - t0 > args.slow_wave_limit:
                    break
                try:
                    writer.write(SLOW_HEAD[index:index + 1])
                    await writer.drain()
                except (ConnectionResetError, BrokenPipeError, OSError):
                    break
                sent += 1
                if sent == 1 and slot_first_wave[slot]:
                    slot_first_wave[slot] = False
                    first_bytes_sent += 1
                    if first_bytes_sent == args.slow:
                        all_started.set()
                try:
                    await asyncio.wait_for(asyncio.shield(reader_task), 1.0)
                except asyncio.TimeoutError:
                    pass
            data, outcome, t_first, t_eof = await reader_task
        finally:
            close_writer(writer)
        record.update({
            "bytes_sent": sent,
            "status": status_of(data),
            "outcome": outcome,
            "response_after": None if t_first is None else t_first - t0,
            "closed_after": None if t_eof is None else t_eof - t0,
        })
        return record

    slot_first_wave = [True] * args.slow

    async def slow_slot(slot):
        await asyncio.sleep(slot * args.stagger / max(1, args.slow))
        for _ in range(args.max_waves):
            if stop_new_waves.is_set() or time.monotonic() > hard_deadline - args.slow_wave_limit - 3:
                return
            waves.append(await slow_wave(slot))

    slot_tasks = [asyncio.ensure_future(slow_slot(s)) for s in range(args.slow)]
    try:
        await asyncio.wait_for(all_started.wait(), args.stagger + 10)
    except asyncio.TimeoutError:
        out("INFO load: only %d/%d slow clients sent a first byte" % (first_bytes_sent, args.slow))
    t_ready = time.monotonic()
    with open(args.ready_file, "w") as f:
        json.dump({"idle_open": len(idle), "slow_started": first_bytes_sent}, f)
    out("INFO load: ready after %.1fs (%d idle, %d slow clients dripping)"
        % (t_ready - start, len(idle), first_bytes_sent))

    # 3. Wait for the caller's wrk run to finish.
    while not os.path.exists(args.done_file) and time.monotonic() < hard_deadline - args.slow_wave_limit - 5:
        await asyncio.sleep(0.1)
    t_done = time.monotonic()
    stop_new_waves.set()

    # 4. Were the idle connections kept open the whole time? Each must answer a second request.
    idle_closed_early = sum(1 for r, _ in idle if r.at_eof())

    async def probe(conn):
        reader, writer = conn
        async with sem:
            try:
                writer.write(health_request())
                status, _, _ = await asyncio.wait_for(read_response(reader), 10)
                return status
            except Exception as e:
                return type(e).__name__

    probes = collections.Counter(await asyncio.gather(*[probe(c) for c in idle]))
    t_probed = time.monotonic()

    # 5. Let the slow waves in flight end (each is bounded by slow_wave_limit).
    remaining = max(1.0, hard_deadline - time.monotonic())
    await asyncio.wait(slot_tasks, timeout=remaining)
    for task in slot_tasks:
        task.cancel()
    for _, writer in idle:
        close_writer(writer)
    await asyncio.sleep(0.2)

    # Verdicts.
    ok_idle = len(idle) == args.idle and probes.get(200, 0) == args.idle and idle_closed_early == 0
    verdict(ok_idle, "1c idle keep-alive connections stay open during the wrk run",
            "%d/%d opened with a 200; %.1fs later (after wrk) %d/%d still open and answered a second "
            "request with 200 (outcomes %s); %d closed early"
            % (len(idle), args.idle, t_probed - t_idle_ready, probes.get(200, 0), args.idle,
               dict(probes), idle_closed_early))

    complete = [w for w in waves if "status" in w]
    statuses = collections.Counter(w["status"] for w in complete)
    outcomes = collections.Counter(w["outcome"] for w in waves)
    response_after = [w["response_after"] for w in complete if w["response_after"] is not None]
    closed_after = [w["closed_after"] for w in complete if w["closed_after"] is not None]
    bytes_sent = [w["bytes_sent"] for w in complete]
    lo, hi = args.expect_timeout - 0.2, args.expect_timeout + args.timeout_slack
    good = [w for w in complete
            if w["status"] == 408 and w["outcome"] == "eof"
            and w["response_after"] is not None and lo <= w["response_after"] <= hi
            and w["closed_after"] is not None and w["closed_after"] <= hi + 1]
    bad = [w for w in waves if w not in good]
    first_wave_slots = {w["slot"] for w in good}
    ok_slow = (len(waves) >= args.slow and not bad and len(first_wave_slots) == args.slow)
    details = ("%d slow clients, %d waves (%d/%d connections cut off with 408 + close); statuses %s, "
               "outcomes %s; 408 arrived %s after the first byte (expected %.1f-%.1fs), connection "
               "closed %s; bytes dripped before the cut %s"
               % (args.slow, len(waves), len(good), len(waves), dict(statuses), dict(outcomes),
                  fmt_stats(response_after), lo, hi, fmt_stats(closed_after),
                  fmt_stats(bytes_sent, "")))
    if bad:
        details += "; first failures: %s" % json.dumps(bad[:3])
    verdict(ok_slow, "1b slow clients cut off at the %.0fs header timeout" % args.expect_timeout, details)
    out("INFO load: wrk window %.1fs; last slow wave ended %.1fs after ready"
        % (t_done - t_ready, time.monotonic() - t_ready))
    with open(args.result_file, "w") as f:
        json.dump({"idle_open": len(idle), "idle_probe": {str(k): v for k, v in probes.items()},
                   "slow_waves": len(waves), "slow_good": len(good),
                   "response_after": response_after}, f)
    return 0 if (ok_idle and ok_slow) else 1


# ---------------------------------------------------------------------------------------------
# conncap: connection cap
# ---------------------------------------------------------------------------------------------

class FdSampler:
    """Samples /proc/PID/fd every interval while running; keeps the maximum."""

    def __init__(self, pid, interval=0.01):
        self.pid, self.interval, self.peak, self.samples = pid, interval, 0, 0
        self.task = None

    async def _run(self):
        while True:
            n = fd_count(self.pid)
            self.peak = max(self.peak, n)
            self.samples += 1
            await asyncio.sleep(self.interval)

    def start(self):
        self.task = asyncio.ensure_future(self._run())

    async def stop(self):
        self.task.cancel()
        try:
            await self.task
        except asyncio.CancelledError:
            pass
        self.peak = max(self.peak, fd_count(self.pid))


async def open_held(port, count, sem, timeout=10):
    """count keep-alive connections, each answered 200 once; returns (list, Counter of failures)."""
    failures = collections.Counter()

    async def one():
        async with sem:
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout)
            except Exception as e:
                failures["connect " + type(e).__name__] += 1
                return None
            try:
                writer.write(health_request())
                status, _, _ = await asyncio.wait_for(read_response(reader), timeout)
            except asyncio.IncompleteReadError as e:
                status = status_of(e.partial) or "closed"
            except Exception as e:
                status = type(e).__name__
            if status != 200:
                failures[status] += 1
                close_writer(writer)
                return None
            return reader, writer

    conns = await asyncio.gather(*[one() for _ in range(count)])
    return [c for c in conns if c is not None], failures


async def refused_attempt(port, eager, timeout):
    """A connection over the cap: optionally sends a request at once, then reads to EOF."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout)
    except ConnectionRefusedError:
        return "connect refused"
    except Exception as e:
        return "connect " + type(e).__name__
    try:
        if eager:
            try:
                writer.write(health_request())
                await writer.drain()
            except (ConnectionResetError, BrokenPipeError, OSError):
                pass
        data, outcome, _, _ = await drain_until_eof(reader, timeout)
    finally:
        close_writer(writer)
    status = status_of(data)
    if status is not None:
        return "%d+%s" % (status, outcome)
    return "no response+" + outcome


async def probe_new(port, timeout=5):
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout)
        writer.write(health_request(keep_alive=False))
        data, outcome, _, _ = await drain_until_eof(reader, timeout)
        close_writer(writer)
        return status_of(data) or ("no response+" + outcome)
    except Exception as e:
        return type(e).__name__


async def cmd_conncap(args):
    raise_nofile()
    sem = asyncio.Semaphore(64)
    fd0 = fd_count(args.pid)
    held, failures = await open_held(args.port, args.cap, sem)
    await asyncio.sleep(0.3)
    fd_at_cap = fd_count(args.pid)
    out("INFO conncap: server fds %d before, %d with %d/%d held connections (failures %s)"
        % (fd0, fd_at_cap, len(held), args.cap, dict(failures)))
    at_cap_probe = await probe_new(args.port)

    # Flood: over-cap connections, half silent, half sending a request at once.
    sampler = FdSampler(args.pid)
    sampler.start()
    flood_sem = asyncio.Semaphore(args.concurrency)

    async def attempt(i):
        async with flood_sem:
            return await refused_attempt(args.port, eager=(i % 2 == 1), timeout=args.timeout)

    t0 = time.monotonic()
    results = await asyncio.gather(*[attempt(i) for i in range(args.over)])
    flood_seconds = time.monotonic() - t0
    await sampler.stop()
    silent = collections.Counter(results[0::2])
    eager = collections.Counter(results[1::2])

    # The held connections still work.
    async def second(conn):
        reader, writer = conn
        try:
            writer.write(health_request())
            status, _, _ = await asyncio.wait_for(read_response(reader), 10)
            return status
        except Exception as e:
            return type(e).__name__

    held_after = collections.Counter(await asyncio.gather(*[second(c) for c in held]))

    # Free half: new connections are accepted again.
    for _, writer in held[: len(held) // 2]:
        close_writer(writer)
    await asyncio.sleep(0.5)
    below_cap_probe = await probe_new(args.port)
    for _, writer in held[len(held) // 2:]:
        close_writer(writer)
    await asyncio.sleep(1.0)
    after_probe = await probe_new(args.port)
    await asyncio.sleep(0.5)
    fd_after = fd_count(args.pid)
    server_alive = alive(args.pid)

    refused_503 = sum(v for k, v in results_counter(results).items() if k.startswith("503+"))
    clean_503 = sum(v for k, v in results_counter(results).items() if k == "503+eof")
    bound = fd0 + args.cap + 4
    ok = (len(held) == args.cap and at_cap_probe == 503 and clean_503 == args.over
          and sampler.peak <= bound and held_after.get(200, 0) == len(held)
          and below_cap_probe == 200 and after_probe == 200 and fd_after <= fd0 + 2 and server_alive)
    verdict(ok, "2a connection cap %d: extra connections refused with 503, server keeps serving" % args.cap,
            "accepted %d/%d held connections; a new one at the cap got %s; %d over-cap connections in %.2fs: "
            "%d refused with 503 (%d of them 503 then clean close), silent ones %s, ones sending a request "
            "at once %s; held connections answered a 2nd request: %s; after freeing half, a new "
            "connection got %s, after freeing all %s; server fds %d before / %d at cap / peak %d during "
            "the flood (bound %d, %d samples) / %d after; server alive: %s"
            % (len(held), args.cap, at_cap_probe, args.over, flood_seconds, refused_503, clean_503,
               dict(silent), dict(eager), dict(held_after), below_cap_probe, after_probe, fd0, fd_at_cap,
               sampler.peak, bound, sampler.samples, fd_after, server_alive))
    return 0 if ok else 1


def results_counter(results):
    return collections.Counter(results)


# ---------------------------------------------------------------------------------------------
# fdflood: RLIMIT_NOFILE below the connection cap
# ---------------------------------------------------------------------------------------------

async def cmd_fdflood(args):
    raise_nofile()
    sem = asyncio.Semaphore(args.concurrency)
    fd0 = fd_count(args.pid)
    sampler = FdSampler(args.pid)
    sampler.start()

    # Connections that each get one answer and then stay open, far more than the server's fd limit.
    held = []
    outcomes = collections.Counter()

    async def one():
        async with sem:
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, args.port), args.timeout)
            except Exception as e:
                outcomes["connect " + type(e).__name__] += 1
                return
            try:
                writer.write(health_request())
                await writer.drain()
                status, _, _ = await asyncio.wait_for(read_response(reader), args.timeout)
            except asyncio.IncompleteReadError as e:
                status = "%s+closed" % (status_of(e.partial) or "no response")
            except asyncio.TimeoutError:
                status = "hung %.0fs" % args.timeout
            except Exception as e:
                status = type(e).__name__
            outcomes[status] += 1
            if status == 200:
                held.append((reader, writer))
            else:
                close_writer(writer)

    t0 = time.monotonic()
    await asyncio.gather(*[one() for _ in range(args.conns)])
    flood_seconds = time.monotonic() - t0

    # Out of descriptors: the loop must not spin. Keep knocking (bounded) and watch its CPU time.
    cpu0, w0 = cpu_seconds(args.pid), time.monotonic()
    knocks = collections.Counter()
    for _ in range(args.knocks):
        knocks[await probe_new(args.port, timeout=args.timeout)] += 1
        await asyncio.sleep(args.knock_interval)
    cpu1, w1 = cpu_seconds(args.pid), time.monotonic()
    cpu_share = (cpu1 - cpu0) / max(0.001, w1 - w0)
    fd_exhausted = fd_count(args.pid)

    for _, writer in held:
        close_writer(writer)
    await asyncio.sleep(1.0)
    after = await probe_new(args.port)
    await sampler.stop()
    fd_after = fd_count(args.pid)
    server_alive = alive(args.pid)

    hung = sum(v for k, v in outcomes.items() if str(k).startswith("hung")) + \
        sum(v for k, v in knocks.items() if str(k).startswith("no response+timeout"))
    refused_503 = sum(v for k, v in outcomes.items() if str(k).startswith("503"))
    ok = (server_alive and after == 200 and hung == 0 and cpu_share < 0.5
          and fd_after <= fd0 + 2 and len(held) > 0)
    verdict(ok, "2b RLIMIT_NOFILE %d below the cap: descriptor exhaustion is survived" % args.nofile,
            "%d connections in %.2fs: %d answered 200 and held, %d refused with 503, all outcomes %s; "
            "server fds %d before / %d while exhausted / peak %d / %d after; while out of descriptors "
            "%d new connections got %s and the server used %.0f%% CPU; after closing, a new "
            "connection got %s; server alive: %s"
            % (args.conns, flood_seconds, len(held), refused_503, dict(outcomes), fd0, fd_exhausted,
               sampler.peak, fd_after, args.knocks, dict(knocks), cpu_share * 100, after, server_alive))
    return 0 if ok else 1


# ---------------------------------------------------------------------------------------------
# limits: one blocking socket per case, a reader thread so the answer is seen even if the
# server closes while we are still sending
# ---------------------------------------------------------------------------------------------

class Exchange:
    def __init__(self, port, parts, pause=0.0, read_timeout=5.0):
        self.port, self.parts, self.pause, self.read_timeout = port, parts, pause, read_timeout
        self.data = b""
        self.outcome = None
        self.t_first = None
        self.t_end = None
        self.send_error = None

    def _reader(self, sock):
        deadline = time.monotonic() + self.read_timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.outcome = "timeout"
                return
            sock.settimeout(remaining)
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                self.outcome = "timeout"
                return
            except OSError as e:
                self.outcome = "reset" if self.data else "reset (%s)" % type(e).__name__
                self.t_end = time.monotonic()
                return
            if not chunk:
                self.outcome = "eof"
                self.t_end = time.monotonic()
                return
            if self.t_first is None:
                self.t_first = time.monotonic()
            self.data += chunk

    def run(self):
        sock = socket.create_connection((HOST, self.port), timeout=5)
        reader = threading.Thread(target=self._reader, args=(sock,), daemon=True)
        self.t0 = time.monotonic()
        reader.start()
        try:
            for part in self.parts:
                if self.t_end is not None:
                    break
                sock.sendall(part)
                if self.pause:
                    time.sleep(self.pause)
        except OSError as e:
            self.send_error = type(e).__name__
        reader.join(self.read_timeout + 2)
        sock.close()
        return self

    @property
    def status(self):
        return status_of(self.data)

    def describe(self):
        s = "%s" % (self.status if self.status is not None else "no response")
        if self.status is not None and self.t_first is not None:
            s += " after %.2fs" % (self.t_first - self.t0)
        s += ", then %s" % {"eof": "close", "timeout": "no close within the read timeout"}.get(self.outcome, self.outcome)
        if self.send_error:
            s += " (sending stopped: %s)" % self.send_error
        return s


def req(method, target, headers=(), body=b""):
    head = "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n" % (method, target)
    for name, value in headers:
        head += "%s: %s\r\n" % (name, value)
    return head.encode("latin-1") + b"\r\n" + body


def cmd_limits(args):
    port = args.port
    results = []

    def case(name, expect, parts, closes=True, **kw):
        """expect: an int (that status), or ('not', status) for at-the-limit requests."""
        ex = Exchange(port, parts, **kw).run()
        if isinstance(expect, tuple):
            ok = ex.status is not None and ex.status != expect[1]
            wanted = "not %d" % expect[1]
        else:
            ok = ex.status == expect and (not closes or ex.outcome == "eof")
            wanted = "%d then close" % expect
        results.append(verdict(ok, "3 " + name, "%s (expected %s)" % (ex.describe(), wanted)))
        return ex

    # The header timeout takes 10 s: run it in a thread alongside the others.
    timeout_result = {}

    def header_timeout():
        partial = b"GET /__sandbox/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Partial: "
        timeout_result["ex"] = Exchange(port, [partial], read_timeout=args.header_timeout + 10).run()

    timer = threading.Thread(target=header_timeout, daemon=True)
    timer.start()

    post = "/FortAPI/paymentApi"
    # Request line: over 8 KiB -> 414; exactly 8 KiB (without CRLF) is accepted.
    prefix, suffix = "GET /__sandbox/health?pad=", " HTTP/1.1"
    at_limit = prefix + "a" * (8192 - len(prefix) - len(suffix)) + suffix
    assert len(at_limit) == 8192
    case("request line of 8193 bytes -> 414",
         414, [(at_limit.replace("?pad=", "?pad=a", 1) + "\r\nHost: 127.0.0.1\r\n\r\n").encode()])
    case("request line of 8192 bytes is not 414", ("not", 414), [(at_limit + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").encode()])
    case("request line of 64 KiB without a line end -> 414", 414, [b"GET /" + b"a" * 65536])

    # Header block: over 64 KiB -> 431 (with fewer than 100 fields); 64 KiB exactly is accepted.
    big = [("X-Pad-%02d" % i, "v" * 1000) for i in range(70)]
    case("header block of %d bytes (70 fields) -> 431" % sum(len(n) + 2 + len(v) + 2 for n, v in big),
         431, [req("GET", "/__sandbox/health", big)])
    # 64 KiB exactly: Host line (17 bytes) + 63 fields of 1024 bytes + the rest in one field.
    fields = [("X-Pad-%02d" % i, "v" * (1024 - 12)) for i in range(63)]
    used = 17 + 63 * 1024 + len("Connection: close\r\n")
    fields.append(("X-Rest", "r" * (65536 - used - len("X-Rest: \r\n"))))
    fields.append(("Connection", "close"))
    block = 17 + sum(len(n) + 2 + len(v) + 2 for n, v in fields)
    case("header block of %d bytes is not 431" % block, ("not", 431), [req("GET", "/__sandbox/health", fields)])
    case("header block of 1 MiB without an end -> 431", 431,
         [b"GET / HTTP/1.1\r\n" + b"X-Long: " + b"x" * (1 << 20)])

    # Header count: 101 fields -> 431; 100 fields (Host + 99) is accepted.
    case("101 header fields -> 431", 431, [req("GET", "/__sandbox/health", [("X-H%d" % i, "1") for i in range(100)])])
    case("100 header fields is not 431", ("not", 431),
         [req("GET", "/__sandbox/health", [("X-H%d" % i, "1") for i in range(98)] + [("Connection", "close")])])

    # Body: over the limit (1 MiB) -> 413, declared or chunked; exactly 1 MiB is accepted.
    mib = 1 << 20
    body_parts = [b"a" * 65536] * 17
    case("Content-Length 1048577 -> 413 (answered before the body)", 413,
         [req("POST", post, [("Content-Type", "application/json"), ("Content-Length", str(mib + 1))])] + body_parts)
    chunks = [b"10000\r\n" + b"a" * 65536 + b"\r\n"] * 17 + [b"0\r\n\r\n"]
    case("chunked body of 17 x 64 KiB -> 413", 413,
         [req("POST", post, [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")])] + chunks)
    case("body of exactly 1 MiB is not 413", ("not", 413),
         [req("POST", post, [("Content-Type", "application/json"), ("Content-Length", str(mib)),
                             ("Connection", "close")])] + [b"a" * 65536] * 16)

    # Framing errors -> 400.
    case("conflicting Content-Length headers (5 and 6) -> 400", 400,
         [req("POST", post, [("Content-Length", "5"), ("Content-Length", "6")], b"hello!")])
    case("conflicting Content-Length list (5, 6) -> 400", 400,
         [req("POST", post, [("Content-Length", "5, 6")], b"hello!")])
    case("Content-Length with Transfer-Encoding -> 400", 400,
         [req("POST", post, [("Content-Length", "5"), ("Transfer-Encoding", "chunked")], b"5\r\nhello\r\n0\r\n\r\n")])
    for label, line in [("zz", b"zz"), ("-1", b"-1"), ("empty", b""), ("0x5", b"0x5"), ("5 5", b"5 5"),
                        ("5000 hex digits", b"1" * 5000)]:
        case("chunk size %s -> 400" % label, 400,
             [req("POST", post, [("Transfer-Encoding", "chunked")]) + line + b"\r\nhello\r\n0\r\n\r\n"])

    timer.join(args.header_timeout + 15)
    ex = timeout_result.get("ex")
    if ex is None:
        results.append(verdict(False, "3 headers not complete in %ds -> 408" % args.header_timeout, "client thread did not finish"))
    else:
        lo, hi = args.header_timeout - 0.2, args.header_timeout + args.timeout_slack
        took = None if ex.t_first is None else ex.t_first - ex.t0
        ok = ex.status == 408 and ex.outcome == "eof" and took is not None and lo <= took <= hi
        results.append(verdict(ok, "3 headers not complete in %ds -> 408" % args.header_timeout,
                               "%s (expected 408 at %.1f-%.1fs, then close)" % (ex.describe(), lo, hi)))
    alive_ok = alive(args.pid) if args.pid else True
    results.append(verdict(alive_ok and probe_sync(port) == 200, "3 server still answers after the limit cases",
                           "pid alive: %s, GET /__sandbox/health -> %s" % (alive_ok, probe_sync(port))))
    return 0 if all(results) else 1


def probe_sync(port):
    try:
        ex = Exchange(port, [health_request(keep_alive=False)]).run()
        return ex.status
    except OSError as e:
        return type(e).__name__


# ---------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("load")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--idle", type=int, default=1000)
    p.add_argument("--slow", type=int, default=100)
    p.add_argument("--stagger", type=float, default=1.0, help="spread the slow clients' starts over this many seconds")
    p.add_argument("--max-waves", type=int, default=3)
    p.add_argument("--slow-wave-limit", type=float, default=20.0, help="give up on a slow connection never cut off")
    p.add_argument("--expect-timeout", type=float, default=10.0)
    p.add_argument("--timeout-slack", type=float, default=1.5)
    p.add_argument("--ready-file", required=True)
    p.add_argument("--done-file", required=True)
    p.add_argument("--result-file", required=True)
    p.add_argument("--max-seconds", type=float, default=120.0)

    p = sub.add_parser("conncap")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--cap", type=int, required=True)
    p.add_argument("--over", type=int, default=600)
    p.add_argument("--concurrency", type=int, default=200)
    p.add_argument("--timeout", type=float, default=5.0)

    p = sub.add_parser("fdflood")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--nofile", type=int, required=True)
    p.add_argument("--conns", type=int, default=500)
    p.add_argument("--concurrency", type=int, default=100)
    p.add_argument("--knocks", type=int, default=20)
    p.add_argument("--knock-interval", type=float, default=0.1)
    p.add_argument("--timeout", type=float, default=5.0)

    p = sub.add_parser("limits")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, default=0)
    p.add_argument("--header-timeout", type=float, default=10.0)
    p.add_argument("--timeout-slack", type=float, default=1.5)

    args = parser.parse_args()
    if args.command == "limits":
        return cmd_limits(args)
    runner = {"load": cmd_load, "conncap": cmd_conncap, "fdflood": cmd_fdflood}[args.command]
    return asyncio.run(runner(args))


if __name__ == "__main__":
    sys.exit(main())
