import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// Requests exactly as the official PHP SDK (payfort/payfort-php-sdk 2.0.0) sends them:
/// `PaymentTypeAdapter::generateParameters` puts access_code and merchant_identifier first, then
/// the model's required and (non-empty) optional fields in the model's order;
/// `APSCore::doCallToSpecifiedPayment` appends `signature` (`APSSignature`: `ksort`, lowercase
/// SHA-256 hex); `APSConnector::callToAps` posts `json_encode` of that array. `amount` is an
/// `int` (`PaymentDTO` converts the merchant's major units to minor units), so a JSON number.
/// The answer is accepted only when `APSValidator::isResponseValid` recomputes the signature.
struct PHPSDKMirrorTests {
    typealias Style = SDKRequestStyle

    func send(_ aps: APSTestClient, _ fields: [(String, Style.Value)]) throws -> APSTestClient.Reply {
        let signature = Style.sha256(fields.map { ($0.0, $0.1.text) }, phrase: aps.merchant.requestPhrase)
        return try aps.sendRaw(Style.body(fields + [("signature", .string(signature))]))
    }

    func credentials(_ aps: APSTestClient) -> [(String, Style.Value)] {
        [("access_code", .string(aps.merchant.accessCode)), ("merchant_identifier", .string(aps.merchant.identifier))]
    }

    /// Mirrors src/AmazonPaymentServices/Model/Maintenance/PaymentCheckStatusModel.php
    /// (query_command, merchant_reference, language; fort_id optional and left out when empty).
    @Test func checkStatus_asThePHPSDKSendsIt_answers12000_andPassesItsSignatureCheck() async throws {
        try await withSandbox { _, aps in
            try aps.paidLinkOrder("php-cs-1")
            let reply = try send(aps, credentials(aps) + [
                ("query_command", .string("CHECK_STATUS")), ("merchant_reference", .string("php-cs-1")), ("language", .string("en")),
            ])
            #expect(reply.code == "12000" && reply["transaction_status"] == "14", "\(reply.object) \(reply.detail ?? "")")
            #expect(Style.phpResponseSignatureValid(reply.object, phrase: aps.merchant.responsePhrase))
            #expect(!Style.phpResponseSignatureValid(reply.object, phrase: "another-phrase"))
            #expect(!Style.javaResponseSignatureValid(reply.object, phrase: "another-phrase"))
        }
    }

    /// Mirrors src/AmazonPaymentServices/Model/Maintenance/PaymentRefundModel.php (command,
    /// merchant_reference, amount as an int, currency, language): a partial refund, then the rest,
    /// then one more that nothing is left for.
    @Test func refund_asThePHPSDKSendsIt_amountAsAJSONNumber_refundsInPart() async throws {
        try await withSandbox { _, aps in
            try aps.paidLinkOrder("php-rf-1", amount: "50000")
            func refund(_ amount: Int) throws -> APSTestClient.Reply {
                try send(aps, credentials(aps) + [
                    ("command", .string("REFUND")), ("merchant_reference", .string("php-rf-1")), ("amount", .number(amount)),
                    ("currency", .string("SAR")), ("language", .string("en")),
                ])
            }
            let first = try refund(10000)
            #expect(first.code == "06000", "\(first.object) \(first.detail ?? "")")
            #expect(Style.phpResponseSignatureValid(first.object, phrase: aps.merchant.responsePhrase))
            let rest = try refund(40000)
            #expect(rest.code == "06000", "\(rest.object)")
            let more = try refund(1)
            #expect(more.code == "07048", "\(more.object)")
            #expect(Style.phpResponseSignatureValid(more.object, phrase: aps.merchant.responsePhrase))
        }
    }

    /// Mirrors src/AmazonPaymentServices/Model/Maintenance/InstallmentsPlansModel.php
    /// (query_command, then amount as an int, currency, language): the answer's signature leaves
    /// installment_detail out, as `APSSignature::implodeParamsToString` does.
    @Test func getInstallmentsPlans_asThePHPSDKSendsIt_passesItsSignatureCheck() async throws {
        try await withSandbox { _, aps in
            let reply = try send(aps, credentials(aps) + [
                ("query_command", .string("GET_INSTALLMENTS_PLANS")), ("amount", .number(100000)),
                ("currency", .string("SAR")), ("language", .string("en")),
            ])
            #expect(reply.code == "62000", "\(reply.object) \(reply.detail ?? "")")
            #expect(Style.phpResponseSignatureValid(reply.object, phrase: aps.merchant.responsePhrase))
        }
    }
}
