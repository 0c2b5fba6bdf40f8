"""scripts/test-https-proxy.sh's checks: the sandbox behind scripts/https-proxy.sh, reached by
APS's host names with curl --resolve and --cacert."""

import argparse, json, os, select, socket, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aps_request  # noqa: E402

API_HOST = "sbpaymentservices.payfort.com"
CHECKOUT_HOST = "sbcheckout.payfort.com"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_sandbox(binary, public_url):
    environment = {"PATH": os.environ.get("PATH", ""), "PAYLINK_PORT": "0", "PAYLINK_PUBLIC_URL": public_url}
    process = subprocess.Popen([binary, "serve", "--quiet"], env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            line = process.stdout.readline()
            if line.startswith("listening on "):
                return process, line.strip().removeprefix("listening on ")
            if not line:
                break
    process.kill()
    raise SystemExit(f"the sandbox did not start: {process.stderr.read()}")


def curl(proxy_port, ca, host, path, *options):
    """curl by host name: --resolve sends HOST:PORT to 127.0.0.1, --cacert trusts only our CA."""
    command = ["curl", "-sS", "--fail-with-body", "--max-time", "10", "--resolve", f"{host}:{proxy_port}:127.0.0.1",
               "--cacert", ca, *options, f"https://{host}:{proxy_port}{path}"]
    return subprocess.run(command, capture_output=True, text=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--dir", required=True, help="where the proxy keeps its CA, certificates and nginx.conf")
    args = parser.parse_args()
    proxy = os.path.join(os.path.dirname(os.path.abspath(__file__)), "https-proxy.sh")
    proxy_port = free_port()
    public_url = f"https://{CHECKOUT_HOST}:{proxy_port}"
    sandbox, base = start_sandbox(args.binary, public_url)
    ca = os.path.join(os.path.abspath(args.dir), "ca.pem")
    try:
        started = subprocess.run([proxy, "start", "--upstream", base, "--port", str(proxy_port), "--dir", args.dir],
                                 capture_output=True, text=True)
        if started.returncode != 0:
            raise SystemExit(f"https-proxy.sh start failed: {started.stdout}{started.stderr}")
        print(started.stdout.strip())

        # Wait for nginx to listen (it daemonizes before the socket is necessarily served).
        deadline = time.monotonic() + 10
        while curl(proxy_port, ca, API_HOST, "/__sandbox/health").returncode != 0:
            if time.monotonic() > deadline:
                raise SystemExit(f"the proxy never answered: {curl(proxy_port, ca, API_HOST, '/__sandbox/health').stderr}")
            time.sleep(0.1)

        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as body:
            json.dump(aps_request.payment_link("https-1"), body)
        try:
            answer = curl(proxy_port, ca, API_HOST, "/FortAPI/paymentApi", "-H", "Content-Type: application/json", "--data-binary", f"@{body.name}")
        finally:
            os.unlink(body.name)
        if answer.returncode != 0:
            raise SystemExit(f"PAYMENT_LINK through the proxy failed: {answer.stderr} {answer.stdout}")
        reply = json.loads(answer.stdout)
        aps_request.check_reply(reply)
        print(f"https-proxy test: PAYMENT_LINK via https://{API_HOST}:{proxy_port} answered 48000, signature verified")

        link = reply["payment_link"]
        if not link.startswith(public_url + "/"):
            raise SystemExit(f"payment_link {link} does not start with {public_url}/")
        page = curl(proxy_port, ca, CHECKOUT_HOST, link.removeprefix(public_url))
        if page.returncode != 0 or "<form" not in page.stdout:
            raise SystemExit(f"the hosted page did not load through the proxy: {page.stderr} {page.stdout[:200]}")
        print(f"https-proxy test: hosted page {link} loads through the proxy")

        # The CA signs only the APS hosts: another name is refused, so --cacert really checks.
        other = curl(proxy_port, ca, "shop.example", "/__sandbox/health")
        if other.returncode == 0 or "certificate" not in other.stderr.lower() and "ssl" not in other.stderr.lower():
            raise SystemExit(f"a host outside the certificate was accepted: {other.returncode} {other.stderr}")
        print("https-proxy test: a host name outside the certificate is refused")
        print("https-proxy test: passed")
    finally:
        subprocess.run([proxy, "stop", "--dir", args.dir], capture_output=True)
        sandbox.terminate()
        sandbox.wait(timeout=5)


if __name__ == "__main__":
    main()
