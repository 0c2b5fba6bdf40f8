"""Signing for APS FortAPI requests and responses, as the APS docs describe it.

Every parameter except `signature`, sorted by name, `name=value` joined with nothing, the SHA
phrase at both ends, hashed with SHA-256 (the demo merchant's `sha_type`). Requests are signed
with the request phrase; the sandbox signs its answers and feedback with the response phrase.
"""
import hashlib
import hmac

MERCHANT = {
    "merchant_identifier": "CycHZxVj",
    "access_code": "zx0IPmPy5jp1vAz8Kpg7",
    "sha_request_phrase": "request-secret",
    "sha_response_phrase": "response-secret",
}


def signature(params, phrase):
    text = "".join(f"{k}={params[k]}" for k in sorted(params) if k != "signature")
    return hashlib.sha256(f"{phrase}{text}{phrase}".encode()).hexdigest()


def signed(params):
    """The request with its `signature`, made with the request phrase."""
    return {**params, "signature": signature(params, MERCHANT["sha_request_phrase"])}


def is_authentic(params):
    """True when `params` (an answer or a feedback) carries the response phrase's signature."""
    expected = signature(params, MERCHANT["sha_response_phrase"])
    return hmac.compare_digest(expected, params.get("signature", ""))
