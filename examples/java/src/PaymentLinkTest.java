// Create an APS payment link, pay it through the control API, check it, verify the feedback.
// Run: examples/run.sh java (javac and the JUnit 5 console launcher from Debian's junit5 package).
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PaymentLinkTest {
    private static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception { sandbox = new Sandbox(); }

    @AfterAll
    static void stop() throws Exception { sandbox.close(); }

    @BeforeEach
    void reset() throws Exception { sandbox.reset(); }

    private static Map<String, String> request(String... namesAndValues) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("access_code", Sandbox.ACCESS_CODE);
        params.put("merchant_identifier", Sandbox.MERCHANT_IDENTIFIER);
        for (int i = 0; i < namesAndValues.length; i += 2) params.put(namesAndValues[i], namesAndValues[i + 1]);
        return Sandbox.signed(params);
    }

    private static Map<String, String> createLink(String reference) throws Exception {
        return sandbox.paymentApi(request("service_command", "PAYMENT_LINK", "merchant_reference", reference,
            "amount", "125000", "currency", "SAR", "language", "en", "customer_email", "customer@example.com",
            "request_expiry_date", "2030-12-31T23:59:59+03:00", "notification_type", "NONE",
            "order_description", "Invoice 1"));
    }

    @Test
    void aPaidLinkIsReportedPaidAndItsFeedbackIsSigned() throws Exception {
        Map<String, String> created = createLink("order-1");
        assertEquals("48000", created.get("response_code"));
        assertTrue(Sandbox.isAuthentic(created));

        Map<String, String> paid = sandbox.post("/__sandbox/links/" + created.get("payment_link_id") + "/pay",
            Map.of("card_number", "4005550000000001"));
        assertEquals("approved", paid.get("outcome"));

        Map<String, String> status = sandbox.paymentApi(
            request("query_command", "CHECK_PAYMENT_LINK_STATUS", "merchant_reference", "order-1"));
        assertEquals("12000", status.get("response_code"));
        assertEquals("Paid", status.get("payment_link_status"));
        assertTrue(Sandbox.isAuthentic(status));

        Sandbox.Feedback feedback = sandbox.nextFeedback();
        assertEquals("/aps/feedback", feedback.path());
        assertEquals("14000", feedback.body().get("response_code"));
        assertEquals(paid.get("fort_id"), feedback.body().get("fort_id"));
        assertTrue(Sandbox.isAuthentic(feedback.body()));
        Map<String, String> altered = new HashMap<>(feedback.body());
        altered.put("amount", "1");
        assertFalse(Sandbox.isAuthentic(altered), "a changed amount must break the signature");
    }

    @Test
    void eachTestStartsFromAResetSandbox() throws Exception {
        assertEquals("48000", createLink("order-1").get("response_code"));
        assertEquals("49066", createLink("order-1").get("response_code"));
    }
}
