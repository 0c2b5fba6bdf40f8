import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkAPS
import PayLinkSupport

/// A link and the customer's actions on it without a browser: show, open, pay, fail.
extension ControlAPI {
    /// `GET /__sandbox/links/{payment_link_id}`.
    func showLink(id: String) -> HTTPResponse {
        guard let view = engine.link(id: id) else { return linkNotFound(id) }
        return JSONResponses.ok(LinkRepresentation.json(view, urls: urls))
    }

    /// `POST /__sandbox/links/{id}/open`: the customer opened the link (counts an attempt while Open).
    func open(id: String) -> HTTPResponse {
        do {
            let view = try engine.recordOpening(id: id)
            return JSONResponses.ok(LinkRepresentation.json(view, urls: urls))
        } catch {
            return linkNotFound(id)
        }
    }

    /// `POST /__sandbox/links/{id}/pay`: a payment without a browser, with the test cards'
    /// outcomes. Body: `{"card_number": "4005550000000001"}` (the default; `expiry_date` YYMM,
    /// `card_security_code` and `card_holder_name` are optional and checked when given), or
    /// `{"payment_option": "STCPAY", "phone_number": "0501234567", "otp": "1234"}` (OTP optional);
    /// a 3-D Secure card takes `"3ds_code"`. `customer_ip` is the browser's address the
    /// feedback reports (IPv4 or IPv6; default `127.0.0.1`).
    /// 200 when an attempt took place (`outcome`: approved, declined, uncertain,
    /// 3ds_required, 3ds_failed); 409 with the APS code when the link's state refuses it; 400
    /// for a card the form would refuse (016 for the number), an unknown payment option (080), or
    /// one the option rules or the merchant refuse for this link (003, 024, 049, 111, …; a card by its scheme).
    func pay(id: String, _ request: HTTPRequest) -> HTTPResponse {
        let body: JSONObject
        do { body = try JSONResponses.objectBody(request) } catch { return error.response }
        for (key, value) in body {
            guard Self.payFields.contains(key) else {
                return JSONResponses.error(400, "invalid_field", "unknown field \(key); use \(Self.payFields.sorted().joined(separator: ", "))",
                                           extra: ["field": .string(key)])
            }
            guard value.stringValue != nil else {
                return JSONResponses.error(400, "invalid_field", "\(key) must be a string", extra: ["field": .string(key)])
            }
        }
        let customerIP = body["customer_ip"]?.stringValue ?? CustomerIP.fallback
        guard CustomerIP.isValid(customerIP) else {
            return JSONResponses.error(400, "invalid_field", "customer_ip must be an IPv4 or IPv6 address, such as 192.0.2.10",
                                       extra: ["field": "customer_ip"])
        }
        guard let current = engine.link(id: id) else { return linkNotFound(id) }
        let command = current.link.transactionCommand
        do { try LinkStateMachine.requirePayable(current.link, at: current.now) } catch { return notPayable(id, command, error) }
        let required = current.link.paymentOption
        func wrongOption(_ message: String, code messageCode: String = "080") -> HTTPResponse {
            let code = APSResponseCode(status: command.failureStatus, message: messageCode)
            return JSONResponses.error(400, "invalid_payment_option", message, extra: [
                "field": "payment_option", "response_code": .string(code.code), "response_message": .string(code.responseMessage)])
        }
        // The option rules, the merchant's `payment_options`, Tamara and Tabby, as the hosted page applies them.
        func refusedOption(_ option: String) -> HTTPResponse? {
            checkout.optionRefusal(option, for: current.link).map { wrongOption($0.detail, code: $0.code.message) }
        }

        if body["card_number"] == nil, let option = body["payment_option"]?.stringValue {
            guard APSFields.paymentOptions.contains(option) || option == "VISA_CHECKOUT" || option == "TAMARA" else {
                return wrongOption("\(option) is not a payment option")
            }
            if let required, required != option { return wrongOption("the link takes \(required) only") }
            if let refusal = refusedOption(option) { return refusal }
            let phone = body["phone_number"]?.stringValue
            if option == "STCPAY" {
                // As on the page: STC Pay needs the wallet's Saudi mobile number.
                guard let phone, SaudiMobileNumber.isValid(phone) else {
                    return JSONResponses.error(400, "invalid_field", "STC Pay needs phone_number, a Saudi mobile number such as 0501234567",
                                               extra: ["field": "phone_number"])
                }
                let details = PaymentDetails.wallet(option, phoneNumber: phone, customerIP: customerIP)
                if let otp = body["otp"]?.stringValue { return respond(id, command, checkout.settleOTP(id, details, otp: otp)) }
                return respond(id, command, checkout.payWithWallet(linkID: id, details: details))
            }
            return respond(id, command, checkout.payWithWallet(linkID: id, details: PaymentDetails.wallet(option, customerIP: customerIP)))
        }
        let cardNumber = body["card_number"]?.stringValue ?? "4005550000000001"
        var card: CardEntry.Checked
        do { card = try ControlCard.check(body, number: cardNumber, at: current.now) } catch {
            let code = APSResponseCode(status: command.failureStatus, message: error.apsMessage)
            return JSONResponses.error(400, "invalid_card", error.explanation, extra: [
                "field": .string(error.field), "response_code": .string(code.code), "response_message": .string(code.responseMessage)])
        }
        // The scheme the card runs under: the link's, else the one the customer picked, as on the
        // page (a mada card picked as Mastercard runs as Mastercard; mada is co-badged).
        let picked = body["payment_option"]?.stringValue
        if let picked, let required, picked != required { return wrongOption("the link takes \(required) only") }
        if let option = required ?? picked {
            guard let scheme = CardBrand(rawValue: option) else {
                return wrongOption("\(option) is not a card scheme; leave out card_number to pay with it")
            }
            guard card.brand.isAccepted(as: scheme, number: card.number) else {
                return wrongOption(required == nil ? "this is a \(card.brand.rawValue) card, not \(option)"
                                                   : "the link takes \(option) only; this is a \(card.brand.rawValue) card")
            }
            card.details.paymentOption = option
        }
        card.details.customerIP = customerIP
        if let paidAs = card.details.paymentOption, let refusal = refusedOption(paidAs) { return refusal }
        return respond(id, command, checkout.payWithCard(linkID: id, card: card, challengeAnswer: body["3ds_code"]?.stringValue))
    }

