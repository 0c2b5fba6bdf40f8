#!/usr/bin/env python3
"""The dashboard's developer console in a real browser (Debian's chromium, driven by Selenium).

Sets up a merchant whose feedback goes to a local receiver, a paid link (authorized, partly
captured, partly refunded) whose customer got an e-mail and an SMS, a request refused with 008,
PayByLink requests and a batch with a failed line; then walks the console as a developer would:
outbox, deliveries and Resend, the journal and the signature debugger (filled in from the 008
entry, then given the right signature), the link's order, PayByLink requests and batches.
Screenshots of every page go to --screenshots (console-*.png). Exits non-zero on the first failure.
"""
import http.server
import json
import os
import subprocess
import tempfile
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from checkout_test import ACCESS_CODE, MERCHANT, REQUEST_PHRASE, RESPONSE_PHRASE, arguments, browser, check, full_screenshot, run, \
    serve_locally, sign

SUBSCRIPTION = "console-subscription"


class Receiver(http.server.BaseHTTPRequestHandler):
    """The merchant's feedback endpoint: counts what arrives and answers 200."""
    received = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        Receiver.received.append(json.loads(self.rfile.read(length) or b"{}"))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def start_sandbox(binary, receiver_url):
    config = {"merchants": [{"merchant_identifier": MERCHANT, "access_code": ACCESS_CODE, "sha_type": "SHA-256",
                             "sha_request_phrase": REQUEST_PHRASE, "sha_response_phrase": RESPONSE_PHRASE,
                             "notification_url": receiver_url + "/aps/notify", "direct_feedback_url": receiver_url + "/aps/direct"}],
              "paybylink": {"subscription_keys": [SUBSCRIPTION]}}
    path = os.path.join(tempfile.mkdtemp(prefix="console-test-"), "config.json")
    with open(path, "w") as file:
        json.dump(config, file)
    process = subprocess.Popen([binary, "serve", "--port", "0", "--seed", "11", "--config", path], stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if "listening on " not in line:
        raise SystemExit(f"sandbox did not start: {line!r}")
    return process, line.split("listening on ", 1)[1].split()[0]


def call(base, method, path, body=None, headers=None):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request) as reply:
            text = reply.read()
    except urllib.error.HTTPError as error:
        text = error.read()
    return json.loads(text) if text.strip().startswith(b"{") else text


def aps(base, params, signed=True):
    params = {"access_code": ACCESS_CODE, "merchant_identifier": MERCHANT, **params}
    if signed:
        params["signature"] = sign(params, REQUEST_PHRASE)
    return call(base, "POST", "/FortAPI/paymentApi", params)


def set_up(base):
    """A paid, partly captured and refunded link; a 008; PayByLink requests and a batch."""
    expiry = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400))
    link = aps(base, {"service_command": "PAYMENT_LINK", "merchant_reference": "console-1", "amount": "125000", "currency": "SAR",
                      "language": "en", "customer_email": "sara@example.com", "customer_name": "Sara Ahmed",
                      "customer_phone": "00966500000001", "order_description": "Invoice 1024", "notification_type": "EMAIL,SMS",
                      "link_command": "AUTHORIZATION", "request_expiry_date": expiry})
    check(link.get("response_code") == "48000", f"link {link.get('payment_link_id')} created, customer notified by e-mail and SMS")
    link_id = link["payment_link_id"]
    paid = call(base, "POST", f"/__sandbox/links/{link_id}/pay", {"card_number": "4005550000000001", "card_holder_name": "Sara Ahmed"})
    fort_id = paid["fort_id"]
    capture = aps(base, {"command": "CAPTURE", "fort_id": fort_id, "amount": "100000", "currency": "SAR", "language": "en",
                         "maintenance_reference": "capture-1"})
    refund = aps(base, {"command": "REFUND", "fort_id": fort_id, "amount": "30000", "currency": "SAR", "language": "en"})
    check(capture.get("response_code") == "04000" and refund.get("response_code") == "06000", "captured 1,000.00 and refunded 300.00")
    refused = aps(base, {"query_command": "CHECK_PAYMENT_LINK_STATUS", "payment_link_id": link_id, "signature": "0" * 64}, signed=False)
    check(refused.get("response_code", "").endswith("008"), "a badly signed request was refused with 008")
    headers = {"Ocp-Apim-Subscription-Key": SUBSCRIPTION}
    for n, name in [(1, "Jane"), (2, "Omar")]:
        made = call(base, "POST", "/paybylink/v1/requests", {
            "ClientTransactionRef": f"pbl-{n}", "AccountReference": "ACC-100", "Amount": 125.50 * n, "Reason": "Rent arrears",
            "Customer": {"FirstName": name, "LastName": "Smith", "MobileNumber": f"0770090012{n}", "Email": f"{name.lower()}@example.com"}}, headers)
        check("RequestId" in made, f"PayByLink request {made.get('RequestId')} created")
    batch = call(base, "POST", "/paybylink/v1/batches", {"FileName": "march.csv"}, headers)
    upload = batch["UploadUrl"][len(base):]
    csv = ("ClientTransactionRef,AccountReference,Amount,Reason,FirstName,LastName,MobileNumber\n"
           "b-1,ACC-7,10.00,Rent,Ann,Lee,07700900001\nb-2,ACC-8,0,Rent,Bob,,123\n").encode()
    call(base, "PUT", upload, csv, {"Content-Type": "text/csv", "x-ms-blob-type": "BlockBlob"})
    call(base, "POST", f"/paybylink/v1/batches/{batch['BatchId']}/confirm", b"", headers)
    call(base, "POST", "/__sandbox/settle", b"")
    return link_id, fort_id, batch["BatchId"]


