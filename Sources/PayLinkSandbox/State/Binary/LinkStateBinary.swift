import PayLinkCore

/// A payment link in the binary snapshot and log: the fields of `LinkStateJSON` in its order.
/// Written only from links the engine holds, so reading checks the framing, not the values
/// again; the engine snapshot is still validated as a whole (unique ids, tokens, references).
enum LinkStateBinary {
    static func encode(_ link: borrowing PaymentLink, into w: inout BinaryWriter) {
        // Read where they stand: a copy of the terms retained and released each of their strings.
        w.string(link.id)
        w.string(link.token)
        w.instant(link.createdAt)
        w.string(link.terms.merchantIdentifier)
        w.string(link.terms.merchantReference)
        w.signed(link.terms.amount)
        w.string(link.terms.currency)
        w.string(link.terms.language)
        w.string(link.terms.customerEmail)
        w.optionalString(link.terms.customerName)
        w.optionalString(link.terms.customerPhone)
        w.optionalString(link.terms.orderDescription)
        w.string(link.terms.notificationType)
        w.string(link.terms.linkCommand)
        w.optionalString(link.terms.paymentOption)
        w.optionalString(link.terms.returnURL)
        w.instant(link.terms.expiry)
        w.byte(lifecycleCode(link.lifecycle))
        w.int(link.userAttemptsCount)
        w.optionalInstant(link.paidAt)
        w.optionalString(link.pendingFortID)
        w.unsigned(UInt64(link.failedAttempts.count))
        for attempt in link.failedAttempts {
            w.instant(attempt.at)
            w.string(attempt.responseCode)
            w.optionalString(attempt.maskedCardNumber)
            w.optionalString(attempt.fortID)
        }
        // Sorted, so the same link always gives the same bytes.
        let extras = link.terms.merchantExtras.sorted { $0.key < $1.key }
        w.unsigned(UInt64(extras.count))
        for (key, value) in extras {
            w.string(key)
            w.string(value)
        }
        w.optionalString(link.terms.settlementReference)
    }

    static func decode(_ r: inout BinaryReader) throws(LogReadError) -> PaymentLink {
        let id = try r.string(), token = try r.string(), createdAt = try r.instant()
        let merchant = try r.string(), reference = try r.string(), amount = try r.signed()
        let currency = try r.string(), language = try r.string(), email = try r.string()
        let name = try r.optionalString(), phone = try r.optionalString(), description = try r.optionalString()
        let notificationType = try r.string(), linkCommand = try r.string()
        let paymentOption = try r.optionalString(), returnURL = try r.optionalString(), expiry = try r.instant()
        let lifecycle = try lifecycle(try r.byte())
        let attemptsCount = try r.int(), paidAt = try r.optionalInstant(), pending = try r.optionalString()
        let failedCount = try r.unsigned()
        guard failedCount <= UInt64(EngineSnapshot.failedAttemptLimit) else { throw LogReadError("link \(id) holds \(failedCount) failed attempts") }
        var attempts: [PaymentAttempt] = []
        attempts.reserveCapacity(Int(failedCount))
        for _ in 0..<failedCount {
            attempts.append(PaymentAttempt(at: try r.instant(), responseCode: try r.string(), maskedCardNumber: try r.optionalString(),
                                           fortID: try r.optionalString()))
        }
        let extrasCount = try r.unsigned()
        guard extrasCount <= UInt64(LinkStateJSON.merchantExtraKeys.count) else { throw LogReadError("link \(id) holds \(extrasCount) merchant extras") }
        var extras: [String: String] = [:]
        for _ in 0..<extrasCount {
            let key = try r.string()
            extras[key] = try r.string()
        }
        let terms = LinkTerms(
            merchantIdentifier: merchant, merchantReference: reference, amount: amount, currency: currency, language: language,
            customerEmail: email, customerName: name, customerPhone: phone, orderDescription: description,
            notificationType: notificationType, linkCommand: linkCommand, paymentOption: paymentOption, returnURL: returnURL,
            expiry: expiry, merchantExtras: extras, settlementReference: try r.optionalString())
        return PaymentLink(id: id, token: token, terms: terms, createdAt: createdAt, lifecycle: lifecycle,
                           userAttemptsCount: attemptsCount, paidAt: paidAt, failedAttempts: attempts, pendingFortID: pending)
    }

    private static func lifecycleCode(_ lifecycle: LinkLifecycle) -> UInt8 {
        switch lifecycle {
        case .open: 0
        case .closed: 1
        case .paid: 2
        }
    }

    private static func lifecycle(_ code: UInt8) throws(LogReadError) -> LinkLifecycle {
        switch code {
        case 0: .open
        case 1: .closed
        case 2: .paid
        default: throw LogReadError("a link's lifecycle code \(code) is unknown")
        }
    }
}