    static let payFields: Set<String> = ["card_number", "expiry_date", "card_security_code", "card_holder_name", "payment_option",
                                         "phone_number", "otp", "3ds_code", "customer_ip"]

    func respond(_ id: String, _ command: TransactionCommand, _ result: Checkout.Result) -> HTTPResponse {
        switch result {
        case .completed(let transaction):
            let order = transaction.order
            let code = order.status.code(for: order.command)
            var object = LinkRepresentation.json(transaction.view, urls: urls)
            object["outcome"] = .string(transaction.outcome.rawValue)
            object["command"] = .string(order.command.rawValue)
            object["response_code"] = .string(code.code)
            object["response_message"] = .string(code.responseMessage)
            object["fort_id"] = .string(order.fortID)
            if !order.authorizationCode.isEmpty { object["authorization_code"] = .string(order.authorizationCode) }
            if let card = order.maskedCardNumber { object["card_number"] = .string(card) }
            if let option = order.paymentOption { object["payment_option"] = .string(option) }
            if let wallet = order.payment.digitalWallet { object["digital_wallet"] = .string(wallet) }
            if let ip = order.payment.customerIP { object["customer_ip"] = .string(ip) }
            if case .uncertain(let due, _) = order.status { object["resolves_at"] = .string(ISO8601.formatUTC(due)) }
            return JSONResponses.ok(object)
        case .verificationRequired:
            guard let view = engine.link(id: id) else { return linkNotFound(id) }
            let code = APSResponseCode(status: "20", message: "064")
            var object = LinkRepresentation.json(view, urls: urls)
            object["outcome"] = "3ds_required"
            object["response_code"] = .string(code.code)
            object["response_message"] = .string(code.responseMessage)
            object["message"] = .string("send the same request with \"3ds_code\" (\(TestCards.passingChallengeCode) passes)")
            return JSONResponses.ok(object)
        case .refused(let error):
            return notPayable(id, command, error)
        case .unknownVerification:
            return JSONResponses.error(400, "unknown_verification", "no pending verification with that id")
        }
    }

    /// `POST /__sandbox/links/{id}/fail`: the customer's attempt failed or was abandoned
    /// (default `072`, cancelled by the consumer; `{"message_code": "666"}` picks another).
    func fail(id: String, _ request: HTTPRequest) -> HTTPResponse {
        let body: JSONObject
        do { body = try JSONResponses.objectBody(request) } catch { return error.response }
        guard let current = engine.link(id: id) else { return linkNotFound(id) }
        let command = current.link.transactionCommand
        let message = body["message_code"]?.stringValue ?? "072"
        guard message.count == 3, APSCatalog.isKnownMessage(message) else {
            return JSONResponses.error(400, "invalid_field", "message_code must be a three-digit APS message code", extra: ["field": "message_code"])
        }
        return attemptResult(id, outcome: "failed", code: APSResponseCode(status: command.failureStatus, message: message), masked: nil)
    }

    /// An attempt that did not pay: recorded on the link (which stays Open) and answered 200.
    func attemptResult(_ id: String, outcome: String, code: APSResponseCode, masked: String?) -> HTTPResponse {
        let view: LinkView
        do {
            view = try engine.recordFailedAttempt(id: id, responseCode: code.code, maskedCardNumber: masked)
        } catch {
            let command = engine.link(id: id)?.link.transactionCommand ?? .purchase
            return notPayable(id, command, error)
        }
        var result = LinkRepresentation.json(view, urls: urls)
        result["outcome"] = .string(outcome)
        result["response_code"] = .string(code.code)
        result["response_message"] = .string(code.responseMessage)
        if let masked { result["card_number"] = .string(masked) }
        return JSONResponses.ok(result)
    }

    func notPayable(_ id: String, _ command: TransactionCommand, _ error: LinkError) -> HTTPResponse {
        if error == .notFound { return linkNotFound(id) }
        let code = APSResponseCode(status: command.failureStatus, message: error.apsMessageCode)
        let state = engine.link(id: id)?.state.rawValue ?? "unknown"
        return JSONResponses.error(409, "link_not_payable", error.explanation, extra: [
            "response_code": .string(code.code), "response_message": .string(code.responseMessage),
            "payment_link_id": .string(id), "payment_link_status": .string(state),
        ])
    }

    func linkNotFound(_ id: String) -> HTTPResponse {
        JSONResponses.error(404, "link_not_found", "no payment link \(id)", extra: [
            "payment_link_id": .string(id), "response_message": .string(APSCatalog.messageText("149")),
        ])
    }
}
