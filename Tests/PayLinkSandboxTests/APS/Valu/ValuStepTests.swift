import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// valU server to server (docs/aps-wallets.md): CUSTOMER_VERIFY, OTP_GENERATE, OTP_VERIFY and
/// PURCHASE with payment_option VALU, each outcome of the test numbers, each refusal's code.
struct ValuStepTests {
    typealias F = ServerToServerFixture

    @Test func aFullPurchase_verifiesGeneratesVerifiesAndBuys_thenCheckStatusFeedbackAndRefundWork() async throws {
        try await F.withSandbox { sandbox, aps in
            let steps = ValuSteps(aps: aps, reference: "valu-1")
            let verified = try steps.verify()
            #expect(verified.code == "90000" && verified["status"] == "90" && F.isSigned(verified, by: aps.merchant), "\(verified.object)")

            let otp = try steps.generateOTP()
            #expect(otp.code == "88000" && otp["merchant_order_id"] == "wc-77", "\(otp.object) \(otp.detail ?? "")")
            var signedPart = otp
            signedPart.object["installment_detail"] = nil
            #expect(F.isSigned(signedPart, by: aps.merchant), "installment_detail is left out of the signature; products are signed as sent")
            let plans = try #require(otp.object["installment_detail"]?.objectValue?["plan_details"]?.arrayValue)
            #expect(plans.count == 4)
            let six = try #require(plans.first { $0.objectValue?["number_of_installments"] == .number("6") }?.objectValue)
            // 1.5% a month of 1500.00 EGP over 6 months: 135.00 fees, 272.50 a month.
            #expect(six["fees_amount"] == .number("13500") && six["amount_per_month"] == .number("27250"), "\(six)")

            let otpOK = try steps.verifyOTP()
            #expect(otpOK.code == "92182" && otpOK["status"] == "92", "\(otpOK.object) \(otpOK.detail ?? "")")

            let bought = try steps.purchase()
            #expect(bought.code == "14000" && bought["fort_id"]?.count == 18, "\(bought.object) \(bought.detail ?? "")")
            #expect(bought["valu_transaction_id"] == "VALU" + (bought["fort_id"] ?? "") && bought["loan_number"]?.hasPrefix("LN") == true)
            #expect(bought["otp"] == "123456", "the answer echoes the request, as every paymentApi answer does")
            #expect(F.isSigned(bought, by: aps.merchant))
            let order = try #require(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "valu-1"))
            #expect(order.payment.paymentOption == "VALU" && order.payment.phoneNumber == "01012345678")
            #expect(order.requestFields["otp"] == nil && order.requestFields["tenure"] == "6")
            #expect(sandbox.service.state.valu.count == 0, "the journey ends with its purchase")

            let status = try aps.send(["query_command": "CHECK_STATUS", "merchant_reference": "valu-1", "language": "en"])
            #expect(status.code == "12000" && status["transaction_status"] == "14" && status["fort_id"] == bought["fort_id"], "\(status.object)")
            let feedback = try #require(sandbox.service.deliveries.deliveries().first { $0.payload["merchant_reference"]?.stringValue == "valu-1" })
            #expect(feedback.payload["response_code"]?.stringValue == "14000" && feedback.payload["payment_option"]?.stringValue == "VALU")
            #expect(feedback.payload["valu_transaction_id"]?.stringValue == bought["valu_transaction_id"] && feedback.payload["otp"] == nil)
            let refund = try aps.send(["command": "REFUND", "merchant_reference": "valu-1", "amount": "50000", "currency": "EGP", "language": "en"])
            #expect(refund.code == "06000", "\(refund.object) \(refund.detail ?? "")")
            let rest = try aps.send(["command": "REFUND", "fort_id": .string(bought["fort_id"] ?? ""), "amount": "100000", "currency": "EGP", "language": "en"])
            #expect(rest.code == "06000", "\(rest.object) \(rest.detail ?? "")")
        }
    }

    @Test func theVerifyStep_refusesANonCustomer00160_aBadNumber00002_andAUsedReference00066() async throws {
        try await F.withSandbox { _, aps in
            var steps = ValuSteps(aps: aps, reference: "valu-n")
            steps.phone = ValuTestCustomers.notACustomer
            let refused = try steps.verify()
            #expect(refused.code == "00160" && refused["response_message"] == "Customer does not exist" && F.isSigned(refused, by: aps.merchant))
            steps.phone = "0501234567"
            #expect(try steps.verify().code == "00002")
            #expect(try steps.verify(["payment_option": "VISA", "phone_number": "01012345678"]).code == "00049")
            _ = try aps.createLink("valu-used")
            #expect(try ValuSteps(aps: aps, reference: "valu-used").verify().code == "00066")
            // +20 and 0020 forms are the same number.
            #expect(try ValuSteps(aps: aps, reference: "valu-p", phone: "+201012345678").verify().code == "90000")
        }
    }

