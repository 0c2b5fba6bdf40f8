"""Pays a checkout form as a browser would, for the SDK drivers.

Reads {"action": URL, "fields": {...}, "card": {...}} on stdin: the form an SDK built (its action
and hidden fields). Posts it, then on each page answered: fills and posts the payment form (the
one with `card_number`), answers a 3-D Secure challenge, submits a form that submits itself, and
stops at the form that returns to the merchant (`id="feedback"`, posting to return_url). Prints
{"outcome": "returned", "fields": {...}} with the fields posted back to return_url, or
{"outcome": "stopped", "status": HTTP status, "url": ..., "excerpt": ...} when it gets stuck.
Standard library only; `--cafile` trusts a local CA for https:// (the HTTPS front)."""

import argparse, html.parser, http.cookiejar, json, re, ssl, sys, urllib.error, urllib.parse, urllib.request


class Forms(html.parser.HTMLParser):
    """Every <form> with its attributes and its <input>s."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append({"attrs": attributes, "inputs": []})
        elif tag in ("input", "select", "textarea") and self.forms:
            self.forms[-1]["inputs"].append(attributes)


def scheme_of(number):
    return {"4": "VISA", "5": "MASTERCARD", "2": "MASTERCARD", "3": "AMEX"}.get(number[:1], "VISA")


def fill_payment_form(form, card):
    """The payment form's fields as a customer fills them: the card, its scheme, the terms box."""
    fields, options = {}, []
    for field in form["inputs"]:
        name, kind = field.get("name"), field.get("type", "text")
        if not name:
            continue
        if kind == "radio":
            options.append(field)
        elif kind == "checkbox":
            fields[name] = field.get("value") or "on"
        elif kind == "hidden":
            fields[name] = field.get("value", "")
        elif name in card:
            fields[name] = card[name]
        elif name == "card_holder_name":
            fields[name] = "SDK Driver"
    for extra in ("installment_plan_code", "plan_code", "issuer_code"):
        if extra in card:
            fields[extra] = card[extra]
    if options:
        wanted = card.get("payment_option") or scheme_of(card.get("card_number", "4"))
        chosen = next((o for o in options if o.get("value") == wanted), None)
        chosen = chosen or next((o for o in options if "checked" in o), options[0])
        fields[chosen["name"]] = chosen.get("value", "")
    return fields


def hidden_fields(form):
    return {f["name"]: f.get("value", "") for f in form["inputs"] if f.get("name") and f.get("type", "text") != "submit"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cafile")
    args = parser.parse_args()
    request = json.load(sys.stdin)
    card = {"card_number": "4005550000000001", "expiry_date": "3005", "card_security_code": "123", "3ds_code": "1234"}
    card.update(request.get("card", {}))

    context = ssl.create_default_context(cafile=args.cafile) if args.cafile else None
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context),
                                         urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    url, fields = request["action"], request["fields"]
    filled = 0  # payment forms filled so far: one shown again after filling is a refusal
    for _ in range(8):
        body = urllib.parse.urlencode(fields).encode()
        try:
            answer = opener.open(urllib.request.Request(url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}), timeout=15)
            status, page, url = answer.status, answer.read().decode("utf-8", "replace"), answer.geturl()
        except urllib.error.HTTPError as error:
            status, page = error.code, error.read().decode("utf-8", "replace")
        parsed = Forms()
        parsed.feed(page)
        # The link page ends on form "feedback", the paymentPage flows on form "return".
        feedback = next((f for f in parsed.forms if f["attrs"].get("id") in ("feedback", "return")), None)
        if feedback is not None:
            print(json.dumps({"outcome": "returned", "return_url": feedback["attrs"].get("action"), "fields": hidden_fields(feedback)}))
            return
        payment = next((f for f in parsed.forms if any(i.get("name") == "card_number" for i in f["inputs"])), None)
        challenge = next((f for f in parsed.forms if any(i.get("name") == "verification_id" for i in f["inputs"])), None)
        if payment is not None and filled < 2:
            # A form shown again with its problems (422) is filled again once.
            filled += 1
            form, fields = payment, fill_payment_form(payment, card)
        elif status == 200 and challenge is not None:
            form, fields = challenge, hidden_fields(challenge)
            for field in challenge["inputs"]:
                if field.get("type", "text") == "text" and field.get("name"):
                    fields[field["name"]] = card["3ds_code"]
        elif status == 200 and len(parsed.forms) == 1 and parsed.forms[0]["attrs"].get("action"):
            form, fields = parsed.forms[0], hidden_fields(parsed.forms[0])
            # The installment plan page: the first plan offered (not paying in full).
            plans = [i for i in form["inputs"] if i.get("type") == "radio" and i.get("value") != "FULL"]
            if plans:
                fields[plans[0]["name"]] = plans[0].get("value", "")
        else:
            text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).strip()
            print(json.dumps({"outcome": "stopped", "status": status, "url": url, "excerpt": text[:300]}))
            return
        url = urllib.parse.urljoin(url, form["attrs"].get("action") or url)
    print(json.dumps({"outcome": "stopped", "status": 0, "url": url, "excerpt": "too many pages"}))


if __name__ == "__main__":
    main()