def main():
    args = arguments()
    shots = lambda name: os.path.join(args.screenshots, name)

    receiver, receiver_url = serve_locally(Receiver)
    sandbox, base = start_sandbox(args.binary, receiver_url)
    try:
        print("4. The developer console")
        link_id, fort_id, batch_id = set_up(base)
        driver = browser(javascript=True)
        try:
            driver.get(base + "/dashboard")
            nav = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "nav.console a")]
            check(nav == ["Outbox", "Deliveries", "Journal", "Signatures", "PayByLink"], f"the console's navigation: {nav}")
            driver.find_element(By.LINK_TEXT, "Outbox").click()
            full_screenshot(driver, shots("console-1-outbox.png"))
            email = [e for e in driver.find_elements(By.CSS_SELECTOR, "article.email") if "console-1" in e.text][0]
            check("Payment request console-1" in email.text and "sara@example.com" in email.text, "the e-mail shows its subject and recipient")
            check(email.find_element(By.CSS_SELECTOR, ".body a").get_attribute("href").startswith(base + "/pay/"), "the e-mail's payment link is a link")
            bubbles = [b.text for b in driver.find_elements(By.CSS_SELECTOR, "article.sms .bubble")]
            check(any("payment request of 1,250.00 SAR" in b for b in bubbles), "the link's SMS is a bubble, like PayByLink's")

            driver.find_element(By.LINK_TEXT, "Deliveries").click()
            cards = driver.find_elements(By.CSS_SELECTOR, "section.record")
            check(len(cards) >= 3, f"{len(cards)} deliveries: the payment's direct feedback, the capture's and the refund's notifications")
            check("HTTP 200 (acknowledged)" in driver.page_source, "each attempt shows the merchant's answer")
            full_screenshot(driver, shots("console-2-deliveries.png"))
            before = len(Receiver.received)
            cards[-1].find_element(By.CSS_SELECTOR, "form.inline button").click()
            WebDriverWait(driver, 10).until(lambda d: "Queued as delivery" in d.page_source)
            call(base, "POST", "/__sandbox/settle", b"")
            check(len(Receiver.received) == before + 1 and Receiver.received[-1] == Receiver.received[0],
                  "Resend posted the first delivery's payload again, signature and all")
            driver.refresh()
            full_screenshot(driver, shots("console-3-resent.png"))

            driver.find_element(By.LINK_TEXT, "Journal").click()
            refused = [e for e in driver.find_elements(By.CSS_SELECTOR, "details.entry") if "Signature mismatch" in e.get_attribute("innerHTML")]
            check(len(refused) == 1, "the journal shows the 008 entry")
            refused[0].find_element(By.TAG_NAME, "summary").click()
            full_screenshot(driver, shots("console-4-journal.png"))
            refused[0].find_element(By.LINK_TEXT, "Open in the signature debugger").click()
            WebDriverWait(driver, 10).until(lambda d: "Signature debugger" in d.title)
            check("does NOT match" in driver.find_element(By.CSS_SELECTOR, ".verdict").text, "the debugger, filled in, says the signature does not match")
            check(REQUEST_PHRASE not in driver.page_source, "the phrase is not shown")
            expected = driver.find_element(By.CSS_SELECTOR, "code.expected").text
            full_screenshot(driver, shots("console-5-signature-mismatch.png"))
            field = driver.find_element(By.NAME, "signature")
            field.clear()
            field.send_keys(expected)
            driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()
            WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".verdict"))
            check("matches" in driver.find_element(By.CSS_SELECTOR, ".verdict").text, "with the expected signature it matches")
            full_screenshot(driver, shots("console-6-signature-match.png"))

            driver.get(base + f"/dashboard/links/{link_id}")
            order = driver.find_element(By.ID, "order")
            check(order.text == "Order" and fort_id in driver.find_element(By.CSS_SELECTOR, "code.fort-id").text, f"the link's page shows order {fort_id}")
            operations = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "table.operations tbody tr")]
            check(len(operations) == 3 and "CAPTURE" in operations[1] and "capture-1" in operations[1] and "REFUND" in operations[2],
                  f"the order's operations: {operations}")
            full_screenshot(driver, shots("console-7-order.png"))

            driver.find_element(By.LINK_TEXT, "PayByLink").click()
            rows = driver.find_elements(By.CSS_SELECTOR, "table tbody tr")
            check(len(rows) == 3, f"{len(rows)} PayByLink requests listed: two posted, one from the batch (its other line failed)")
            full_screenshot(driver, shots("console-8-paybylink.png"))
            rows[-1].find_element(By.TAG_NAME, "a").click()
            WebDriverWait(driver, 10).until(lambda d: "PayByLink request" in d.title)
            check("Status history" in driver.page_source and driver.find_elements(By.CSS_SELECTOR, "table.links a"), "a request shows its history and links")
            full_screenshot(driver, shots("console-9-request.png"))
            driver.find_element(By.LINK_TEXT, "Batches").click()
            driver.find_element(By.LINK_TEXT, batch_id).click()
            WebDriverWait(driver, 10).until(lambda d: "PayByLink batch" in d.title)
            failures = driver.find_elements(By.CSS_SELECTOR, "table.failures tbody tr")
            check(len(failures) == 1 and "b-2" in failures[0].text and "Amount" in failures[0].text, "the batch shows its failed line and why")
            full_screenshot(driver, shots("console-10-batch.png"))
        finally:
            driver.quit()
        print(f"console browser test passed; screenshots in {args.screenshots}")
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
        receiver.shutdown()


if __name__ == "__main__":
    run(main)
