#!/usr/bin/env python3
"""Tamara, Tabby and STC Pay on PayLinkSandbox's hosted checkout, in a real browser.

The merchant server of browser/hosted_checkout_test.py serves the signed redirect form and the
return_url page, which checks response_code and the signature with the response phrase.

1. Tamara, English: payment_option=TAMARA goes straight to the simulated Tamara checkout; sign in
   with the documented password, enter the OTP, see the 3-payment schedule, approve: 14000.
2. Tamara, Arabic: no payment_option; the hosted checkout's page offers Tamara by name beside
   the cards; choosing it leads to the same steps, right to left: 14000.
3. Tabby, English and Arabic: sign in with Tabby's test e-mail, OTP, the 4-payment schedule,
   then cancel: 00072 ("cancelled by the consumer").
4. STC Pay, English: the page's STC Pay option, a mobile number, the OTP: 14000 with
   digital_wallet=STCPAY.
5. A payment link's page in English and Arabic offers Tabby by name.
Screenshots of every page go to --screenshots (bnpl-*.png, stc-*.png). Exits non-zero on the
first failure.
"""
import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from checkout_test import arguments, browser, check, create_link, fill, full_screenshot, run, serve_locally, start_sandbox
from hosted_checkout_test import Merchant, prepare, returned, submit

TAMARA_PASSWORD, TAMARA_OTP = "tamara123", "123456"
TABBY_EMAIL, TABBY_OTP = "otp.success@tabby.ai", "8888"
STC_OTP = "1234"


def wait_for(driver, css):
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, css))
    return driver.find_element(By.CSS_SELECTOR, css)


def click(driver, css):
    driver.find_element(By.CSS_SELECTOR, css).click()


def provider_page(driver, provider, language):
    """Checks what every simulated checkout page shows: the banner, the direction, the amount."""
    banner = wait_for(driver, "[data-testid=provider-banner]").text
    expected = {"en": f"Simulated {provider} checkout (PayLinkSandbox)", "ar": f"صفحة دفع {provider} محاكاة (PayLinkSandbox)"}
    check(expected[language] in banner, f"the {language} {provider} page is marked as the sandbox's simulation")
    check(driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr"),
          f"the {language} page's direction")
    check(driver.find_element(By.CSS_SELECTOR, "[data-testid=amount]").text == "1,250.00 SAR", "amount 1,250.00 SAR")


def sign_in_and_verify(driver, provider, language, shot):
    """Sign-in page, OTP page, schedule page; returns with the schedule shown."""
    provider_page(driver, provider, language)
    check(driver.find_element(By.CSS_SELECTOR, "[data-testid=test-credentials]").is_displayed(), "the test credentials are listed")
    if provider == "Tamara":
        check(driver.find_element(By.NAME, "phone_number").get_attribute("value") == "+966500000001", "the order's phone is filled in")
        fill(driver, {"password": TAMARA_PASSWORD})
    else:
        fill(driver, {"email": TABBY_EMAIL})
    full_screenshot(driver, shot("1-signin"))
    submit(driver)
    wait_for(driver, "input[name=otp]")
    provider_page(driver, provider, language)
    fill(driver, {"otp": TAMARA_OTP if provider == "Tamara" else TABBY_OTP})
    full_screenshot(driver, shot("2-otp"))
    submit(driver)
    schedule = wait_for(driver, "[data-testid=schedule]")
    rows = schedule.find_elements(By.CSS_SELECTOR, "tr")[1:]
    count = 3 if provider == "Tamara" else 4
    check(len(rows) == count, f"{provider}'s schedule has {count} payments")
    first = "416.68 SAR" if provider == "Tamara" else "312.50 SAR"
    check(first in rows[0].text, f"the first payment is {first}")
    full_screenshot(driver, shot("3-schedule"))


def start(driver, home, name):
    driver.get(f"{home}/start/{name}")
    submit(driver)


