#!/usr/bin/env python3
"""A customer pays PayLinkSandbox's hosted checkout (POST /FortAPI/paymentPage) in a real browser.

A small merchant server of the test's own serves the merchant's redirect form (signed with the
request phrase, as the PHP SDK's redirect.html posts it) and the return_url, a page that shows
what it received and whether its signature verifies with the response phrase.

1. English, 3-D Secure card: form, challenge, return page with 14000 and a good signature.
2. Arabic, 3-D Secure card: the same, the pages right to left.
3. Installments (STANDALONE, 1,500.00 SAR): card, the plan page, a 6-month plan, challenge,
   and the return page carries number_of_installments, plan_code and issuer_code; then in
   Arabic (HOSTED, so "pay in full" is offered too) with an American Express card.
4. remember_me: the "save this card" box ticked, the return carries token_name; a second
   paymentPage request with that token_name shows the saved card, asks only its security code,
   and pays.
Screenshots of every page go to --screenshots (hc-*.png). Exits non-zero on the first failure.
"""
import html
import http.server
import os
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from checkout_test import ACCESS_CODE, MERCHANT, REQUEST_PHRASE, RESPONSE_PHRASE, arguments, browser, check, fill, full_screenshot, \
    run, serve_locally, sign, start_sandbox


class Merchant(http.server.BaseHTTPRequestHandler):
    """GET /start/<name>: the merchant's redirect form for a prepared request (a button posts it
    to the sandbox); POST /return: the return_url, listing what arrived."""
    sandbox = ""
    requests = {}
    received = []

    def do_GET(self):
        name = self.path.rsplit("/", 1)[-1]
        if not self.path.startswith("/start/") or name not in Merchant.requests:
            self.send_error(404)
            return
        fields = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                         for k, v in Merchant.requests[name].items())
        self.answer(f'<html><body><h1>Merchant checkout</h1><form id="redirect" method="post" '
                    f'action="{Merchant.sandbox}/FortAPI/paymentPage">{fields}<button type="submit">Pay</button>'
                    f'</form></body></html>')

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("utf-8"), keep_blank_values=True))
        verified = form.get("signature") == sign(form, RESPONSE_PHRASE)
        Merchant.received.append((form, verified))
        rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in form.items())
        self.answer(f'<html><body><h1 id="result">{"verified" if verified else "bad signature"}</h1>'
                    f'<p id="code">{html.escape(form.get("response_code", ""))}</p><table>{rows}</table></body></html>')

    def answer(self, text):
        body = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def prepare(name, return_url, reference, language="en", amount="125000", **extra):
    params = {"command": "PURCHASE", "access_code": ACCESS_CODE, "merchant_identifier": MERCHANT,
              "merchant_reference": reference, "amount": amount, "currency": "SAR", "language": language,
              "customer_email": "customer@example.com", "customer_name": "Sara Ahmed",
              "order_description": "Order 2048", "return_url": return_url}
    params.update(extra)
    params["signature"] = sign(params, REQUEST_PHRASE)
    Merchant.requests[name] = params


def submit(driver):
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def pay_card(driver, number, shot, remember=False):
    code = "1234" if len(number) == 15 else "123"
    fill(driver, {"card_number": number, "expiry_date": "3005", "card_security_code": code, "card_holder_name": "Sara Ahmed"})
    if remember and not driver.find_element(By.NAME, "remember_me").is_selected():
        driver.find_element(By.NAME, "remember_me").click()
    driver.find_element(By.NAME, "agree_terms").click()
    full_screenshot(driver, shot)
    submit(driver)


def answer_challenge(driver, shot):
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.NAME, "code"))
    full_screenshot(driver, shot)
    fill(driver, {"code": "1234"})
    submit(driver)


def returned(driver, return_url, shot, code="14000"):
    WebDriverWait(driver, 10).until(lambda d: d.current_url.startswith(return_url))
    full_screenshot(driver, shot)
    form, verified = Merchant.received[-1]
    check(verified and driver.find_element(By.ID, "result").text == "verified", "the return page's signature verifies")
    check(form.get("response_code") == code, f"response_code {form.get('response_code')} (expected {code})")
    return form


