import PayLinkHTTP
import PayLinkSupport
import PayLinkCore
import PayLinkJSON
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `POST /FortAPI/paymentApi`: JSON in, JSON out.
///
/// As the real gateway does, every request that reaches this endpoint gets HTTP 200 and a body
/// whose `response_code`, `status` and `response_message` carry the outcome, errors included:
/// the official SDKs read the body of a 200 only.
package struct APSEndpoint: Sendable {
    package let context: APSContext

    /// The outcome of one request, with what a person debugging it needs.
    package struct Reply: Sendable {
        /// The signed JSON response body.
        package var body: [UInt8]
        package var detail: String?
        /// The failed signature check behind a 008, for the journal.
        package var failedSignature: SignatureCheck?
        /// The command the request named, for the request log; nil when it named none or the
        /// body was not a JSON object.
        package var command: String?
        /// The `response_code` written, for the request log.
        package var code: String
    }

    /// The HTTP answer: always 200 with the signed JSON, as APS answers; a refusal's
    /// explanation in `X-Sandbox-Detail`.
    package func handle(_ request: HTTPRequest) -> Answer {
        var reply = handle(body: request.body)
        var response = HTTPResponse(status: 200, headers: JSONResponses.jsonHeaders, body: reply.body)
        if let detail = reply.detail.take() { response.headers.add(name: SandboxDetail.header, value: SandboxDetail.encode(detail)) }
        // Taken out, not copied: a copy of an optional here went through `Optional`'s generic
        // value witness (about 90 instructions, and 60 to destroy it).
        return Answer(response: response, failedSignature: reply.failedSignature.take(), command: reply.command.take(), code: reply.code)
    }

    /// `handle(_:)`'s answer. A struct rather than a tuple: a tuple of these was copied through
    /// its generic value witnesses, member by member, each time it was taken apart.
    package struct Answer: Sendable {
        package var response: HTTPResponse
        package var failedSignature: SignatureCheck?
        package var command: String?
        package var code: String
    }

    /// The answer a fault forces (`response_code` fault): the request's parameters echoed with
    /// `code`, signed when the merchant is known, whatever the request was.
    package func forcedResponse(code: String, requestBody: [UInt8]) -> HTTPResponse {
        var object: JSONObject = [:]
        if let value = try? JSONParser.parse(requestBody), case .object(let parsed) = value, !parsed.hasDuplicateKeys { object = parsed }
        // Never a card in clear, forced answer or not (see `redactCardData`).
        if let number = object["card_number"]?.stringValue { object["card_number"] = .string(TestCards.masked(number)) }
        object["card_security_code"] = nil
        let forced = APSResponseCode(code) ?? APSResponseCode(status: "00", message: "006")
        // An Apple Pay request's forced answer is signed as its real one would be.
        let merchant = object["merchant_identifier"]?.stringValue.flatMap { context.merchants[$0] }?.account(signing: object)
        var response = HTTPResponse(status: 200, headers: JSONResponses.jsonHeaders,
                                    body: APSResponseWriter.body(echoing: object, fields: [], code: forced, merchant: merchant))
        response.headers.add(name: SandboxDetail.header,
                             value: SandboxDetail.encode("response_code \(forced.code) forced by a fault; the request was not processed"))
        return response
    }

    package func handle(body: [UInt8]) -> Reply {
        let parameters: APSParameters
        // The echo first: its members are also what the request signature covers.
        var response: APSResponseWriter
        if let flat = FlatStringObject(body) {
            // The usual request, read without building a `JSONObject` (see `FlatStringObject`).
            parameters = APSParameters(flat: flat)
            response = APSResponseWriter(echoing: flat)
        } else {
            let object: JSONObject
            do {
                guard case .object(let parsed) = try JSONParser.parse(body) else {
                    return invalidFormat("the body must be a JSON object of parameters")
                }
                object = parsed
            } catch {
                return invalidFormat("\(error)")
            }
            if object.hasDuplicateKeys, let key = object.duplicateKeys.first {
                return invalidFormat("parameter \(key) appears more than once")
            }
            parameters = APSParameters(object: object)
            response = APSResponseWriter(echoing: object)
        }
        let command: any APSCommand.Type
        let merchant: Merchant
        do {
            command = try identifyCommand(parameters)
        } catch {
            // Signed when the merchant is known, so an SDK that checks every answer's signature
            // (the PHP SDK throws "No signature found!") can read why.
            let known = parameters.text("merchant_identifier").flatMap { context.merchants[$0] }
            return refusal(error, parameters: parameters, response: &response, merchant: known, failedSignature: nil)
        }
        let identified: Merchant
        do {
            identified = try identifyMerchant(parameters, command: command)
        } catch {
            return refusal(error, parameters: parameters, response: &response, merchant: nil, failedSignature: nil)
        }
        // Apple Pay has credentials of its own (docs/aps-apple-pay.md).
        do {
            // Consumed: an ordinary merchant comes back as it is, not as a copy.
            merchant = try ApplePayAccess.account(for: command, merchant: consume identified, parameters: parameters)
        } catch {
            return refusal(error.failure, parameters: parameters, response: &response, merchant: error.signer, failedSignature: nil)
        }
        // The merchant is known from here on, so even a wrong access code is answered signed.
        // One `Merchant` value all the way: each copy retained and released every string in it.
        var failedSignature: SignatureCheck?
        do {
            try checkAccessCode(parameters, merchant: merchant)
            try verifySignature(parameters, merchant: merchant, echoed: &response, failed: &failedSignature)
            response.redactCardData(parameters)
            let code = APSCodeText.of(try command.respond(parameters, merchant: merchant, context: context, into: &response))
            let body = response.finish(code: code, merchant: merchant)
            return Reply(body: body, detail: Self.detail(unexplained: code.code), command: command.name, code: code.digits)
        } catch {
            return refusal(error, parameters: parameters, response: &response, merchant: merchant, failedSignature: failedSignature)
        }
    }

    private func refusal(_ error: APSFailure, parameters: APSParameters, response: inout APSResponseWriter, merchant: Merchant?,
                         failedSignature: SignatureCheck?) -> Reply {
        response.redactCardData(parameters)
        let body = response.finish(fields: [], code: error.code, merchant: merchant)
        let named = parameters.text("service_command") ?? parameters.text("query_command") ?? parameters.text("command")
        return Reply(body: body, detail: error.detail, failedSignature: failedSignature, command: named, code: error.code.code)
    }

    /// Every answer whose code is not a success explains itself; a command that answers one
    /// without saying why is explained by the code's own words.
    static func detail(unexplained code: APSResponseCode) -> String? {
        code.message == "000" ? nil : "\(code.code): \(code.responseMessage)"
    }

    private func invalidFormat(_ detail: String) -> Reply {
        let code = APSResponseCode(status: APSStatus.invalidRequest, message: "073")
        return Reply(body: APSResponseWriter.body(echoing: [:], fields: [], code: code, merchant: nil), detail: detail, code: code.code)
    }

    /// Payment-link creation and update use `service_command`; the status check uses
    /// `query_command`, as the documentation's samples do. A command in the wrong one is 004.
    private func identifyCommand(_ parameters: APSParameters) throws(APSFailure) -> any APSCommand.Type {
        try parameters.requireScalar(["service_command", "query_command", "command"])
        // The usual request, a status check, told apart without making a `String` of its command.
        if !parameters.has("service_command"), parameters.text("query_command", equals: CheckPaymentLinkStatusCommand.name) {
            return CheckPaymentLinkStatusCommand.self
        }
        let service = parameters.text("service_command"), query = parameters.text("query_command")
        if service != nil && query != nil {
            throw APSFailure(message: "110", detail: "send either service_command or query_command, not both")
        }
        if let service {
            switch service {
            case PaymentLinkCommand.name: return PaymentLinkCommand.self
            case UpdatePaymentLinkCommand.name: return UpdatePaymentLinkCommand.self
            case UpdateTokenCommand.name: return UpdateTokenCommand.self
            case ValuCustomerVerifyCommand.name: return ValuCustomerVerifyCommand.self
            case ValuOTPGenerateCommand.name: return ValuOTPGenerateCommand.self
            case ValuOTPVerifyCommand.name: return ValuOTPVerifyCommand.self
            case CheckPaymentLinkStatusCommand.name:
                throw APSFailure(message: "004", detail: "CHECK_PAYMENT_LINK_STATUS is sent as query_command")
            default:
                try APSFields.serviceCommand.check(service)
                throw APSFailure(message: "004", detail: "service_command \(service) is not a payment-link command")
            }
        }
        if let query {
            switch query {
            case CheckPaymentLinkStatusCommand.name: return CheckPaymentLinkStatusCommand.self
            case CheckStatusCommand.name: return CheckStatusCommand.self
            case GetInstallmentsPlansCommand.name: return GetInstallmentsPlansCommand.self
            default:
                try APSFields.queryCommand.check(query)
                throw APSFailure(message: "004", detail: "query_command \(query) is not emulated on this endpoint")
            }
        }
        if let command = parameters.text("command") {
            if let applePay = ApplePayPurchaseCommand.command(named: command, parameters) { return applePay }
            switch command {
            case CaptureCommand.name: return CaptureCommand.self
            case RefundCommand.name: return RefundCommand.self
            case VoidAuthorizationCommand.name: return VoidAuthorizationCommand.self
            case ServerToServerPurchaseCommand.name:
                // valU's purchase (its last step) is a PURCHASE of its own.
                if parameters.text("payment_option") == ValuRequest.paymentOption { return ValuPurchaseCommand.self }
                return ServerToServerPurchaseCommand.self
            case ServerToServerAuthorizationCommand.name: return ServerToServerAuthorizationCommand.self
            default:
                try APSFields.command.check(command)
                throw APSFailure(message: "004", detail: "command \(command) is not emulated on this endpoint (PURCHASE, AUTHORIZATION, CAPTURE, REFUND, VOID_AUTHORIZATION)")
            }
        }
        throw .missing("service_command")
    }

    /// Finds the merchant. `merchant_identifier` may be left out of a status check or update
    /// that names `payment_link_id`: the link then names its merchant.
    private func identifyMerchant(_ parameters: APSParameters, command: any APSCommand.Type) throws(APSFailure) -> Merchant {
        try parameters.requireScalar(["merchant_identifier", "access_code", "signature", "payment_link_id"])
        let merchant: Merchant
        if let identifier = parameters.text("merchant_identifier") {
            try APSFields.merchantIdentifier.check(identifier)
            guard let found = context.merchants[identifier] else {
                throw APSFailure(message: "009", detail: "no merchant \(identifier) is configured")
            }
            merchant = found
        } else if command.identifiesLinks, let id = parameters.text("payment_link_id") {
            guard let view = context.engine.link(id: id), let found = context.merchants[view.link.merchantIdentifier] else {
                throw APSFailure(status: command.failureStatus, message: "149", detail: "no payment link \(id)")
            }
            merchant = found
        } else {
            throw .missing("merchant_identifier")
        }
        return merchant
    }

    /// 010 unless the merchant's access code matches.
    private func checkAccessCode(_ parameters: APSParameters, merchant: Merchant) throws(APSFailure) {
        if parameters.text("access_code", equals: merchant.accessCode) { return }
        let accessCode = try parameters.required("access_code")
        guard accessCode == merchant.accessCode else {
            throw APSFailure(message: "010", detail: "access_code does not match merchant \(merchant.identifier)")
        }
    }

    /// `echoed` holds the request's parameters as the response echoes them, not yet added to:
    /// the omit-empty signature is computed from it rather than from the object again.
    /// A wrong one throws 008 and is described in `failed`.
    private func verifySignature(_ parameters: APSParameters, merchant: Merchant, echoed: inout APSResponseWriter,
                                 failed: inout SignatureCheck?) throws(APSFailure) {
        let provided: String
        let verification: APSSigner.Verification
        if context.emptyValues == .include {
            provided = try parameters.required("signature")
            verification = merchant.signer.verify(parameters.object, phrase: merchant.requestPhrase, provided: provided,
                                                  emptyValues: context.emptyValues)
        } else {
            // The omit-empty convention is the first `verify` tries; when it matches, that is its
            // answer, and the parameters need not be handed over as a `JSONObject` (nor either
            // signature made a `String`).
            let omittingEmpty: String? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: APSResponseWriter.maxSignatureBytes) { hex in
                let count = echoed.writeSignature(algorithm: merchant.shaType, phrase: merchant.requestPhrase, to: hex.baseAddress!)
                let expected = UnsafeBufferPointer(rebasing: hex[..<count])
                if parameters.withText("signature", { Self.equalIgnoringASCIICase($0, expected) }) == true { return nil }
                return String(decoding: expected, as: UTF8.self)
            }
            guard let omittingEmpty else { return }
            provided = try parameters.required("signature")
            verification = merchant.signer.verify(parameters.object, phrase: merchant.requestPhrase, provided: provided,
                                                  emptyValues: context.emptyValues, omittingEmpty: omittingEmpty)
        }
        guard verification.isValid else {
            failed = SignatureCheck(merchantIdentifier: merchant.identifier, shaType: merchant.shaType, verification: verification, provided: provided)
            throw APSFailure(message: "008", detail: "signature mismatch: expected \(verification.expectedSignature) (\(merchant.shaType.rawValue)) over \(verification.redactedCanonicalString)")
        }
    }

    /// `APSSigner.equalIgnoringASCIICase` on the bytes sent.
    private static func equalIgnoringASCIICase(_ sent: UnsafeBufferPointer<UInt8>, _ expected: UnsafeBufferPointer<UInt8>) -> Bool {
        guard expected.count == sent.count else { return false }
        // Signatures are nearly always sent in lowercase hex, as computed.
        if sent.isEmpty || memcmp(sent.baseAddress!, expected.baseAddress!, sent.count) == 0 { return true }
        for index in 0..<sent.count where sent[index] != expected[index] {
            let a = sent[index] | 0x20, b = expected[index] | 0x20
            guard a == b, a >= UInt8(ascii: "a"), a <= UInt8(ascii: "z") else { return false }
        }
        return true
    }

    package init(context: APSContext) {
        self.context = context
    }
}

