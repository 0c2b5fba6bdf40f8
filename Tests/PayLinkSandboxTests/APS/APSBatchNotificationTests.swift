import PayLinkCore
@testable import PayLinkAPS
@testable import PayLinkSandbox
import Testing

/// A payment-link file's links are published a run at a time (`EngineEvent.linksCreated`):
/// their e-mails and SMS must be exactly those `PAYMENT_LINK` sends for each link, in the
/// file's order.
extension APSBatchTests {
    @Test func aBatchsLinks_sendTheMessagesEachLinkAsksFor_inFileOrder() async throws {
        let file = "merchant_reference,amount,currency,customer_email,customer_phone,request_expiry_date,notification_type\r\n"
            + "n-1,10000,SAR,a@example.com,00966500000001,2026-03-01T00:00:00Z,EMAIL\r\n"
            + "n-2,10000,SAR,b@example.com,00966500000002,2026-03-01T00:00:00Z,NONE\r\n"
            + "n-3,abc,SAR,c@example.com,00966500000003,2026-03-01T00:00:00Z,EMAIL\r\n"
            + "n-4,2500,SAR,d@example.com,00966500000004,2026-03-01T00:00:00Z,\"EMAIL,SMS\"\r\n"
            + "n-5,2500,SAR,e@example.com,00966500000005,2026-03-01T00:00:00Z,SMS\r\n"
        try await withSandbox { sandbox, aps in
            #expect(try upload(aps, file: file).code == "50000")
            _ = try settledResults(aps, ["76000"])
            #expect(try batchAPI(aps, "PROCESS_BATCH").code == "72147")
            _ = try settledResults(aps, ["70000"])
            let links = try ["n-1", "n-2", "n-4", "n-5"].map { reference in
                try #require(sandbox.engine.link(merchant: aps.merchant.identifier, reference: reference)).link
            }
            let expected = links.flatMap { link in
                LinkNotifications.drafts(for: link, url: { sandbox.service.urls.paymentLink(token: link.token) })
            }
            let sent = sandbox.service.outbox.messages()
            #expect(expected.map(\.channel) == [.email, .email, .sms, .sms])
            #expect(sent.map(\.channel) == expected.map(\.channel))
            #expect(sent.map(\.recipient) == expected.map(\.recipient))
            #expect(sent.map(\.subject) == expected.map(\.subject))
            #expect(sent.map(\.text) == expected.map(\.text))
            #expect(sent.map(\.paymentLinkID) == expected.map(\.paymentLinkID))
            #expect(sent.allSatisfy { $0.merchantIdentifier == aps.merchant.identifier })
        }
    }
}
