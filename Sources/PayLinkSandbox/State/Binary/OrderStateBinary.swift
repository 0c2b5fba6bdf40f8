import PayLinkCore

/// An order in the binary snapshot and log: the fields of `OrderStateJSON` in its order. The
/// request fields of an order made without a link follow only where the entry's kind (or the
/// snapshot frame's tag) says so, so files written before they existed read as they were.
enum OrderStateBinary {
    static func encode(_ order: Order, into w: inout BinaryWriter, withRequestFields: Bool = false) {
        w.string(order.fortID)
        w.string(order.merchantIdentifier)
        w.string(order.merchantReference)
        w.optionalString(order.paymentLinkID)
        w.string(order.command.rawValue)
        w.string(order.currency)
        w.signed(order.amount)
        w.string(order.authorizationCode)
        let payment = order.payment
        w.optionalString(payment.maskedCardNumber)
        w.optionalString(payment.paymentOption)
        w.optionalString(payment.expiryDate)
        w.optionalString(payment.cardHolderName)
        w.optionalString(payment.phoneNumber)
        w.optionalString(payment.digitalWallet)
        w.optionalString(payment.customerIP)
        w.instant(order.createdAt)
        switch order.status {
        case .approved: w.byte(0)
        case .declined(let code):
            w.byte(1)
            w.string(code.code)
        case .uncertain(let resolvesAt, let approves):
            w.byte(2)
            w.instant(resolvesAt)
            w.bool(approves)
        }
        w.signed(order.capturedAmount)
        w.signed(order.refundedAmount)
        w.bool(order.voided)
        w.unsigned(UInt64(order.operations.count))
        for operation in order.operations {
            w.string(operation.command.rawValue)
            w.signed(operation.amount)
            w.instant(operation.at)
            w.optionalString(operation.maintenanceReference)
        }
        guard withRequestFields else { return }
        w.unsigned(UInt64(order.requestFields.count))
        for (name, value) in order.requestFields.sorted(by: { $0.key < $1.key }) {
            w.string(name)
            w.string(value)
        }
    }

    static func decode(_ r: inout BinaryReader, withRequestFields: Bool = false) throws(LogReadError) -> Order {
        let fortID = try r.string(), merchant = try r.string(), reference = try r.string(), linkID = try r.optionalString()
        let command = try command(try r.string()), currency = try r.string(), amount = try r.signed()
        let authorizationCode = try r.string()
        let payment = PaymentDetails(maskedCardNumber: try r.optionalString(), paymentOption: try r.optionalString(),
                                     expiryDate: try r.optionalString(), cardHolderName: try r.optionalString(),
                                     phoneNumber: try r.optionalString(), digitalWallet: try r.optionalString(),
                                     customerIP: try r.optionalString())
        let createdAt = try r.instant()
        let status: OrderStatus
        switch try r.byte() {
        case 0: status = .approved
        case 1:
            let text = try r.string()
            guard let code = APSResponseCode(text) else { throw LogReadError("order \(fortID) holds response code \(text)") }
            status = .declined(code)
        case 2: status = .uncertain(resolvesAt: try r.instant(), approves: try r.bool())
        case let other: throw LogReadError("order \(fortID) holds status code \(other)")
        }
        let captured = try r.signed(), refunded = try r.signed(), voided = try r.bool()
        let count = try r.unsigned()
        guard count <= 1 << 20 else { throw LogReadError("order \(fortID) holds \(count) operations") }
        var operations: [OrderOperation] = []
        operations.reserveCapacity(Int(count))
        for _ in 0..<count {
            operations.append(.restored(command: try Self.command(try r.string()), amount: try r.signed(), at: try r.instant(),
                                        maintenanceReference: try r.optionalString()))
        }
        var requestFields: [String: String] = [:]
        if withRequestFields {
            let fieldCount = try r.unsigned()
            guard fieldCount <= 1 << 12 else { throw LogReadError("order \(fortID) holds \(fieldCount) request fields") }
            for _ in 0..<fieldCount {
                let name = try r.string()
                requestFields[name] = try r.string()
            }
        }
        return Order(fortID: fortID, merchantIdentifier: merchant, merchantReference: reference, paymentLinkID: linkID,
                     command: command, currency: currency, amount: amount, authorizationCode: authorizationCode, payment: payment,
                     createdAt: createdAt, status: status, capturedAmount: captured, refundedAmount: refunded, voided: voided,
                     operations: operations, requestFields: requestFields)
    }

    private static func command(_ text: String) throws(LogReadError) -> TransactionCommand {
        guard let command = TransactionCommand(rawValue: text) else { throw LogReadError("unknown command \(text)") }
        return command
    }
}
