"""A signed APS PAYMENT_LINK request for the demo merchant, written here with Python's own
hashlib, so the scripts under scripts/ check the sandbox against an independent signer.

APS's signature: SHA-256 over the request phrase, every parameter but `signature` sorted by
name as name=value, and the phrase again (the demo merchant uses SHA-256)."""

import hashlib

MERCHANT = "CycHZxVj"
ACCESS_CODE = "zx0IPmPy5jp1vAz8Kpg7"
REQUEST_PHRASE = "request-secret"
RESPONSE_PHRASE = "response-secret"


def signature(fields, phrase):
    pairs = "".join(f"{name}={fields[name]}" for name in sorted(fields) if name != "signature")
    return hashlib.sha256((phrase + pairs + phrase).encode()).hexdigest()


def payment_link(reference):
    """The body of a PAYMENT_LINK request, signed with the demo merchant's request phrase."""
    fields = {
        "service_command": "PAYMENT_LINK", "access_code": ACCESS_CODE, "merchant_identifier": MERCHANT,
        "merchant_reference": reference, "amount": "125000", "currency": "SAR", "language": "en",
        "customer_email": "customer@example.com", "request_expiry_date": "2099-01-01T00:00:00+03:00",
        "notification_type": "NONE",
    }
    fields["signature"] = signature(fields, REQUEST_PHRASE)
    return fields


def check_reply(reply):
    """Raises unless `reply` is a created link whose response signature verifies."""
    if reply.get("response_code") != "48000" or not reply.get("payment_link"):
        raise AssertionError(f"PAYMENT_LINK did not create a link: {reply}")
    expected = signature(reply, RESPONSE_PHRASE)
    if reply.get("signature", "").lower() != expected:
        raise AssertionError(f"response signature {reply.get('signature')} is not {expected}")
