"""pytest fixtures: one sandbox process for the session, started on port 0, reset before each test.

The sandbox binary comes from PAYLINK_SANDBOX_BIN (examples/run.sh sets it), else the debug build
of this repository. It starts with no configuration (the demo merchant); a feedback receiver
listens on port 0 too, and each test gives the merchant the receiver's URL through the control
API (`PUT /__sandbox/merchants/{id}`), as a test does when the sandbox runs first (a service
container) and the application's port is known only later.
"""
import json
import os
import pathlib
import queue
import subprocess
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from aps import MERCHANT

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]


class FeedbackReceiver:
    """A local HTTP server that records each feedback POST the sandbox sends it."""

    def __init__(self):
        self.received = queue.Queue()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.put((self.path, json.loads(body)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def next(self, timeout=10):
        return self.received.get(timeout=timeout)

    def drain(self):
        while not self.received.empty():
            self.received.get_nowait()


class Sandbox:
    def __init__(self, base_url):
        self.base_url = base_url

    def post(self, path, body):
        request = urllib.request.Request(
            self.base_url + path, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def put(self, path, body):
        request = urllib.request.Request(
            self.base_url + path, data=json.dumps(body).encode(), method="PUT",
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def payment_api(self, params):
        return self.post("/FortAPI/paymentApi", params)


@pytest.fixture(scope="session")
def feedback():
    receiver = FeedbackReceiver()
    yield receiver
    receiver.server.shutdown()


@pytest.fixture(scope="session")
def sandbox(feedback):
    binary = os.environ.get("PAYLINK_SANDBOX_BIN", str(REPOSITORY / ".build/debug/paylink-sandbox"))
    process = subprocess.Popen([binary, "serve", "--port", "0", "--quiet"], stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()  # "listening on http://127.0.0.1:PORT"
    assert line.startswith("listening on "), f"the sandbox did not start: {line!r}"
    yield Sandbox(line.split()[-1])
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(autouse=True)
def fresh_state(sandbox, feedback):
    """Each test starts from an empty sandbox: no links, orders or feedback from the last one.

    A reset also returns the merchants to the configured ones, so the feedback URL is given
    again after it.
    """
    sandbox.post("/__sandbox/reset", {})
    merchant = {**MERCHANT, "notification_url": feedback.url + "/aps/feedback"}
    sandbox.put(f"/__sandbox/merchants/{MERCHANT['merchant_identifier']}", merchant)
    feedback.drain()