def main():
    args = arguments()
    shots = lambda name: os.path.join(args.screenshots, name)

    merchant, home = serve_locally(Merchant)
    return_url = home + "/return"
    sandbox, Merchant.sandbox = start_sandbox(args.binary)
    driver = browser(javascript=True)
    bnpl_fields = {"phone_number": "+966500000001", "order_description": "Order 2048"}
    try:
        print("1. Tamara, English: payment_option=TAMARA, sign in, OTP, schedule, approve")
        prepare("tamara-en", return_url, "bnpl-tamara-en", payment_option="TAMARA", **bnpl_fields)
        start(driver, home, "tamara-en")
        sign_in_and_verify(driver, "Tamara", "en", lambda step: shots(f"bnpl-tamara-en-{step}.png"))
        click(driver, "button[value=approve]")
        form = returned(driver, return_url, shots("bnpl-tamara-en-4-return.png"))
        check(form.get("payment_option") == "TAMARA" and form.get("merchant_reference") == "bnpl-tamara-en",
              "the return names TAMARA and the reference")

        print("2. Tamara, Arabic: chosen on the hosted checkout's page")
        prepare("tamara-ar", return_url, "bnpl-tamara-ar", language="ar", **bnpl_fields)
        start(driver, home, "tamara-ar")
        option = wait_for(driver, "input[name=payment_option][value=TAMARA]")
        labels = driver.find_element(By.CSS_SELECTOR, ".options").text
        check("تمارا" in labels and "تابي" in labels and "TAMARA" not in labels, "the Arabic page names Tamara and Tabby")
        full_screenshot(driver, shots("bnpl-tamara-ar-0-choose.png"))
        option.click()
        click(driver, "input[name=agree_terms]")
        submit(driver)
        sign_in_and_verify(driver, "Tamara", "ar", lambda step: shots(f"bnpl-tamara-ar-{step}.png"))
        click(driver, "button[value=approve]")
        form = returned(driver, return_url, shots("bnpl-tamara-ar-4-return.png"))
        check(form.get("payment_option") == "TAMARA", "the Arabic return names TAMARA")

        for step, language in [("3", "en"), ("3b", "ar")]:
            print(f"{step}. Tabby, {language}: sign in, OTP, schedule, cancel")
            prepare(f"tabby-{language}", return_url, f"bnpl-tabby-{language}", language=language, payment_option="TABBY", **bnpl_fields)
            start(driver, home, f"tabby-{language}")
            sign_in_and_verify(driver, "Tabby", language, lambda name: shots(f"bnpl-tabby-{language}-{name}.png"))
            click(driver, "button[value=cancel]")
            form = returned(driver, return_url, shots(f"bnpl-tabby-{language}-4-return.png"), code="00072")
            check(form.get("payment_option") == "TABBY", "the cancellation names TABBY")

        print("4. STC Pay, English: mobile number and OTP on the hosted checkout")
        prepare("stcpay", return_url, "bnpl-stcpay")
        start(driver, home, "stcpay")
        option = wait_for(driver, "input[name=payment_option][value=STCPAY]")
        labels = driver.find_element(By.CSS_SELECTOR, ".options").text
        check("STC Pay" in labels and "Visa Checkout" in labels and "Tamara" not in labels,
              "the page names the wallets (no Tamara without phone_number)")
        option.click()
        fill(driver, {"phone_number": "0500000001"})
        click(driver, "input[name=agree_terms]")
        full_screenshot(driver, shots("stc-en-1-form.png"))
        submit(driver)
        wait_for(driver, "input[name=otp]")
        fill(driver, {"otp": STC_OTP})
        full_screenshot(driver, shots("stc-en-2-otp.png"))
        submit(driver)
        form = returned(driver, return_url, shots("stc-en-3-return.png"))
        check(form.get("digital_wallet") == "STCPAY" and form.get("payment_option") == "STCPAY", "the return says STC Pay")

        print("5. A payment link's page names Tabby")
        for language, name in [("en", "Tabby"), ("ar", "تابي")]:
            _, url = create_link(Merchant.sandbox, f"bnpl-link-{language}", language=language,
                                 customer_phone="0501234567")
            driver.get(url)
            labels = wait_for(driver, ".options").text
            check(name in labels and "TABBY" not in labels, f"the {language} link page names Tabby")
            full_screenshot(driver, shots(f"bnpl-link-{language}.png"))
        print(f"BNPL and STC Pay browser test passed; screenshots in {args.screenshots}")
    finally:
        driver.quit()
        sandbox.terminate()
        sandbox.wait(timeout=10)
        merchant.shutdown()


if __name__ == "__main__":
    run(main)