/// A payment-link command: validates its fields and runs against the engine.
protocol APSCommand {
    static var name: String { get }
    /// The status a well-formed but refused request carries (see `APSStatus`).
    static var failureStatus: String { get }
    /// Whether `payment_link_id` alone can identify the link (and so the merchant).
    static var identifiesLinks: Bool { get }
    static func run(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> APSCommandResult
    /// Runs the command for the endpoint: its fields go into `response` (only once nothing can
    /// throw any more: a refusal answers with the echo alone) and its code is returned.
    static func respond(_ parameters: APSParameters, merchant: Merchant, context: APSContext,
                        into response: inout APSResponseWriter) throws(APSFailure) -> APSResponseCode
}

extension APSCommand {
    /// Through `run`'s fields; a command on the hot path writes them itself.
    static func respond(_ parameters: APSParameters, merchant: Merchant, context: APSContext,
                        into response: inout APSResponseWriter) throws(APSFailure) -> APSResponseCode {
        let result = try run(parameters, merchant: merchant, context: context)
        response.add(result.fields)
        return result.code
    }
}

package struct APSCommandResult: Sendable {
    package var code: APSResponseCode
    package var fields: [(String, String)]
}

extension APSCommand {
    /// A refusal from the link engine, with the command's failure status (validation-type
    /// refusals keep `00`).
    package static func failure(_ error: LinkError) -> APSFailure {
        let status = error == .expiryNotInFuture ? APSStatus.invalidRequest : failureStatus
        return APSFailure(status: status, message: error.apsMessageCode, detail: error.explanation)
    }

    /// The link a status check or update is about: `payment_link_id` when present (then
    /// `merchant_reference` is only the request's own reference), else the `merchant_reference`
    /// the link was created with.
    /// `checkedReference`: `merchant_reference` as the caller already read and checked it.
    package static func resolveLink(_ parameters: APSParameters, merchant: Merchant, context: APSContext,
                                    checkedReference: String? = nil) throws(APSFailure) -> LinkView {
        if let id = parameters.text("payment_link_id") {
            try APSFields.paymentLinkID.check(id)
            guard let view = context.engine.link(id: id), view.link.merchantIdentifier == merchant.identifier else {
                throw failure(.notFound)
            }
            return view
        }
        let reference: String
        if let checkedReference {
            reference = checkedReference
        } else {
            guard let sent = parameters.text("merchant_reference") else { throw .missing("payment_link_id") }
            try APSFields.merchantReference.check(sent)
            reference = sent
        }
        guard let view = context.engine.link(merchant: merchant.identifier, reference: reference) else {
            throw failure(.notFound)
        }
        return view
    }
}
