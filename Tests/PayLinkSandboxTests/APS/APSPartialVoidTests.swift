import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// "The system will not allow you to void an amount larger or less than the authorized amount.
/// Partial voids are not supported." (APS, voiding a payment).
struct APSPartialVoidTests {
    let operations = APSOrderOperationTests()

    @Test(arguments: ["9999", "10001", "1"])
    func void_withAnAmountOtherThanTheAuthorized_is09005_andVoidsNothing(_ amount: String) async throws {
        try await withSandbox { sandbox, aps in
            let fortID = try operations.paidOrder(aps, "pv-\(amount)", command: "AUTHORIZATION")
            let reply = try operations.op(aps, "VOID_AUTHORIZATION", ["fort_id": .string(fortID), "amount": .string(amount), "currency": "SAR"])
            #expect(reply.code == "09005" && reply["response_message"] == "Invalid amount")
            #expect(reply.detail?.contains("partial voids are not supported") == true)
            #expect(sandbox.engine.order(fortID: fortID)?.voided == false)
            // The whole authorization can still be voided, then captured no more.
            #expect(try operations.op(aps, "VOID_AUTHORIZATION", ["fort_id": .string(fortID)]).code == "08000")
        }
    }

    @Test func void_withTheAuthorizedAmount_orWithout_voidsTheWhole() async throws {
        try await withSandbox { sandbox, aps in
            let withAmount = try operations.paidOrder(aps, "pv-whole", command: "AUTHORIZATION")
            let reply = try operations.op(aps, "VOID_AUTHORIZATION", ["fort_id": .string(withAmount), "amount": "10000", "currency": "SAR"])
            #expect(reply.code == "08000" && reply["amount"] == "10000")
            #expect(sandbox.engine.order(fortID: withAmount)?.voided == true)
        }
    }

    @Test func void_inAnotherCurrency_is09013_andABadAmount_isRefusedBeforeLookingForTheOrder() async throws {
        try await withSandbox { _, aps in
            let fortID = try operations.paidOrder(aps, "pv-cur", command: "AUTHORIZATION")
            #expect(try operations.op(aps, "VOID_AUTHORIZATION", ["fort_id": .string(fortID), "amount": "10000", "currency": "USD"]).code == "09013")
            #expect(try operations.op(aps, "VOID_AUTHORIZATION", ["fort_id": .string(fortID), "amount": "10.00"]).code == "00005")
            #expect(try operations.op(aps, "VOID_AUTHORIZATION", ["fort_id": .string(fortID), "currency": "US1"]).code == "00002")
        }
    }
}
