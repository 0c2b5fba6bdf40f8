"""Drives the static binary inside a chroot (scripts/test-static-chroot.sh sets it up).

Inside the root, as an unprivileged user (uid 10001, the image's `paylink` user), with only
environment variables (PAYLINK_PORT=0, PAYLINK_STATE_DIR, as in the image): the binary
starts and prints its port, answers a PAYMENT_LINK signed here, `healthcheck` exits 0 against
it and 1 against a closed port, and SIGTERM stops it, with status 0, within 2 seconds."""

import argparse, json, os, select, signal, socket, subprocess, sys, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aps_request  # noqa: E402

STOP_SECONDS = 2.0


def in_root(root, environment, *command):
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    # env -i: nothing of this machine's environment (PATH to a Swift toolchain, say) leaks in.
    return prefix + ["chroot", "--userspec=10001:10001", root, "/usr/bin/env", "-i",
                     *[f"{k}={v}" for k, v in environment.items()], *command]


def read_listening_line(process, deadline):
    lines = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if not ready:
            if process.poll() is not None:
                break
            continue
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("listening on "):
            return line.strip(), lines
    raise SystemExit(f"no 'listening on' line; got {lines!r}, status {process.poll()}")


def refusing_socket():
    """A port bound but not listening: connections are refused, and nothing else can take it."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    return s


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--binary", required=True, help="the binary's path inside the root")
    parser.add_argument("--state-dir", required=True, help="a directory inside the root that uid 10001 may write")
    args = parser.parse_args()

    started = time.monotonic()
    server = subprocess.Popen(in_root(args.root, {"PAYLINK_PORT": "0", "PAYLINK_STATE_DIR": args.state_dir, "PAYLINK_SEED": "7"},
                                      args.binary, "serve"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line, _ = read_listening_line(server, time.monotonic() + 30)
        start_ms = (time.monotonic() - started) * 1000
        base = line.removeprefix("listening on ")
        port = int(base.rsplit(":", 1)[1])
        print(f"static-chroot: {line} ({start_ms:.0f} ms after exec, chroot included)")

        body = json.dumps(aps_request.payment_link("chroot-1")).encode()
        request = urllib.request.Request(base + "/FortAPI/paymentApi", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            reply = json.loads(response.read())
        aps_request.check_reply(reply)
        print(f"static-chroot: PAYMENT_LINK answered 48000, signature verified: {reply['payment_link']}")

        healthy = subprocess.run(in_root(args.root, {"PAYLINK_PORT": str(port)}, args.binary, "healthcheck"),
                                 capture_output=True, text=True, timeout=10)
        if healthy.returncode != 0:
            raise SystemExit(f"healthcheck exited {healthy.returncode}: {healthy.stderr.strip()}")
        print(f"static-chroot: healthcheck exit 0 ({healthy.stdout.strip()})")
        with refusing_socket() as closed:
            refused = subprocess.run(in_root(args.root, {}, args.binary, "healthcheck", "--url", f"http://127.0.0.1:{closed.getsockname()[1]}"),
                                     capture_output=True, text=True, timeout=10)
        if refused.returncode != 1 or len(refused.stderr.strip().splitlines()) != 1:
            raise SystemExit(f"healthcheck against a closed port: exit {refused.returncode}, {refused.stderr!r}")
        print(f"static-chroot: healthcheck on a closed port exit 1 ({refused.stderr.strip()})")

        signalled = time.monotonic()
        server.send_signal(signal.SIGTERM)
        try:
            status = server.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            raise SystemExit(f"still running {STOP_SECONDS} s after SIGTERM")
        stop_ms = (time.monotonic() - signalled) * 1000
        if status != 0:
            raise SystemExit(f"exited {status} after SIGTERM: {server.stderr.read()}")
        print(f"static-chroot: SIGTERM -> exit 0 in {stop_ms:.0f} ms")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
