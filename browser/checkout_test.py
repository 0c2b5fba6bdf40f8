#!/usr/bin/env python3
"""A customer pays PayLinkSandbox links in a real browser (Debian's chromium, driven by Selenium).

1. JavaScript on, English: open the link, pay with a 3-D Secure test card, answer the challenge,
   and land (by the self-submitting feedback form) on the merchant's return URL, where the
   signature is checked with hashlib.
2. JavaScript off, Arabic: the page is right to left, the unticked terms box is refused on the
   page, a good card pays, and the Continue button posts the feedback.
3. The paid link shows its state and no form.
Screenshots of every step go to --screenshots. Exits non-zero on the first failure.
"""
import argparse
import hashlib
import http.server
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

REQUEST_PHRASE, RESPONSE_PHRASE = "request-secret", "response-secret"
ACCESS_CODE, MERCHANT = "zx0IPmPy5jp1vAz8Kpg7", "CycHZxVj"


def sign(params, phrase):
    text = phrase + "".join(f"{k}={params[k]}" for k in sorted(params) if k != "signature") + phrase
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class MerchantReturn(http.server.BaseHTTPRequestHandler):
    """The merchant's return URL: checks the feedback's signature like an integration would."""
    received = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("utf-8"), keep_blank_values=True))
        verified = form.get("signature") == sign(form, RESPONSE_PHRASE)
        MerchantReturn.received.append((form, verified))
        body = f'<html><body><h1 id="result">{"verified" if verified else "bad signature"}</h1>' \
               f'<p id="code">{form.get("response_code", "")}</p></body></html>'.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def start_sandbox(binary):
    process = subprocess.Popen([binary, "serve", "--port", "0", "--seed", "7"], stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if "listening on " not in line:
        raise SystemExit(f"sandbox did not start: {line!r}")
    return process, line.split("listening on ", 1)[1].split()[0]


def create_link(base, reference, **fields):
    params = {"service_command": "PAYMENT_LINK", "access_code": ACCESS_CODE, "merchant_identifier": MERCHANT,
              "merchant_reference": reference, "amount": "125000", "currency": "SAR", "language": "en",
              "customer_email": "customer@example.com", "customer_name": "Sara Ahmed",
              "order_description": "Invoice 1024", "notification_type": "NONE",
              "request_expiry_date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400))}
    params.update(fields)
    params["signature"] = sign(params, REQUEST_PHRASE)
    request = urllib.request.Request(base + "/FortAPI/paymentApi", data=json.dumps(params).encode(),
                                     headers={"Content-Type": "application/json"})
    reply = json.load(urllib.request.urlopen(request))
    if reply.get("response_code") != "48000":
        raise SystemExit(f"PAYMENT_LINK failed: {reply}")
    return reply["payment_link_id"], reply["payment_link"]


def link_state(base, link_id):
    return json.load(urllib.request.urlopen(f"{base}/__sandbox/links/{link_id}"))["payment_link_status"]


def browser(javascript):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=900,1400", "--lang=en-US"]:
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print(f"  ok: {message}")


def full_screenshot(driver, path):
    """The whole page, not just the viewport: the viewport is made as tall as the page."""
    height = driver.execute_script("return Math.max(document.documentElement.scrollHeight, 900)")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 900, "height": height, "deviceScaleFactor": 1, "mobile": False})
    driver.save_screenshot(path)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def fill(driver, values):
    for name, value in values.items():
        field = driver.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)


def arguments():
    """Every browser test's options: the sandbox binary and where the screenshots go."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--screenshots", required=True)
    return parser.parse_args()


def serve_locally(handler):
    """An HTTP server for `handler` on a free local port, in a daemon thread: it and its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def run(main):
    """Runs a test's main: a failed check prints FAILED and exits 1."""
    try:
        main()
    except AssertionError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        sys.exit(1)


