"""Create an APS payment link, pay it through the control API, check it, verify the feedback."""
from aps import MERCHANT, is_authentic, signed

CREDENTIALS = {k: MERCHANT[k] for k in ("access_code", "merchant_identifier")}


def create_link(sandbox, reference):
    return sandbox.payment_api(signed({
        "service_command": "PAYMENT_LINK", **CREDENTIALS,
        "merchant_reference": reference, "amount": "125000", "currency": "SAR",
        "language": "en", "customer_email": "customer@example.com",
        "request_expiry_date": "2030-12-31T23:59:59+03:00", "notification_type": "NONE",
        "order_description": "Invoice 1",
    }))


def test_a_paid_link_is_reported_paid_and_its_feedback_is_signed(sandbox, feedback):
    created = create_link(sandbox, "order-1")
    assert created["response_code"] == "48000", created
    assert is_authentic(created)

    paid = sandbox.post(f"/__sandbox/links/{created['payment_link_id']}/pay",
                        {"card_number": "4005550000000001"})
    assert paid["outcome"] == "approved"

    status = sandbox.payment_api(signed({
        "query_command": "CHECK_PAYMENT_LINK_STATUS", **CREDENTIALS,
        "merchant_reference": "order-1"}))
    assert status["response_code"] == "12000"
    assert status["payment_link_status"] == "Paid"
    assert is_authentic(status)

    path, notice = feedback.next()
    assert path == "/aps/feedback"
    assert notice["response_code"] == "14000"
    assert notice["merchant_reference"] == "order-1"
    assert notice["fort_id"] == paid["fort_id"]
    assert is_authentic(notice)
    assert not is_authentic({**notice, "amount": "1"}), "a changed amount must break the signature"


def test_each_test_starts_from_a_reset_sandbox(sandbox):
    # The same reference as the test above: accepted because the fixture reset the sandbox.
    assert create_link(sandbox, "order-1")["response_code"] == "48000"
    assert create_link(sandbox, "order-1")["response_code"] == "49066"  # now it is a duplicate
