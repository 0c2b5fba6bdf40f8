import PayLinkCore
import PayLinkJSON

/// An order (transaction) in a state snapshot: its payment, where it stands (`status`, with
/// the code of a decline or the resolution of an uncertain payment) and every operation.
enum OrderStateJSON {
    static let keys = [
        "fort_id", "merchant_identifier", "merchant_reference", "payment_link_id", "command", "currency", "amount",
        "authorization_code", "payment", "created_at", "status", "captured_amount", "refunded_amount", "voided", "operations", "request_fields",
    ]
    static let paymentKeys = ["card_number", "payment_option", "expiry_date", "card_holder_name", "phone_number", "digital_wallet", "customer_ip"]
    static let operationKeys = ["command", "amount", "at", "maintenance_reference"]
    static let statusKeys = ["outcome", "response_code", "resolves_at", "approves"]
    static let commands = TransactionCommand.allCases.map { ($0.rawValue, $0) }

    static func encode(_ order: Order) -> JSONValue {
        let payment = order.payment
        let object: JSONObject = [
            "fort_id": .string(order.fortID), "merchant_identifier": .string(order.merchantIdentifier),
            "merchant_reference": .string(order.merchantReference), "payment_link_id": StateValues.string(order.paymentLinkID),
            "command": .string(order.command.rawValue), "currency": .string(order.currency), "amount": .number(order.amount),
            "authorization_code": .string(order.authorizationCode),
            "payment": [
                "card_number": StateValues.string(payment.maskedCardNumber), "payment_option": StateValues.string(payment.paymentOption),
                "expiry_date": StateValues.string(payment.expiryDate), "card_holder_name": StateValues.string(payment.cardHolderName),
                "phone_number": StateValues.string(payment.phoneNumber), "digital_wallet": StateValues.string(payment.digitalWallet),
                "customer_ip": StateValues.string(payment.customerIP),
            ],
            "created_at": StateValues.instant(order.createdAt), "status": encode(order.status),
            "captured_amount": .number(order.capturedAmount), "refunded_amount": .number(order.refundedAmount),
            "voided": .bool(order.voided),
            "operations": .array(order.operations.map { operation in
                [
                    "command": .string(operation.command.rawValue), "amount": .number(operation.amount),
                    "at": StateValues.instant(operation.at), "maintenance_reference": StateValues.string(operation.maintenanceReference),
                ]
            }),
        ]
        var result = object
        // Only an order made without a link has them; a link's order is written as it always was.
        if !order.requestFields.isEmpty {
            result["request_fields"] = .object(JSONObject(order.requestFields.sorted { $0.key < $1.key }.map {
                JSONObject.Member(key: $0.key, value: .string($0.value))
            }))
        }
        return .object(result)
    }

    static func encode(_ status: OrderStatus) -> JSONValue {
        switch status {
        case .approved: ["outcome": "approved"]
        case .declined(let code): ["outcome": "declined", "response_code": .string(code.code)]
        case .uncertain(let resolvesAt, let approves):
            ["outcome": "uncertain", "resolves_at": StateValues.instant(resolvesAt), "approves": .bool(approves)]
        }
    }

    static func decode(_ value: JSONValue, path: String) throws(StateImportError) -> Order {
        let r = try JSONReader(value, path: path, keys: keys)
        let currency = try r.string("currency")
        guard Currency(code: currency) != nil else { throw r.failure("currency", "must be an ISO 4217 currency code such as SAR") }
        let p = try r.object("payment", keys: paymentKeys)
        var payment = PaymentDetails(maskedCardNumber: try p.maskedCardNumber("card_number"), paymentOption: try p.optionalString("payment_option"),
                                     expiryDate: try p.optionalString("expiry_date"), cardHolderName: try p.optionalString("card_holder_name"),
                                     phoneNumber: try p.optionalString("phone_number"), digitalWallet: try p.optionalString("digital_wallet"),
                                     customerIP: try p.optionalString("customer_ip"))
        // Snapshots from before `digital_wallet` kept Visa Checkout in `payment_option`, which
        // holds 10 characters at most: read them as the wallet they were.
        if payment.paymentOption == "VISA_CHECKOUT", payment.digitalWallet == nil {
            payment.paymentOption = "VISA"
            payment.digitalWallet = "VISA_CHECKOUT"
        }
        var operations: [OrderOperation] = []
        for element in try r.array("operations") {
            let o = try JSONReader(element.value, path: element.path, keys: operationKeys)
            operations.append(.restored(command: try o.choice("command", commands), amount: try o.integer("amount", as: Int64.self),
                                        at: try o.instant("at"), maintenanceReference: try o.optionalString("maintenance_reference")))
        }
        return Order(
            fortID: try r.string("fort_id"), merchantIdentifier: try r.string("merchant_identifier"),
            merchantReference: try r.string("merchant_reference"), paymentLinkID: try r.optionalString("payment_link_id"),
            command: try r.choice("command", commands), currency: currency, amount: try r.integer("amount", as: Int64.self),
            authorizationCode: try r.string("authorization_code"), payment: payment, createdAt: try r.instant("created_at"),
            status: try decodeStatus(try r.value("status"), path: r.path("status")),
            capturedAmount: try r.integer("captured_amount", as: Int64.self), refundedAmount: try r.integer("refunded_amount", as: Int64.self),
            voided: try r.bool("voided"), operations: operations, requestFields: try decodeRequestFields(r))
    }

    /// `request_fields`: an object of strings, absent for a link's order.
    static func decodeRequestFields(_ r: JSONReader) throws(StateImportError) -> [String: String] {
        guard let fields = try r.optionalObject("request_fields") else { return [:] }
        var result: [String: String] = [:]
        for member in fields.object.members {
            guard case .string(let text) = member.value else { throw fields.failure(member.key, "expected a string") }
            result[member.key] = text
        }
        return result
    }

    /// The outcome decides which other fields belong: a decline's `response_code`, an
    /// uncertain payment's `resolves_at` and `approves`, nothing for an approval.
    static func decodeStatus(_ value: JSONValue, path: String) throws(StateImportError) -> OrderStatus {
        let outcome = try JSONReader(value, path: path, keys: statusKeys)
            .choice("outcome", [("approved", "approved"), ("declined", "declined"), ("uncertain", "uncertain")])
        switch outcome {
        case "declined":
            let r = try JSONReader(value, path: path, keys: ["outcome", "response_code"])
            guard let code = APSResponseCode(try r.string("response_code")) else {
                throw r.failure("response_code", "must be a five-digit APS response code such as 13666")
            }
            return .declined(code)
        case "uncertain":
            let r = try JSONReader(value, path: path, keys: ["outcome", "resolves_at", "approves"])
            return .uncertain(resolvesAt: try r.instant("resolves_at"), approves: try r.bool("approves"))
        default:
            _ = try JSONReader(value, path: path, keys: ["outcome"])
            return .approved
        }
    }
}