def main():
    args = arguments()
    shots = lambda name: os.path.join(args.screenshots, name)

    merchant, home = serve_locally(Merchant)
    return_url = home + "/return"
    sandbox, Merchant.sandbox = start_sandbox(args.binary)
    driver = browser(javascript=True)
    try:
        for step, language in [(1, "en"), (2, "ar")]:
            print(f"{step}. Hosted checkout, {language}, 3-D Secure card")
            prepare(f"3ds-{language}", return_url, f"hc-browser-{language}", language=language)
            driver.get(f"{home}/start/3ds-{language}")
            submit(driver)
            WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.NAME, "card_number"))
            page = driver.find_element(By.TAG_NAME, "html")
            check(page.get_attribute("dir") == ("rtl" if language == "ar" else "ltr"), f"the {language} page's direction")
            check(driver.find_element(By.CSS_SELECTOR, "[data-testid=amount]").text == "1,250.00 SAR", "amount 1,250.00 SAR")
            pay_card(driver, "4557012345678902", shots(f"hc-{language}-1-form.png"))
            answer_challenge(driver, shots(f"hc-{language}-2-3ds.png"))
            form = returned(driver, return_url, shots(f"hc-{language}-3-return.png"))
            check(form["merchant_reference"] == f"hc-browser-{language}" and form["card_number"] == "455701******8902",
                  "the return carries the reference and the masked card")

        print("3. Installments: STANDALONE, 1,500.00 SAR, a 6-month plan")
        prepare("installments", return_url, "hc-browser-inst", amount="150000", installments="STANDALONE")
        driver.get(f"{home}/start/installments")
        submit(driver)
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.NAME, "card_number"))
        pay_card(driver, "4557012345678902", shots("hc-inst-1-form.png"))
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.NAME, "installment_plan"))
        plans = driver.find_element(By.CSS_SELECTOR, "[data-testid=plans]").text
        check("3 monthly payments of 508.33 SAR" in plans and "6 monthly payments of" in plans, "the plans are offered")
        full_screenshot(driver, shots("hc-inst-2-plans.png"))
        driver.find_element(By.CSS_SELECTOR, "input[name=installment_plan][value='SBXSA001/SAFLAT06']").click()
        submit(driver)
        answer_challenge(driver, shots("hc-inst-3-3ds.png"))
        form = returned(driver, return_url, shots("hc-inst-4-return.png"))
        check(form.get("number_of_installments") == "6" and form.get("plan_code") == "SAFLAT06"
              and form.get("issuer_code") == "SBXSA001" and form.get("amount") == "150000",
              "the return carries the plan, and the order's amount")

        print("3b. Installments in Arabic: HOSTED, an American Express card, a 3-month plan")
        prepare("installments-ar", return_url, "hc-browser-inst-ar", language="ar", amount="150000", installments="HOSTED")
        driver.get(f"{home}/start/installments-ar")
        submit(driver)
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.NAME, "card_number"))
        pay_card(driver, "345678000000007", shots("hc-inst-ar-1-form.png"))
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.NAME, "installment_plan"))
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl", "the Arabic plan page is right to left")
        check(driver.find_elements(By.CSS_SELECTOR, "input[name=installment_plan][value=FULL]"), "HOSTED offers paying in full")
        full_screenshot(driver, shots("hc-inst-ar-2-plans.png"))
        driver.find_element(By.CSS_SELECTOR, "input[name=installment_plan][value='SBXSA001/SAFIX003']").click()
        submit(driver)
        form = returned(driver, return_url, shots("hc-inst-ar-3-return.png"))
        check(form.get("number_of_installments") == "3" and form.get("installments") == "HOSTED", "the Arabic return carries the plan")

        print("4. remember_me, then a second checkout with the token")
        prepare("remember", return_url, "hc-browser-save", remember_me="YES")
        driver.get(f"{home}/start/remember")
        submit(driver)
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.NAME, "remember_me"))
        pay_card(driver, "4005550000000001", shots("hc-save-1-form.png"), remember=True)
        form = returned(driver, return_url, shots("hc-save-2-return.png"))
        token = form.get("token_name", "")
        check(len(token) == 32 and form.get("remember_me") == "YES", f"the card was saved as token {token}")
        prepare("token", return_url, "hc-browser-token", token_name=token)
        driver.get(f"{home}/start/token")
        submit(driver)
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=saved-card]"))
        check(driver.find_element(By.CSS_SELECTOR, "[data-testid=saved-card]").text == "400555******0001", "the saved card is shown")
        check(not driver.find_elements(By.NAME, "card_number"), "no card number is asked")
        fill(driver, {"card_security_code": "123"})
        driver.find_element(By.NAME, "agree_terms").click()
        full_screenshot(driver, shots("hc-token-1-form.png"))
        submit(driver)
        form = returned(driver, return_url, shots("hc-token-2-return.png"))
        check(form.get("token_name") == token and form.get("card_number") == "400555******0001", "paid with the token")
        print(f"hosted checkout browser test passed; screenshots in {args.screenshots}")
    finally:
        driver.quit()
        sandbox.terminate()
        sandbox.wait(timeout=10)
        merchant.shutdown()


if __name__ == "__main__":
    run(main)