def main():
    args = arguments()
    shots = lambda name: os.path.join(args.screenshots, name)

    receiver, receiver_url = serve_locally(MerchantReturn)
    return_url = receiver_url + "/aps/return"
    sandbox, base = start_sandbox(args.binary)
    try:
        print("1. JavaScript on, English, 3-D Secure card")
        link_id, url = create_link(base, "browser-en", return_url=return_url)
        driver = browser(javascript=True)
        try:
            driver.get(url)
            check(driver.find_element(By.CSS_SELECTOR, "[data-testid=amount]").text == "1,250.00 SAR", "amount shown as 1,250.00 SAR")
            check(driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == "ltr", "English page is left to right")
            full_screenshot(driver, shots("en-1-form.png"))
            driver.find_element(By.CSS_SELECTOR, "input[name=payment_option][value=VISA]").click()
            fill(driver, {"card_number": "4557012345678902", "expiry_date": "3005", "card_security_code": "123",
                          "card_holder_name": "Sara Ahmed"})
            driver.find_element(By.NAME, "agree_terms").click()
            driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            WebDriverWait(driver, 10).until(lambda d: "3-D Secure" in d.page_source)
            full_screenshot(driver, shots("en-2-3ds-challenge.png"))
            fill(driver, {"code": "1234"})
            driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            WebDriverWait(driver, 10).until(lambda d: d.current_url.startswith(return_url))
            check(driver.find_element(By.ID, "result").text == "verified", "landed on the return URL with a signature that verifies")
            form, verified = MerchantReturn.received[-1]
            check(verified and form["response_code"] == "14000" and form["payment_link_id"] == link_id,
                  f"feedback says 14000 for {link_id}, card {form.get('card_number')}")
            check(link_state(base, link_id) == "Paid", "the link is Paid")
            driver.get(url)
            check(not driver.find_elements(By.TAG_NAME, "form"), "the paid link shows no form")
            full_screenshot(driver, shots("en-3-paid.png"))
        finally:
            driver.quit()

        print("2. JavaScript off, Arabic, terms box then a good card")
        link_id, url = create_link(base, "browser-ar", language="ar", return_url=return_url)
        driver = browser(javascript=False)
        try:
            driver.get(url)
            html = driver.find_element(By.TAG_NAME, "html")
            check(html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ar", "Arabic page is right to left")
            full_screenshot(driver, shots("ar-1-form.png"))
            fill(driver, {"card_number": "4005550000000001", "expiry_date": "3005", "card_security_code": "123",
                          "card_holder_name": "سارة أحمد"})
            driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".errors"))
            check("الشروط والأحكام" in driver.find_element(By.CSS_SELECTOR, ".errors").text, "unticked terms refused on the page")
            check(link_state(base, link_id) == "Open", "nothing charged")
            full_screenshot(driver, shots("ar-2-terms-error.png"))
            # The re-shown form keeps the expiry and name but never the card number or security code.
            check(driver.find_element(By.NAME, "card_number").get_attribute("value") == "", "the card number is not shown again")
            fill(driver, {"card_number": "4005550000000001", "card_security_code": "123"})
            driver.find_element(By.NAME, "agree_terms").click()
            driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "feedback"))
            full_screenshot(driver, shots("ar-3-feedback-nojs.png"))
            driver.find_element(By.CSS_SELECTOR, "#feedback button").click()
            WebDriverWait(driver, 10).until(lambda d: d.current_url.startswith(return_url))
            check(driver.find_element(By.ID, "result").text == "verified", "Continue posted feedback with a signature that verifies")
            check(MerchantReturn.received[-1][0]["card_holder_name"] == "سارة أحمد", "Arabic card holder name survives the round trip")
            check(link_state(base, link_id) == "Paid", "the Arabic link is Paid")
        finally:
            driver.quit()
        print("3. The dashboard: generate a link with the form, close it, find it by search")
        driver = browser(javascript=True)
        try:
            driver.get(base + "/dashboard/links/new")
            fill(driver, {"merchant_reference": "dash-browser-1", "amount": "1250.50", "currency": "SAR",
                          "customer_email": "sara@example.com", "customer_name": "Sara Ahmed"})
            # A date-time field's typing order depends on the browser's locale: set its value directly.
            driver.execute_script("document.querySelector('[name=request_expiry_date]').value = arguments[0]",
                                  time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() + 7 * 86400)))
            full_screenshot(driver, shots("dashboard-1-generate.png"))
            driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            WebDriverWait(driver, 10).until(lambda d: "Payment link generated." in d.page_source)
            link_id = driver.current_url.split("/dashboard/links/", 1)[1].split("?", 1)[0]
            check(link_state(base, link_id) == "Open", f"the form generated link {link_id}, Open")
            check("1,250.50 SAR" in driver.page_source, "its page shows 1,250.50 SAR")
            driver.find_element(By.NAME, "close").click()
            driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()
            WebDriverWait(driver, 10).until(lambda d: "Link closed." in d.page_source)
            check(link_state(base, link_id) == "Closed", "ticking Close and saving closed it")
            full_screenshot(driver, shots("dashboard-2-closed.png"))
            driver.get(base + "/dashboard")
            driver.find_element(By.CSS_SELECTOR, "select[name=payment_link_status] option[value=Closed]").click()
            driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
            WebDriverWait(driver, 10).until(lambda d: "payment_link_status=Closed" in d.current_url)
            rows = driver.find_elements(By.CSS_SELECTOR, "table tbody tr")
            check(len(rows) == 1 and link_id in rows[0].text, "searching for Closed links finds exactly that one")
            exports = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".exports a")]
            check(len(exports) == 4 and all("payment_link_status=Closed" in href for href in exports), "the four exports carry the search")
            full_screenshot(driver, shots("dashboard-3-search.png"))
        finally:
            driver.quit()
        print(f"browser test passed; screenshots in {args.screenshots}")
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
        receiver.shutdown()


if __name__ == "__main__":
    run(main)