    @Test func theOTPStep_needsAVerifiedCustomer_theSameNumber_EGP_andRefusesTheLimitNumber89746() async throws {
        try await F.withSandbox { _, aps in
            let steps = ValuSteps(aps: aps, reference: "valu-o")
            #expect(try steps.generateOTP().code == "89160", "no CUSTOMER_VERIFY first")
            _ = try steps.verify()
            #expect(try steps.generateOTP(["phone_number": "01099999999"]).code == "89748")
            #expect(try steps.generateOTP(["currency": "SAR"]).code == "00024")
            #expect(try steps.generateOTP(["products": "Kettle"]).code == "00002")
            #expect(try steps.generateOTP(["total_downpayment": "999999"]).code == "00005")

            var limited = ValuSteps(aps: aps, reference: "valu-l")
            limited.phone = ValuTestCustomers.otpGenerationFails
            #expect(try limited.verify().code == "90000")
            let refused = try limited.generateOTP()
            #expect(refused.code == "89746" && refused.object["installment_detail"] == nil, "\(refused.object)")
        }
    }

    @Test func aWrongOTP_fails93787_onVerify_and13787_onPurchase_withoutAnOrder_andTheRightOneStillBuys() async throws {
        try await F.withSandbox { sandbox, aps in
            let steps = ValuSteps(aps: aps, reference: "valu-w")
            #expect(try steps.verifyOTP().code == "93748", "no OTP generated yet")
            _ = try steps.upToOTP()
            #expect(try steps.verifyOTP("654321").code == "93787")
            #expect(try steps.verifyOTP(ValuTestCustomers.passingOTP, ["amount": "1"]).code == "93748")
            let wrong = try steps.purchase(otp: "654321")
            #expect(wrong.code == "13787" && F.isSigned(wrong, by: aps.merchant), "\(wrong.object)")
            #expect(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "valu-w") == nil)
            // The plugin never sends OTP_VERIFY: the purchase checks the OTP itself.
            #expect(try steps.purchase().code == "14000")
        }
    }

    @Test func thePurchase_refusesWhatOTPGenerateDidNotSay_andTheDeclineNumberIsDeclined13666() async throws {
        try await F.withSandbox { sandbox, aps in
            let steps = ValuSteps(aps: aps, reference: "valu-m")
            #expect(try steps.purchase().code == "00748", "no OTP generated")
            _ = try steps.upToOTP()
            #expect(try steps.purchase(["amount": "100"]).code == "00748")
            #expect(try steps.purchase(["transaction_id": "wc-78"]).code == "00748")
            #expect(try steps.purchase(tenure: "5").code == "00033")
            #expect(try steps.purchase(["currency": "USD"]).code == "00024")
            #expect(try steps.purchase(["otp": nil]).code == "00001")
            #expect(try steps.purchase(["language": nil]).code == "00001")

            var declining = ValuSteps(aps: aps, reference: "valu-d")
            declining.phone = ValuTestCustomers.purchaseDeclined
            _ = try declining.upToOTP()
            let declined = try declining.purchase()
            #expect(declined.code == "13666" && declined["fort_id"] != nil && declined["loan_number"] == nil, "\(declined.object)")
            let order = try #require(sandbox.engine.order(merchant: Merchant.demo.identifier, reference: "valu-d"))
            #expect(order.status.code(for: .purchase).code == "13666")
            let status = try aps.send(["query_command": "CHECK_STATUS", "merchant_reference": "valu-d", "language": "en"])
            #expect(status.code == "12000" && status["transaction_status"] == "13", "\(status.object)")
        }
    }

    @Test func aMerchantWithoutVALU_isRefused00003() async throws {
        var merchant = F.merchant(trusted: false)
        merchant.paymentOptions = ["VISA", "MASTERCARD"]
        try await withSandbox(.testing(merchants: [merchant])) { _, aps in
            let refused = try ValuSteps(aps: aps, reference: "valu-x").verify()
            #expect(refused.code == "00003", "\(refused.object)")
        }
    }

    @Test func theJourneys_areBounded_andAResetForgetsThem() async throws {
        try await F.withSandbox { sandbox, aps in
            _ = try ValuSteps(aps: aps, reference: "valu-r").upToOTP()
            #expect(sandbox.service.state.valu.count == 1)
            _ = try aps.http.post("/__sandbox/reset", json: "{}")
            #expect(sandbox.service.state.valu.count == 0)
            #expect(try ValuSteps(aps: aps, reference: "valu-r").purchase().code == "00748")
        }
        let journeys = ValuJourneys()
        for index in 0...ValuJourneys.limit {
            journeys.start(.init(merchantIdentifier: "M", reference: "r\(index)", phoneNumber: "01012345678"))
        }
        #expect(journeys.count == ValuJourneys.limit && journeys.journey(merchant: "M", reference: "r0") == nil)
    }
}
