// Create an APS payment link, pay it through the control API, check it, verify the feedback.
// Run: node --test examples/node/
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { MERCHANT, isAuthentic, signed, startFeedbackReceiver, startSandbox } from "./sandbox.mjs";

const credentials = { access_code: MERCHANT.access_code, merchant_identifier: MERCHANT.merchant_identifier };
let sandbox;
let feedback;

before(async () => {
  feedback = await startFeedbackReceiver();
  sandbox = await startSandbox(feedback.url);
});
beforeEach(async () => { await sandbox.reset(); feedback.drain(); });
after(async () => { await sandbox.stop(); feedback.close(); });

const createLink = (reference) => sandbox.paymentApi(signed({
  service_command: "PAYMENT_LINK", ...credentials,
  merchant_reference: reference, amount: "125000", currency: "SAR", language: "en",
  customer_email: "customer@example.com", request_expiry_date: "2030-12-31T23:59:59+03:00",
  notification_type: "NONE", order_description: "Invoice 1",
}));

test("a paid link is reported Paid and its feedback is signed", async () => {
  const created = await createLink("order-1");
  assert.equal(created.response_code, "48000");
  assert.ok(isAuthentic(created));

  const paid = await sandbox.post(`/__sandbox/links/${created.payment_link_id}/pay`, { card_number: "4005550000000001" });
  assert.equal(paid.outcome, "approved");

  const status = await sandbox.paymentApi(signed({
    query_command: "CHECK_PAYMENT_LINK_STATUS", ...credentials, merchant_reference: "order-1",
  }));
  assert.equal(status.response_code, "12000");
  assert.equal(status.payment_link_status, "Paid");
  assert.ok(isAuthentic(status));

  const { path, body: notice } = await feedback.next();
  assert.equal(path, "/aps/feedback");
  assert.equal(notice.response_code, "14000");
  assert.equal(notice.fort_id, paid.fort_id);
  assert.ok(isAuthentic(notice));
  assert.ok(!isAuthentic({ ...notice, amount: "1" }), "a changed amount must break the signature");
});

test("each test starts from a reset sandbox", async () => {
  assert.equal((await createLink("order-1")).response_code, "48000");
  assert.equal((await createLink("order-1")).response_code, "49066");
});
