import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkAPS

/// `PAYMENT_LINK` needs `customer_phone` exactly when its normalized `notification_type`
/// includes an SMS (the check compares the four normalized values rather than searching).
struct PaymentLinkPhoneRuleTests {
    static let context = APSContext(
        merchants: MerchantDirectory([.demo]),
        engine: LinkEngine(clock: SandboxClock(start: SandboxInstant(secondsSince1970: 1_767_225_600), mode: .frozen), seed: 5),
        links: LinkURLs(base: "http://sandbox.test"), emptyValues: .either)

    @Test(arguments: ["NONE", "EMAIL", "SMS", "EMAIL,SMS", "SMS,EMAIL", "SMS,SMS", "EMAIL,EMAIL", "SMS,NONE", "EMAIL,SMS,EMAIL"])
    func phone_isRequiredWhenAnSMSIsAskedFor(notificationType: String) throws {
        let wantsSMS = try APSValues.notificationType(notificationType).split(separator: ",").contains("SMS")
        for phone in [nil, "00966500000002"] {
            var request: JSONObject = [
                "service_command": "PAYMENT_LINK", "merchant_reference": "ref-1", "amount": "1000", "currency": "SAR", "language": "en",
                "customer_email": "c@example.com", "request_expiry_date": "2099-12-31T23:59:59+03:00",
                "notification_type": .string(notificationType),
            ]
            if let phone { request["customer_phone"] = .string(phone) }
            do throws(APSFailure) {
                _ = try PaymentLinkCommand.terms(APSParameters(object: request), merchant: .demo, context: Self.context)
                #expect(phone != nil || !wantsSMS, "\(notificationType) without a phone was accepted")
            } catch {
                #expect(phone == nil && wantsSMS, "\(notificationType): \(error.detail)")
                #expect(error.detail == "missing parameter customer_phone (required when notification_type includes SMS)")
            }
        }
    }
}
